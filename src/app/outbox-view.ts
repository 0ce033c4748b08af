import type { z } from 'zod';
import type { OutboxEntry, OutboxPage } from '../store/index.js';
import type { OutgoingKind } from '../whatsapp/outgoing.js';
import { reasonText, type ApprovalRecord } from './approvals.js';
import type { ApprovalSchema, OutboxEntrySchema, OutboxListResult } from './schemas/index.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** An outbox entry as REST and MCP show it (no payload internals, no idempotency key). */
export function outboxView(e: OutboxEntry): z.output<typeof OutboxEntrySchema> {
  return {
    id: e.id,
    kind: e.kind as OutgoingKind,
    chat_id: e.chatId,
    client_id: e.client,
    status: e.status,
    message_id: e.messageId,
    attempts: e.attempts,
    error: e.errorCode ? { code: e.errorCode, message: e.errorMessage ?? '' } : null,
    text: e.matchText,
    created_at: iso(e.createdAt)!,
    updated_at: iso(e.updatedAt)!,
    sent_at: iso(e.sentAt),
    approval: approvalView(e),
  };
}

function approvalView(e: OutboxEntry): z.output<typeof ApprovalSchema> | null {
  const a = e.approval as ApprovalRecord | null;
  if (!a) return null;
  const by = a.decided_by;
  return {
    reason: a.reason,
    reason_text: reasonText(a.reason),
    requested_by: a.requested_by?.name ?? null,
    expires_at: e.status === 'awaiting_approval' ? iso(e.expiresAt) : null,
    files: a.files ?? [],
    decision: a.decision ?? null,
    decided_by: !by ? null : by.via === 'expiry' ? 'expiry' : by.via === 'mcp_elicitation' ? 'user (MCP client)' : by.kind === 'key' ? (by.name ?? by.id) : by.kind,
    decided_at: a.decided_at ?? null,
  };
}

export function outboxPageView(page: OutboxPage): z.output<typeof OutboxListResult> {
  return { ok: true, count: page.entries.length, entries: page.entries.map(outboxView), next_before: page.nextBefore };
}
