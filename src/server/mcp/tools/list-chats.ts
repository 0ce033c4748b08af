import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ChatsResult, ListChatsInput } from '../../../app/schemas/index.js';
import type { AppServices } from '../../../app/index.js';
import { runTool } from '../result.js';

export function registerListChatsTool(server: McpServer, { reading }: AppServices): void {
  server.registerTool(
    'whatsapp_list_chats',
    {
      title: 'List WhatsApp chats',
      description:
        'List recent chats of the linked account, most recent activity first, with unread counts, archived/pinned/muted flags and a summary of the last message. Use it to discover conversations before reading one.',
      inputSchema: ListChatsInput.shape,
      outputSchema: ChatsResult.shape,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
    },
    (args) => runTool(() => reading.listChats(args)),
  );
}
