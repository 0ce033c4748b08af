import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ReactionInput } from '../../messaging-schemas.js';
import { MESSAGE_ID, OkResult } from '../../schemas.js';
import type { Services } from '../server.js';
import { runTool } from '../result.js';

export function registerReactTool(server: McpServer, { messaging }: Services): void {
  server.registerTool(
    'whatsapp_react',
    {
      title: 'React to a WhatsApp message',
      description:
        'React to a message with one emoji (message ids come from whatsapp_get_chat_messages or whatsapp_read_messages); an empty emoji removes your reaction. Reacting again replaces the reaction.',
      inputSchema: { message_id: MESSAGE_ID.describe('Id of the message to react to'), ...ReactionInput.shape },
      outputSchema: OkResult.shape,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    ({ message_id, ...input }) => runTool(() => messaging.react(message_id, input)),
  );
}
