import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ForwardInput, MESSAGE_ID, SendControls, SendResult } from '../../../app/schemas/index.js';
import type { AppServices } from '../../../app/index.js';
import { mcpContext, runTool } from '../result.js';

export function registerForwardMessageTool(server: McpServer, { sending }: AppServices): void {
  server.registerTool(
    'whatsapp_forward_message',
    {
      title: 'Forward a WhatsApp message',
      description:
        'Forward an existing message (shown as forwarded) to a phone number or group (exactly one) that you already have a chat with.',
      inputSchema: { message_id: MESSAGE_ID.describe('Id of the message to forward'), ...ForwardInput.shape, ...SendControls },
      outputSchema: SendResult.shape,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    ({ message_id, idempotency_key, wait, ...input }, extra) => runTool(() => sending.forward(mcpContext(extra, { idempotency_key, wait }), message_id, input)),
  );
}
