import { int as columnInt, optInt as columnOptInt, optText as columnOptText, text as columnText, toJson, type Row } from './columns.js';
import { isOutboxStatus, type InitialStatus, type OutboxStatus } from './outbox-states.js';

/** One send as the outbox records it. Times are milliseconds since the epoch. */
export interface OutboxEntry {
  /** `ob_…`, see ids.ts. */
  id: string;
  account: string;
  /** The client key id that asked; null for the owner token. */
  client: string | null;
  /** Null when the caller sent none, or after the key's retention ran out. */
  idempotencyKey: string | null;
  /** Hash of the canonical request, computed by the app layer. */
  requestHash: string;
  /** The message kind (text, media, location, poll, forward, reaction, …); the store does not interpret it. */
  kind: string;
  chatId: string;
  /** The message content without media bytes, as the app layer gave it (parsed JSON). */
  payload: unknown;
  /** The text the message shows in the chat (body, caption, poll name), for reconciliation. */
  matchText: string | null;
  /** Files spooled for this entry under outbox-media/<id>/0..n-1. */
  mediaCount: number;
  status: OutboxStatus;
  /** Times the entry went to `sending`. */
  attempts: number;
  /** WhatsApp's message id, once known. */
  messageId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: number;
  updatedAt: number;
  /** When the latest attempt started (the lower bound of a reconciliation search). */
  attemptAt: number | null;
  /** When the entry first reached `sent` (or later). */
  sentAt: number | null;
  /** While `awaiting_approval`: when it is canceled unless a person decided. */
  expiresAt: number | null;
  /** Why the send was held, and who decided what (parsed JSON, as the app layer wrote it); null when never held. */
  approval: unknown;
}

export interface NewOutboxEntry {
  /** Given when media was spooled under this id before the insert; else generated. */
  id?: string;
  account?: string;
  client?: string | null;
  idempotencyKey?: string | null;
  requestHash: string;
  kind: string;
  chatId: string;
  /** Anything JSON can hold. */
  payload: unknown;
  matchText?: string | null;
  mediaCount?: number;
  status?: InitialStatus;
  /** With `awaiting_approval`: when the hold expires. */
  expiresAt?: number | null;
  /** With `awaiting_approval`: why it is held (anything JSON can hold). */
  approval?: unknown;
}

export type { Row };

const text = (row: Row, column: string) => columnText(row, 'outbox', column);
const optText = (row: Row, column: string) => columnOptText(row, 'outbox', column);
const int = (row: Row, column: string) => columnInt(row, 'outbox', column);
const optInt = (row: Row, column: string) => columnOptInt(row, 'outbox', column);

export function toEntry(row: Row): OutboxEntry {
  const status = text(row, 'status');
  if (!isOutboxStatus(status)) throw new TypeError(`outbox.status: unknown status "${status}"`);
  return {
    id: text(row, 'id'),
    account: text(row, 'account'),
    client: optText(row, 'client'),
    idempotencyKey: optText(row, 'idempotency_key'),
    requestHash: text(row, 'request_hash'),
    kind: text(row, 'kind'),
    chatId: text(row, 'chat_id'),
    payload: JSON.parse(text(row, 'payload')) as unknown,
    matchText: optText(row, 'match_text'),
    mediaCount: int(row, 'media_count'),
    status,
    attempts: int(row, 'attempts'),
    messageId: optText(row, 'message_id'),
    errorCode: optText(row, 'error_code'),
    errorMessage: optText(row, 'error_message'),
    createdAt: int(row, 'created_at'),
    updatedAt: int(row, 'updated_at'),
    attemptAt: optInt(row, 'attempt_at'),
    sentAt: optInt(row, 'sent_at'),
    expiresAt: optInt(row, 'expires_at'),
    approval: row.approval === null || row.approval === undefined ? null : (JSON.parse(text(row, 'approval')) as unknown),
  };
}

/** JSON text for the payload column; refuses what JSON cannot hold instead of storing "undefined". */
export function payloadJson(payload: unknown): string {
  return toJson(payload, 'outbox payload');
}
