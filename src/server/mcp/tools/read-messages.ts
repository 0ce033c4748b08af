import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { MessagesResult, ReadMessagesInput } from '../../schemas.js';
import type { Services } from '../server.js';
import { runTool } from '../result.js';

export function registerReadMessagesTool(server: McpServer, { service }: Services): void {
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
    (args) => runTool(() => service.readMessages(args)),
  );
}
