import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ForwardInput } from '../../messaging-schemas.js';
import { MESSAGE_ID, SendResult } from '../../schemas.js';
import type { Services } from '../server.js';
import { runTool } from '../result.js';

export function registerForwardMessageTool(server: McpServer, { messaging }: Services): void {
  server.registerTool(
    'whatsapp_forward_message',
    {
      title: 'Forward a WhatsApp message',
      description:
        'Forward an existing message (shown as forwarded) to a phone number or group (exactly one) that you already have a chat with.',
      inputSchema: { message_id: MESSAGE_ID.describe('Id of the message to forward'), ...ForwardInput.shape },
      outputSchema: SendResult.shape,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    ({ message_id, ...input }) => runTool(() => messaging.forward(message_id, input)),
  );
}
