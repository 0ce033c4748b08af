import { toJson } from './columns.js';
import { guarded } from './errors.js';
import { newOutboxId } from './ids.js';
import { payloadJson, toEntry, type NewOutboxEntry, type OutboxEntry, type Row } from './outbox-rows.js';
import { createSendHistory, type SendHistory } from './outbox-history.js';
import { ackSources, ackStatus, canTransition, SETTLED_STATUSES, type OutboxAck, type OutboxStatus } from './outbox-states.js';
import { immediate, type Db } from './sqlite.js';

export const DEFAULT_ACCOUNT = 'default';
/** Idempotency keys are honoured at least this long (issue 10: ≥ 24 h). */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;
export const MAX_LIST_LIMIT = 500;

export interface InsertResult {
  entry: OutboxEntry;
  /** False when an entry with the same (account, idempotency key) already existed: `entry` is that one. */
  created: boolean;
  /** Whether the request hash matches `entry`'s (always true when created); false → IDEMPOTENCY_CONFLICT. */
  sameRequest: boolean;
}

export interface TransitionFields {
  /** WhatsApp's message id, once known; an omitted id keeps the recorded one. */
  messageId?: string;
  /** Sets the error (a failure, or why a send went back to the queue); null clears it. */
  error?: { code: string; message: string } | null;
  /** Replaces the approval record (who decided what); the hold's expiry is cleared with it. */
  approval?: unknown;
}

export interface ListQuery {
  account: string;
  status?: OutboxStatus;
  chatId?: string;
  /** Only the sends of this client key (its id); `owner`: only those of the owner token and the window. */
  client?: string;
  limit: number;
  /** The `nextBefore` of the previous page: entries created before that one. An unknown id yields an empty page. */
  before?: string;
}

export interface OutboxPage {
  entries: OutboxEntry[];
  /** Cursor for the next (older) page, or null at the end. */
  nextBefore: string | null;
}

export interface OutboxRepo extends SendHistory {
  /** Records a send. Atomic: of two inserts with the same (account, key), one creates and the other gets that entry. */
  insert(entry: NewOutboxEntry): InsertResult;
  get(id: string): OutboxEntry | null;
  getByMessageId(account: string, messageId: string): OutboxEntry | null;
  /** The entry an idempotency key names, while the key is kept. */
  findByIdempotencyKey(account: string, key: string): OutboxEntry | null;
  /** Newest first. */
  list(query: ListQuery): OutboxPage;
  /** Compare-and-set: moves the entry to `to` only if its status is one of `from`; null when it was not (or does not exist). */
  transition(id: string, from: readonly OutboxStatus[], to: OutboxStatus, fields?: TransitionFields): OutboxEntry | null;
  /** The oldest queued entry of the account. */
  nextQueued(account: string): OutboxEntry | null;
  /** All entries of the account in a status, oldest first (after a crash: `sending`). */
  findByStatus(account: string, status: OutboxStatus): OutboxEntry[];
  /** Advances the entry WhatsApp knows as `messageId`; null when no entry has that id or the ack is not newer. */
  updateAck(account: string, messageId: string, ack: OutboxAck): OutboxEntry | null;
  /** Forgets the idempotency keys of settled entries created before `olderThan` (≤ now − 24 h); returns how many. */
  pruneIdempotency(olderThan: number): number;
  /** Sends held for approval whose hold ran out at or before `at`, oldest first. */
  findExpired(account: string, at: number): OutboxEntry[];
  /** When the next hold of the account runs out; null when none is held. */
  nextExpiry(account: string): number | null;
}

const ADVANCED = ['sent', 'delivered', 'read'];

