import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { AppServices } from '../../../app/index.js';
import { outboxPageView } from '../../../app/outbox-view.js';
import { OutboxListQuery, OutboxListResult } from '../../../app/schemas/index.js';
import { runTool } from '../result.js';

export function registerListSendsTool(server: McpServer, { outbox }: AppServices): void {
  server.registerTool(
    'whatsapp_list_sends',
    {
      title: 'List sent WhatsApp messages',
      description:
        'The outbox: messages sent through this bridge, newest first, with their status (awaiting_approval, queued, sending, sent, delivered, read, failed, canceled). Filter by status or chat_id; page back with before (next_before of the previous page).',
      inputSchema: OutboxListQuery.shape,
      outputSchema: OutboxListResult.shape,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    ({ status, chat_id, limit, before }) =>
      runTool(() => outboxPageView(outbox.list({ limit, ...(status ? { status } : {}), ...(chat_id ? { chatId: chat_id } : {}), ...(before ? { before } : {}) }))),
  );
}
