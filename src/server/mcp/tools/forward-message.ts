import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ForwardInput, MESSAGE_ID, SendControls, SendResult } from '../../../app/schemas/index.js';
import type { AppServices } from '../../../app/index.js';
import { approveInClient } from '../approval.js';
import { mcpContext, runTool } from '../result.js';

export function registerForwardMessageTool(server: McpServer, services: AppServices): void {
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
    ({ message_id, idempotency_key, wait, ...input }, extra) =>
      runTool(async () => {
        const ctx = mcpContext(extra, { idempotency_key, wait });
        return approveInClient(server, services, ctx, await services.sending.forward(ctx, message_id, input), extra);
      }),
  );
}