export function createOutboxRepo(db: Db, file: string, now: () => number): OutboxRepo {
  const byId = db.prepare('SELECT * FROM outbox WHERE id = ?');
  const byKey = db.prepare('SELECT * FROM outbox WHERE account = ? AND idempotency_key = ?');
  const byMessageId = db.prepare('SELECT * FROM outbox WHERE account = ? AND message_id = ?');
  const byStatus = db.prepare('SELECT * FROM outbox WHERE account = ? AND status = ? ORDER BY seq');
  const firstQueued = db.prepare("SELECT * FROM outbox WHERE account = ? AND status = 'queued' ORDER BY seq LIMIT 1");
  const insertRow = db.prepare(`
    INSERT INTO outbox (id, account, client, idempotency_key, request_hash, kind, chat_id, payload, match_text,
                        media_count, status, expires_at, approval, created_at, updated_at)
    VALUES (:id, :account, :client, :key, :hash, :kind, :chat_id, :payload, :match_text,
            :media_count, :status, :expires_at, :approval, :now, :now)
    RETURNING *`);
  // One statement for every move; `from` arrives as a JSON array so the statement is prepared once.
  const setStatus = db.prepare(`
    UPDATE outbox SET
      status        = :to,
      updated_at    = :now,
      attempts      = attempts + (:to = 'sending'),
      attempt_at    = CASE WHEN :to = 'sending' THEN :now ELSE attempt_at END,
      sent_at       = CASE WHEN :to IN (SELECT value FROM json_each(:advanced)) THEN coalesce(sent_at, :now) ELSE sent_at END,
      message_id    = coalesce(:message_id, message_id),
      error_code    = CASE WHEN :set_error THEN :error_code ELSE error_code END,
      error_message = CASE WHEN :set_error THEN :error_message ELSE error_message END,
      approval      = CASE WHEN :set_approval THEN :approval ELSE approval END,
      expires_at    = CASE WHEN :set_approval THEN NULL ELSE expires_at END
    WHERE id = :id AND status IN (SELECT value FROM json_each(:from))
    RETURNING *`);
  const ack = db.prepare(`
    UPDATE outbox SET status = :to, updated_at = :now, sent_at = coalesce(sent_at, :now)
    WHERE account = :account AND message_id = :message_id AND status IN (SELECT value FROM json_each(:from))
    RETURNING *`);
  const prune = db.prepare(`
    UPDATE outbox SET idempotency_key = NULL
    WHERE idempotency_key IS NOT NULL AND created_at < :cutoff AND status IN (SELECT value FROM json_each(:settled))`);
  const expired = db.prepare(
    "SELECT * FROM outbox WHERE expires_at <= ? AND status = 'awaiting_approval' AND account = ? ORDER BY expires_at, seq",
  );
  const soonest = db.prepare("SELECT min(expires_at) AS at FROM outbox WHERE expires_at IS NOT NULL AND status = 'awaiting_approval' AND account = ?");
  const pages = new Map<string, ReturnType<Db['prepare']>>();
  const advanced = JSON.stringify(ADVANCED);
  const settled = JSON.stringify(SETTLED_STATUSES);

  const one = (row: Row | undefined): OutboxEntry | null => (row ? toEntry(row) : null);

  /** A statement per filter shape, so each can use its index rather than one that fits none. */
  function pageStatement(query: ListQuery) {
    const shape = `${query.status !== undefined}${query.chatId !== undefined}${query.before !== undefined}${query.client === undefined ? '' : query.client === 'owner' ? 'owner' : 'key'}`;
    let stmt = pages.get(shape);
    if (!stmt) {
      const where = ['account = :account'];
      if (query.status !== undefined) where.push('status = :status');
      if (query.chatId !== undefined) where.push('chat_id = :chat_id');
      if (query.before !== undefined) where.push('seq < (SELECT seq FROM outbox WHERE id = :before)');
      if (query.client === 'owner') where.push('client IS NULL');
      else if (query.client !== undefined) where.push('client = :client');
      stmt = db.prepare(`SELECT * FROM outbox WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT :limit`);
      pages.set(shape, stmt);
    }
    return stmt;
  }

  return {
    insert: (entry) =>
      guarded(file, () =>
        immediate(db, () => {
          const account = entry.account ?? DEFAULT_ACCOUNT;
          const key = entry.idempotencyKey ?? null;
          if (key !== null) {
            const existing = byKey.get(account, key);
            if (existing) {
              const found = toEntry(existing);
              return { entry: found, created: false, sameRequest: found.requestHash === entry.requestHash };
            }
          }
          const row = insertRow.get({
            id: entry.id ?? newOutboxId(now()),
            account,
            client: entry.client ?? null,
            key,
            hash: entry.requestHash,
            kind: entry.kind,
            chat_id: entry.chatId,
            payload: payloadJson(entry.payload),
            match_text: entry.matchText ?? null,
            media_count: entry.mediaCount ?? 0,
            status: entry.status ?? 'queued',
            expires_at: entry.expiresAt ?? null,
            approval: entry.approval === undefined || entry.approval === null ? null : toJson(entry.approval, 'outbox approval'),
            now: now(),
          });
          if (!row) throw new Error('outbox insert returned no row');
          return { entry: toEntry(row), created: true, sameRequest: true };
        }),
      ),

    get: (id) => guarded(file, () => one(byId.get(id))),

    getByMessageId: (account, messageId) => guarded(file, () => one(byMessageId.get(account, messageId))),

    findByIdempotencyKey: (account, key) => guarded(file, () => one(byKey.get(account, key))),

    list: (query) =>
      guarded(file, () => {
        if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MAX_LIST_LIMIT) {
          throw new RangeError(`outbox list limit must be an integer from 1 to ${MAX_LIST_LIMIT}, got ${query.limit}`);
        }
        // One extra row tells whether an older page exists.
        const rows = pageStatement(query).all({
          account: query.account,
          limit: query.limit + 1,
          ...(query.status !== undefined ? { status: query.status } : {}),
          ...(query.chatId !== undefined ? { chat_id: query.chatId } : {}),
          ...(query.before !== undefined ? { before: query.before } : {}),
          ...(query.client !== undefined && query.client !== 'owner' ? { client: query.client } : {}),
        });
        const entries = rows.slice(0, query.limit).map(toEntry);
        return { entries, nextBefore: rows.length > query.limit ? (entries.at(-1)?.id ?? null) : null };
      }),

    transition: (id, from, to, fields = {}) =>
      guarded(file, () => {
        const illegal = from.filter((f) => !canTransition(f, to));
        if (illegal.length) throw new RangeError(`outbox: ${illegal.join(', ')} → ${to} is not an allowed transition`);
        return one(
          setStatus.get({
            id,
            to,
            from: JSON.stringify(from),
            now: now(),
            advanced,
            message_id: fields.messageId ?? null,
            set_error: fields.error !== undefined ? 1 : 0,
            error_code: fields.error?.code ?? null,
            error_message: fields.error?.message ?? null,
            set_approval: fields.approval !== undefined ? 1 : 0,
            approval: fields.approval === undefined || fields.approval === null ? null : toJson(fields.approval, 'outbox approval'),
          }),
        );
      }),

    nextQueued: (account) => guarded(file, () => one(firstQueued.get(account))),

    findByStatus: (account, status) => guarded(file, () => byStatus.all(account, status).map(toEntry)),

    updateAck: (account, messageId, received) =>
      guarded(file, () =>
        one(ack.get({ account, message_id: messageId, to: ackStatus(received), from: JSON.stringify(ackSources(received)), now: now() })),
      ),

    pruneIdempotency: (olderThan) =>
      guarded(file, () => {
        const latest = now() - IDEMPOTENCY_RETENTION_MS;
        if (olderThan > latest) {
          throw new RangeError(`idempotency keys are kept at least 24 h: olderThan must be ≤ ${latest}, got ${olderThan}`);
        }
        return Number(prune.run({ cutoff: olderThan, settled }).changes);
      }),

    findExpired: (account, at) => guarded(file, () => expired.all(at, account).map(toEntry)),

    nextExpiry: (account) =>
      guarded(file, () => {
        const at = soonest.get(account)?.at;
        return typeof at === 'number' ? at : null;
      }),

    ...createSendHistory(db, file),
  };
}
