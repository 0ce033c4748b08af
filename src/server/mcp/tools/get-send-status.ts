import { registerAppTool } from '@modelcontextprotocol/ext-apps/server';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { AppServices } from '../../../app/index.js';
import { outboxView } from '../../../app/outbox-view.js';
import { OutboxEntryResult, OutboxIdParams } from '../../../app/schemas/index.js';
import { AppError } from '../../../core/errors.js';
import { SEND_PREVIEW_VIEW, viewMeta } from '../app/index.js';
import { runTool } from '../result.js';

export function registerGetSendStatusTool(server: McpServer, { outbox }: AppServices): void {
  registerAppTool(
    server,
    'whatsapp_get_send_status',
    {
      title: 'Follow a sent WhatsApp message',
      description:
        'Where a message you sent is: awaiting_approval (a person must approve it first), queued, sending, sent (WhatsApp has it), delivered, read, failed (with the error) or canceled (with the error: APPROVAL_DENIED or APPROVAL_EXPIRED when a person did not approve it), and its message id. Give the outbox_id that every send tool returns. Use it after a send answered with status "awaiting_approval", "queued" or "sending", instead of sending again.',
      inputSchema: { outbox_id: OutboxIdParams.shape.id },
      outputSchema: OutboxEntryResult.shape,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
      _meta: viewMeta(SEND_PREVIEW_VIEW),
    },
    ({ outbox_id }) =>
      runTool(() => {
        const entry = outbox.get(outbox_id);
        if (!entry) throw new AppError('OUTBOX_NOT_FOUND', `No send ${outbox_id} in the outbox.`);
        return { ok: true as const, entry: outboxView(entry) };
      }),
  );
}
