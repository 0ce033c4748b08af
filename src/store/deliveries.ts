import { int, optInt, optText, text, type Row } from './columns.js';
import { guarded } from './errors.js';
import { toEvent, type StoredEvent } from './events.js';
import { newDeliveryId } from './ids.js';
import { immediate, type Db } from './sqlite.js';
import { toWebhook, type Webhook } from './webhooks.js';

/**
 * pending: not tried yet, or in flight · failed: the last attempt failed, retried at
 * `nextAttemptAt` · delivered · abandoned: given up (retries ran out, or the app dropped it).
 * pending and failed are outstanding: they hold back the later events of their chat.
 */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'abandoned'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const MAX_DELIVERIES_PAGE = 500;

/** One event for one webhook. Times are milliseconds since the epoch. */
export interface Delivery {
  /** `msg_…`: the `webhook-id` header, the same on every retry, for the receiver to drop duplicates. */
  id: string;
  webhookId: string;
  eventSeq: number;
  chatId: string | null;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  deliveredAt: number | null;
}

/** What the dispatcher needs to send one: the delivery, where to and how to sign, and what. */
export interface DueDelivery {
  delivery: Delivery;
  webhook: Webhook;
  event: StoredEvent;
}

export interface DeliveriesRepo {
  /** One pending delivery per enabled webhook of the event's account that wants its type and chat; the ones created. */
  enqueueFor(event: StoredEvent): Delivery[];
  /**
   * Deliveries to attempt now, soonest first: per (webhook, chat) only the oldest outstanding
   * one, and only once its `nextAttemptAt` has come, so each chat reaches each receiver in
   * order. A delivery stays due until marked: the caller skips the ones it has in flight.
   * With `account`, only that account's webhooks (each account's dispatcher sends its own).
   */
  due(now: number, limit: number, account?: string): DueDelivery[];
  get(id: string): Delivery | null;
  /** The receiver answered 2xx. Resets the webhook's failure count. null unless it was outstanding. */
  markDelivered(id: string, result: { statusCode: number }): Delivery | null;
  /** The attempt failed; retried at `nextAttemptAt` (the app's backoff). Returns the webhook's failures in a row. */
  markFailed(id: string, result: { nextAttemptAt: number; statusCode?: number | null; error: string }): { delivery: Delivery; failureCount: number } | null;
  /** Gives up on it, which lets the next event of its chat go. */
  abandon(id: string, reason: string): Delivery | null;
  /** The webhook's delivery log, newest first. */
  list(webhookId: string, page: { limit: number; before?: string }): { deliveries: Delivery[]; nextBefore: string | null };
}

const T = 'webhook_deliveries';
const DELIVERY_COLUMNS = ['id', 'webhook_id', 'event_seq', 'chat_id', 'status', 'attempts', 'next_attempt_at', 'last_status_code', 'last_error', 'created_at', 'updated_at', 'delivered_at'];
const WEBHOOK_COLUMNS = ['id', 'account', 'url', 'events', 'chat_id', 'chat_ids', 'secret', 'enabled', 'disabled_reason', 'failure_count', 'created_at', 'updated_at'];
const EVENT_COLUMNS = ['seq', 'id', 'account', 'type', 'chat_id', 'at', 'backfilled', 'payload'];
/** Columns of a join, each prefixed, since a row object holds one value per name. */
const prefixed = (alias: string, columns: string[]) => columns.map((c) => `${alias}.${c} AS ${alias}_${c}`).join(', ');

const isStatus = (v: string): v is DeliveryStatus => (DELIVERY_STATUSES as readonly string[]).includes(v);

export function toDelivery(row: Row, prefix = ''): Delivery {
  const col = (c: string) => `${prefix}${c}`;
  const status = text(row, T, col('status'));
  if (!isStatus(status)) throw new TypeError(`${T}.status: unknown status "${status}"`);
  return {
    id: text(row, T, col('id')),
    webhookId: text(row, T, col('webhook_id')),
    eventSeq: int(row, T, col('event_seq')),
    chatId: optText(row, T, col('chat_id')),
    status,
    attempts: int(row, T, col('attempts')),
    nextAttemptAt: int(row, T, col('next_attempt_at')),
    lastStatusCode: optInt(row, T, col('last_status_code')),
    lastError: optText(row, T, col('last_error')),
    createdAt: int(row, T, col('created_at')),
    updatedAt: int(row, T, col('updated_at')),
    deliveredAt: optInt(row, T, col('delivered_at')),
  };
}

const OUTSTANDING = "status IN ('pending', 'failed')";

