import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { AppServices } from '../../../app/index.js';
import { ChatIdParams, HistoryInput, HistoryResult } from '../../../app/schemas/index.js';
import { runTool } from '../result.js';

export function registerImportHistoryTool(server: McpServer, { history }: AppServices): void {
  server.registerTool(
    'whatsapp_import_history',
    {
      title: "Import a WhatsApp chat's history",
      description:
        "Reads a chat's older messages back from WhatsApp Web (and, as far as it loads them, from the phone) into the bridge's store, so whatsapp_search_messages finds them. Bounded per call (limit, default 500); when complete is false, call again with before=next_before.",
      inputSchema: { chat_id: ChatIdParams.shape.chat_id, limit: HistoryInput.shape.limit, before: HistoryInput.shape.before },
      outputSchema: HistoryResult.shape,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    ({ chat_id, ...input }) => runTool(() => history.importChat(chat_id, input as z.output<typeof HistoryInput>)),
  );
}
