import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ChatIdParams, ChatMessagesQuery, ChatPageResult } from '../../../app/schemas/index.js';
import type { AppServices } from '../../../app/index.js';
import { runTool } from '../result.js';

export function registerGetChatMessagesTool(server: McpServer, { reading }: AppServices): void {
  server.registerTool(
    'whatsapp_get_chat_messages',
    {
      title: 'Read any WhatsApp chat',
      description:
        'Read the messages of any chat, groups included (chat_id from whatsapp_list_chats or whatsapp_list_groups, or a phone number), oldest first. For older messages, call again with before = next_before. Message ids here work with whatsapp_react, whatsapp_forward_message, whatsapp_delete_message and whatsapp_download_media, and as reply_to. Does not mark anything as read.',
      inputSchema: { ...ChatIdParams.shape, ...ChatMessagesQuery.shape },
      outputSchema: ChatPageResult.shape,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
    },
    ({ chat_id, ...query }) => runTool(() => reading.chatMessages(chat_id, query)),
  );
}
