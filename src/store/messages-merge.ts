/**
 * How copies and changes of one message combine (pure; the repo applies the result). The
 * rule throughout: state only moves forward. A copy that arrives late — a history import,
 * a catch-up, a replayed event — fills in what is unknown but never takes back an ack, an
 * edit or a deletion.
 */
import type { Ack } from '../shared/wire.js';
import { MAX_EDITS, MESSAGE_COLUMNS, toParams, type IncomingMessage, type MessageSource, type StoredMessage } from './messages-rows.js';

const PROGRESS: readonly Ack[] = ['pending', 'sent', 'delivered', 'read', 'played'];

/**
 * The ack after `next` arrives: forwards along pending → sent → delivered → read → played
 * only. `error` (the send failed) overrides pending and sent, which is what it follows in
 * practice; a message already delivered cannot have failed, so it is ignored there.
 */
export function laterAck(current: Ack | null, next: Ack | null): Ack | null {
  if (next === null || next === current) return current;
  if (current === null) return next;
  if (next === 'error') return current === 'pending' || current === 'sent' ? 'error' : current;
  if (current === 'error') return next === 'delivered' || next === 'read' || next === 'played' ? next : current;
  return PROGRESS.indexOf(next) > PROGRESS.indexOf(current) ? next : current;
}

export const SECONDS_LIMIT = 2 ** 33;

function isRevokedCopy(input: IncomingMessage): boolean {
  return input.revoked === true || input.message.type === 'revoked';
}

/** The first copy of a message. */
export function fresh(account: string, input: IncomingMessage, source: MessageSource, now: number): StoredMessage {
  const m = input.message;
  if (m.id === null || m.id === '') throw new RangeError('a stored message needs its id (the wire object has id null)');
  const chatId = input.chatId ?? (m.from_me ? m.to : m.from);
  if (!chatId) throw new RangeError(`message ${m.id}: no chat id (give chatId, or a wire object with from/to)`);
  const timestamp = m.timestamp ?? Math.floor(now / 1000);
  if (!Number.isSafeInteger(timestamp) || timestamp < 0 || timestamp >= SECONDS_LIMIT) {
    throw new RangeError(`message ${m.id}: timestamp must be Unix seconds, got ${timestamp}`);
  }
  const revoked = isRevokedCopy(input);
  const editedAt = input.editedAt ?? null;
  return {
    account,
    id: m.id,
    chatId,
    fromMe: m.from_me,
    sender: m.author ?? m.from,
    senderPhone: input.senderPhone ?? null,
    senderLid: input.senderLid ?? null,
    type: m.type,
    body: m.body,
    timestamp,
    ack: m.ack,
    quotedId: input.quotedId ?? null,
    mentions: [...(input.mentions ?? [])],
    hasMedia: m.has_media,
    media: input.media ?? null,
    edited: editedAt !== null,
    editedAt,
    edits: [],
    revoked,
    revokedAt: revoked ? now : null,
    source,
    raw: m,
    insertedAt: now,
    updatedAt: now,
  };
}

/** Replaces the text, keeping the one it replaces in the history. */
function withText(e: StoredMessage, body: string, at: number): Pick<StoredMessage, 'body' | 'edited' | 'editedAt' | 'edits'> {
  const edits = body === e.body ? e.edits : [...e.edits, { body: e.body, at }].slice(-MAX_EDITS);
  return { body, edited: true, editedAt: at, edits };
}

/** `e` with another copy of the same message merged in. */
export function mergeCopy(e: StoredMessage, input: IncomingMessage, now: number): StoredMessage {
  const m = input.message;
  const revoked = e.revoked || isRevokedCopy(input);
  // Only a copy whose edit is newer than ours may replace the text; a revoked message keeps
  // its last text (the copy of a revoked message has an empty body).
  const newer = !revoked && input.editedAt != null && input.editedAt > (e.editedAt ?? -Infinity);
  return {
    ...e,
    ...(newer ? { ...withText(e, m.body, input.editedAt!), type: m.type, raw: m } : {}),
    senderPhone: input.senderPhone ?? e.senderPhone,
    senderLid: input.senderLid ?? e.senderLid,
    quotedId: input.quotedId ?? e.quotedId,
    mentions: input.mentions?.length ? [...input.mentions] : e.mentions,
    hasMedia: e.hasMedia || m.has_media,
    media: input.media ?? e.media,
    ack: laterAck(e.ack, m.ack),
    revoked,
    revokedAt: e.revokedAt ?? (revoked ? now : null),
  };
}

/** An edit event (whatsapp-web.js `message_edit`): applied only if newer than the text we hold. */
export function applyEdit(e: StoredMessage, body: string, at: number): StoredMessage {
  if (e.revoked || at <= (e.editedAt ?? -Infinity)) return e;
  return { ...e, ...withText(e, body, at) };
}

export function applyAck(e: StoredMessage, ack: Ack): StoredMessage {
  const next = laterAck(e.ack, ack);
  return next === e.ack ? e : { ...e, ack: next };
}

export function applyRevoke(e: StoredMessage, at: number): StoredMessage {
  return e.revoked ? e : { ...e, revoked: true, revokedAt: at };
}

/** Whether `b` differs from `a` in anything stored (the update time aside). */
export function changed(a: StoredMessage, b: StoredMessage): boolean {
  if (a === b) return false;
  const pa = toParams(a);
  const pb = toParams(b);
  return MESSAGE_COLUMNS.some((k) => k !== 'updated_at' && pa[k] !== pb[k]);
}
