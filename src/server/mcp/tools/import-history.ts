import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ImportProgress } from '../../../app/history.js';
import type { AppServices } from '../../../app/index.js';
import { ChatIdParams, HistoryInput, HistoryResult } from '../../../app/schemas/index.js';
import { runTool } from '../result.js';

export function registerImportHistoryTool(server: McpServer, { history }: AppServices): void {
  server.registerTool(
    'whatsapp_import_history',
    {
      title: "Import a WhatsApp chat's history",
      description:
        "Reads a chat's older messages back from WhatsApp Web (and, as far as it loads them, from the phone, which it asks for more when WhatsApp Web has no older ones) into the bridge's store, so whatsapp_search_messages finds them. Bounded per call (limit, default 500); when complete is false, call again with before=next_before. Sends progress notifications when the request carries a progressToken.",
      inputSchema: { chat_id: ChatIdParams.shape.chat_id, limit: HistoryInput.shape.limit, before: HistoryInput.shape.before },
      outputSchema: HistoryResult.shape,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    ({ chat_id, ...input }, extra) => {
      const token = extra._meta?.progressToken;
      // MCP progress: messages read back so far, of at most `limit` (it must grow with each notification).
      let last = 0;
      const onProgress =
        token === undefined
          ? undefined
          : (p: ImportProgress) => {
              if (p.seen <= last) return;
              last = p.seen;
              const params = { progressToken: token, progress: p.seen, total: p.limit, message: `${p.seen} messages read back, ${p.imported} new` };
              void extra.sendNotification({ method: 'notifications/progress', params }).catch(() => undefined);
            };
      return runTool(() => history.importChat(chat_id, input as z.output<typeof HistoryInput>, onProgress));
    },
  );
}
