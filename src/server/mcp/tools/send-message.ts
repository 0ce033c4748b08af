import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SendControls, SendMessageInput, SendResult } from '../../../app/schemas/index.js';
import type { AppServices } from '../../../app/index.js';
import { mcpContext, runTool } from '../result.js';

export function registerSendMessageTool(server: McpServer, { sending }: AppServices): void {
  server.registerTool(
    'whatsapp_send_message',
    {
      title: 'Send a WhatsApp message',
      description:
        'Send a text message from the linked WhatsApp account to a phone number (normalized to <digits>@c.us) or a group (group_id from whatsapp_list_groups): exactly one of the two. Optional: reply_to (quote a message id), mentions (phone numbers; they are notified even if the text has no "@"; ["@everyone"] in a group), link_preview. The message really goes out. If the session is still starting it waits up to 120 s; if nobody has linked a phone yet it fails at once and says what to do. Sends are paced per account: a RATE_LIMITED error says how long to wait.',
      inputSchema: { ...SendMessageInput.shape, ...SendControls },
      outputSchema: SendResult.shape,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    ({ idempotency_key, wait, ...input }, extra) => runTool(() => sending.text(mcpContext(extra, { idempotency_key, wait }), input)),
  );
}
