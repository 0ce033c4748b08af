import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { MESSAGE_ID, OkResult, ReactionInput, SendControls } from '../../../app/schemas/index.js';
import type { AppServices } from '../../../app/index.js';
import { mcpContext, runTool } from '../result.js';

export function registerReactTool(server: McpServer, { sending }: AppServices): void {
  server.registerTool(
    'whatsapp_react',
    {
      title: 'React to a WhatsApp message',
      description:
        'React to a message with one emoji (message ids come from whatsapp_get_chat_messages or whatsapp_read_messages); an empty emoji removes your reaction. Reacting again replaces the reaction.',
      inputSchema: { message_id: MESSAGE_ID.describe('Id of the message to react to'), ...ReactionInput.shape, ...SendControls },
      outputSchema: OkResult.shape,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    ({ message_id, idempotency_key, wait, ...input }, extra) => runTool(() => sending.react(mcpContext(extra, { idempotency_key, wait }), message_id, input)),
  );
}
