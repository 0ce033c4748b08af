import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SendMessageInput, SendResult } from '../../schemas.js';
import type { WhatsAppService } from '../../service.js';
import { runTool } from '../result.js';

export function registerSendMessageTool(server: McpServer, service: WhatsAppService): void {
  server.registerTool(
    'whatsapp_send_message',
    {
      title: 'Send a WhatsApp message',
      description:
        'Send a text message from the linked WhatsApp account to a phone number (normalized to <digits>@c.us). The message really goes out to that person. If the session is still starting it waits up to 120 s for it to become ready; if nobody has linked a phone yet it fails at once and says what to do.',
      inputSchema: SendMessageInput.shape,
      outputSchema: SendResult.shape,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    (args) => runTool(() => service.send(args)),
  );
}
