import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { MessagesResult, ReadMessagesInput } from '../../../app/schemas/index.js';
import type { AppServices } from '../../../app/index.js';
import { runTool } from '../result.js';

export function registerReadMessagesTool(server: McpServer, { reading }: AppServices): void {
  server.registerTool(
    'whatsapp_read_messages',
    {
      title: 'Read WhatsApp messages',
      description:
        'Read the latest messages of the 1:1 chat with a phone number, oldest first, plus a summary of the chat. Does not mark them as read.',
      inputSchema: ReadMessagesInput.shape,
      outputSchema: MessagesResult.shape,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
    },
    (args) => runTool(() => reading.readMessages(args)),
  );
}
