import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { MESSAGE_ID, OkResult } from '../../../app/schemas/index.js';
import type { AppServices } from '../../../app/index.js';
import { runTool } from '../result.js';

export function registerDeleteMessageTool(server: McpServer, { reading }: AppServices): void {
  server.registerTool(
    'whatsapp_delete_message',
    {
      title: 'Delete a WhatsApp message for everyone',
      description:
        'Delete a message for everyone in the chat. WhatsApp allows this only for your own messages for about two days after sending (or in groups you administer); otherwise the result is an error and nothing is deleted. This cannot be undone: confirm with the user first.',
      inputSchema: { message_id: MESSAGE_ID.describe('Id of your message to delete for everyone') },
      outputSchema: OkResult.shape,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    },
    ({ message_id }) => runTool(() => reading.deleteMessage(message_id)),
  );
}
