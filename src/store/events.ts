import { bool, int, json, optText, text, toJson, type Row } from './columns.js';
import { guarded } from './errors.js';
import { newEventId } from './ids.js';
import { immediate, type Db } from './sqlite.js';

export const MAX_EVENTS_PAGE = 1_000;

/** One entry of the event log. Times are milliseconds since the epoch. */
export interface StoredEvent {
  /** The cursor: increases with every event, never reused. */
  seq: number;
  /** `ev_…`, stable: what SSE and MCP consumers may quote. */
  id: string;
  account: string;
  /** `message`, `message_ack`, `message_edit`, … as the app layer names them; not interpreted here. */
  type: string;
  chatId: string | null;
  /** When it happened (WhatsApp's time when known, else when the bridge saw it). */
  at: number;
  /** Found by the catch-up after downtime rather than received live. */
  backfilled: boolean;
  payload: unknown;
}

export interface NewEvent {
  type: string;
  chatId?: string | null;
  /** Defaults to the store's clock. */
  at?: number;
  backfilled?: boolean;
  /** Anything JSON can hold. */
  payload: unknown;
}

export interface EventFilter {
  /** Only these types; omitted or empty: all. */
  types?: readonly string[];
  /** Only events of these chats (a person's phone-number chat and LID chat are two); omitted or empty: all. */
  chatIds?: readonly string[];
  limit: number;
}

export interface EventsRepo {
  /** Appends one event; its seq is above every seq handed out before. */
  append(account: string, event: NewEvent): StoredEvent;
  /** Appends several in one transaction, in the order given. */
  appendMany(account: string, events: readonly NewEvent[]): StoredEvent[];
  get(seq: number): StoredEvent | null;
  /** The account's events with seq > `cursor`, oldest first (0 = from the start). */
  after(account: string, cursor: number, filter: EventFilter): StoredEvent[];
  /** The account's events with seq < `cursor`, newest first (null = from the newest). */
  before(account: string, cursor: number | null, filter: EventFilter): StoredEvent[];
  /** The newest seq of the account, 0 when it has none: where a new live consumer starts. */
  latestCursor(account: string): number;
}

export function toEvent(row: Row, prefix = ''): StoredEvent {
  const col = (c: string) => `${prefix}${c}`;
  return {
    seq: int(row, 'events', col('seq')),
    id: text(row, 'events', col('id')),
    account: text(row, 'events', col('account')),
    type: text(row, 'events', col('type')),
    chatId: optText(row, 'events', col('chat_id')),
    at: int(row, 'events', col('at')),
    backfilled: bool(row, 'events', col('backfilled')),
    payload: json(row, 'events', col('payload')),
  };
}

export function createEventsRepo(db: Db, file: string, now: () => number): EventsRepo {
  const insert = db.prepare(`
    INSERT INTO events (id, account, type, chat_id, at, backfilled, payload)
    VALUES (:id, :account, :type, :chat_id, :at, :backfilled, :payload)
    RETURNING *`);
  const bySeq = db.prepare('SELECT * FROM events WHERE seq = ?');
  const latest = db.prepare('SELECT max(seq) AS seq FROM events WHERE account = ?');
  // A statement per filter shape and direction, each on the index that fits it.
  const page = (cmp: '>' | '<', order: 'ASC' | 'DESC') => ({
    all: db.prepare(`SELECT * FROM events WHERE account = :account AND seq ${cmp} :cursor ORDER BY seq ${order} LIMIT :limit`),
    chat: db.prepare(`SELECT * FROM events WHERE account = :account AND chat_id IN (SELECT value FROM json_each(:chat_ids)) AND seq ${cmp} :cursor ORDER BY seq ${order} LIMIT :limit`),
    types: db.prepare(`
      SELECT * FROM events WHERE account = :account AND seq ${cmp} :cursor AND type IN (SELECT value FROM json_each(:types))
      ORDER BY seq ${order} LIMIT :limit`),
    both: db.prepare(`
      SELECT * FROM events WHERE account = :account AND chat_id IN (SELECT value FROM json_each(:chat_ids)) AND seq ${cmp} :cursor
        AND type IN (SELECT value FROM json_each(:types))
      ORDER BY seq ${order} LIMIT :limit`),
  });
  const forward = page('>', 'ASC');
  const backward = page('<', 'DESC');

  function query(pages: typeof forward, account: string, cursor: number, filter: EventFilter): StoredEvent[] {
    if (!Number.isInteger(filter.limit) || filter.limit < 1 || filter.limit > MAX_EVENTS_PAGE) {
      throw new RangeError(`events limit must be an integer from 1 to ${MAX_EVENTS_PAGE}, got ${filter.limit}`);
    }
    if (!Number.isSafeInteger(cursor) || cursor < 0) throw new RangeError(`an event cursor is a seq (an integer ≥ 0), got ${cursor}`);
    const types = filter.types?.length ? JSON.stringify(filter.types) : null;
    const chat = filter.chatIds?.length ? JSON.stringify(filter.chatIds) : null;
    const stmt = types && chat !== null ? pages.both : types ? pages.types : chat !== null ? pages.chat : pages.all;
    const rows = stmt.all({
      account,
      cursor,
      limit: filter.limit,
      ...(types ? { types } : {}),
      ...(chat !== null ? { chat_ids: chat } : {}),
    });
    return rows.map((r) => toEvent(r));
  }

  function appendOne(account: string, event: NewEvent): StoredEvent {
    if (event.type.length < 1 || event.type.length > 64) throw new RangeError(`event type must be 1 to 64 characters, got ${JSON.stringify(event.type)}`);
    const at = event.at ?? now();
    const row = insert.get({
      id: newEventId(at),
      account,
      type: event.type,
      chat_id: event.chatId ?? null,
      at,
      backfilled: event.backfilled ? 1 : 0,
      payload: toJson(event.payload, 'event payload'),
    });
    if (!row) throw new Error('event insert returned no row');
    return toEvent(row);
  }

  return {
    append: (account, event) => guarded(file, () => appendOne(account, event)),

    appendMany: (account, events) => guarded(file, () => immediate(db, () => events.map((e) => appendOne(account, e)))),

    get: (seq) =>
      guarded(file, () => {
        const row = bySeq.get(seq);
        return row ? toEvent(row) : null;
      }),

    after: (account, cursor, filter) => guarded(file, () => query(forward, account, cursor, filter)),

    before: (account, cursor, filter) => guarded(file, () => query(backward, account, cursor ?? Number.MAX_SAFE_INTEGER, filter)),

    latestCursor: (account) =>
      guarded(file, () => {
        const seq = latest.get(account)?.seq;
        return typeof seq === 'number' ? seq : 0;
      }),
  };
}
