import type { z } from 'zod';
import type { OutboxEntry, OutboxPage } from '../store/index.js';
import type { OutgoingKind } from '../whatsapp/outgoing.js';
import type { OutboxEntrySchema, OutboxListResult } from './schemas/index.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** An outbox entry as REST and MCP show it (no payload internals, no idempotency key). */
export function outboxView(e: OutboxEntry): z.output<typeof OutboxEntrySchema> {
  return {
    id: e.id,
    kind: e.kind as OutgoingKind,
    chat_id: e.chatId,
    status: e.status,
    message_id: e.messageId,
    attempts: e.attempts,
    error: e.errorCode ? { code: e.errorCode, message: e.errorMessage ?? '' } : null,
    text: e.matchText,
    created_at: iso(e.createdAt)!,
    updated_at: iso(e.updatedAt)!,
    sent_at: iso(e.sentAt),
  };
}

export function outboxPageView(page: OutboxPage): z.output<typeof OutboxListResult> {
  return { ok: true, count: page.entries.length, entries: page.entries.map(outboxView), next_before: page.nextBefore };
}