export function createDeliveriesRepo(db: Db, file: string, now: () => number): DeliveriesRepo {
  const matching = db.prepare(`
    SELECT id FROM webhooks
    WHERE account = :account AND enabled = 1
      AND (events IS NULL OR :type IN (SELECT value FROM json_each(events)))
      AND (chat_id IS NULL OR :chat_id IN (SELECT value FROM json_each(coalesce(chat_ids, json_array(chat_id)))))
    ORDER BY seq`);
  // OR IGNORE: enqueueing an event twice (a retried import) must not deliver it twice.
  const insert = db.prepare(`
    INSERT OR IGNORE INTO webhook_deliveries (id, webhook_id, event_seq, chat_id, next_attempt_at, created_at, updated_at)
    VALUES (:id, :webhook_id, :event_seq, :chat_id, :now, :now, :now) RETURNING *`);
  // The head of every (webhook, chat) queue, found by skipping from one queue to the next on
  // the partial index: one seek per queue however long the backlog behind a dead receiver.
  const due = db.prepare(`
    WITH RECURSIVE heads(seq, webhook_id, chat_key) AS (
      SELECT * FROM (
        SELECT seq, webhook_id, chat_key FROM webhook_deliveries WHERE ${OUTSTANDING}
        ORDER BY webhook_id, chat_key, event_seq LIMIT 1)
      UNION ALL
      -- The next chat of the same webhook, else the first chat of the next webhook: two
      -- seeks (a row-value (webhook_id, chat_key) > (…) would seek on webhook_id alone).
      SELECT n.seq, n.webhook_id, n.chat_key FROM heads h JOIN webhook_deliveries n ON n.seq = coalesce(
        (SELECT seq FROM webhook_deliveries WHERE ${OUTSTANDING} AND webhook_id = h.webhook_id AND chat_key > h.chat_key
         ORDER BY chat_key, event_seq LIMIT 1),
        (SELECT seq FROM webhook_deliveries WHERE ${OUTSTANDING} AND webhook_id > h.webhook_id
         ORDER BY webhook_id, chat_key, event_seq LIMIT 1))
    )
    SELECT ${prefixed('d', DELIVERY_COLUMNS)}, ${prefixed('w', WEBHOOK_COLUMNS)}, ${prefixed('e', EVENT_COLUMNS)}
    FROM heads h
    JOIN webhook_deliveries d ON d.seq = h.seq
    JOIN webhooks w ON w.id = d.webhook_id
    JOIN events e ON e.seq = d.event_seq
    WHERE d.next_attempt_at <= :now AND w.enabled = 1 AND (:account IS NULL OR w.account = :account)
    ORDER BY d.next_attempt_at, d.event_seq LIMIT :limit`);
  const byId = db.prepare('SELECT * FROM webhook_deliveries WHERE id = ?');
  const delivered = db.prepare(`
    UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status_code = :code, last_error = NULL,
      delivered_at = :now, updated_at = :now
    WHERE id = :id AND ${OUTSTANDING} RETURNING *`);
  const failed = db.prepare(`
    UPDATE webhook_deliveries SET status = 'failed', attempts = attempts + 1, last_status_code = :code, last_error = :error,
      next_attempt_at = :next, updated_at = :now
    WHERE id = :id AND ${OUTSTANDING} RETURNING *`);
  const abandoned = db.prepare(`
    UPDATE webhook_deliveries SET status = 'abandoned', last_error = :reason, updated_at = :now
    WHERE id = :id AND ${OUTSTANDING} RETURNING *`);
  const resetFailures = db.prepare('UPDATE webhooks SET failure_count = 0 WHERE id = ? AND failure_count <> 0');
  const addFailure = db.prepare('UPDATE webhooks SET failure_count = failure_count + 1 WHERE id = ? RETURNING failure_count');
  const page = db.prepare(`
    SELECT * FROM webhook_deliveries WHERE webhook_id = :webhook_id AND seq < :upper ORDER BY seq DESC LIMIT :limit`);
  const seqOf = db.prepare('SELECT seq FROM webhook_deliveries WHERE webhook_id = ? AND id = ?');

  const one = (row: Row | undefined) => (row ? toDelivery(row) : null);

  return {
    enqueueFor: (event) =>
      guarded(file, () =>
        immediate(db, () => {
          const t = now();
          const hooks = matching.all({ account: event.account, type: event.type, chat_id: event.chatId });
          return hooks.flatMap((h) => {
            const row = insert.get({ id: newDeliveryId(t), webhook_id: String(h.id), event_seq: event.seq, chat_id: event.chatId, now: t });
            return row ? [toDelivery(row)] : [];
          });
        }),
      ),

    due: (at, limit, account) =>
      guarded(file, () => {
        if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`due limit must be a positive integer, got ${limit}`);
        return due.all({ now: at, limit, account: account ?? null }).map((r) => ({ delivery: toDelivery(r, 'd_'), webhook: toWebhook(r, 'w_'), event: toEvent(r, 'e_') }));
      }),

    get: (id) => guarded(file, () => one(byId.get(id))),

    markDelivered: (id, result) =>
      guarded(file, () =>
        immediate(db, () => {
          const d = one(delivered.get({ id, code: result.statusCode, now: now() }));
          if (d) resetFailures.run(d.webhookId);
          return d;
        }),
      ),

    markFailed: (id, result) =>
      guarded(file, () =>
        immediate(db, () => {
          const d = one(failed.get({ id, code: result.statusCode ?? null, error: result.error, next: result.nextAttemptAt, now: now() }));
          if (!d) return null;
          return { delivery: d, failureCount: Number(addFailure.get(d.webhookId)?.failure_count ?? 0) };
        }),
      ),

    abandon: (id, reason) => guarded(file, () => one(abandoned.get({ id, reason, now: now() }))),

    list: (webhookId, p) =>
      guarded(file, () => {
        if (!Number.isInteger(p.limit) || p.limit < 1 || p.limit > MAX_DELIVERIES_PAGE) {
          throw new RangeError(`deliveries limit must be an integer from 1 to ${MAX_DELIVERIES_PAGE}, got ${p.limit}`);
        }
        let upper = Number.MAX_SAFE_INTEGER;
        if (p.before !== undefined) {
          const seq = seqOf.get(webhookId, p.before)?.seq;
          if (typeof seq !== 'number') return { deliveries: [], nextBefore: null };
          upper = seq;
        }
        const rows = page.all({ webhook_id: webhookId, upper, limit: p.limit + 1 });
        const deliveries = rows.slice(0, p.limit).map((r) => toDelivery(r));
        return { deliveries, nextBefore: rows.length > p.limit ? (deliveries.at(-1)?.id ?? null) : null };
      }),
  };
}
