import type { Ack } from '../shared/wire.js';
import { guarded } from './errors.js';
import { applyAck, applyEdit, applyRevoke, changed, fresh, mergeCopy } from './messages-merge.js';
import { MESSAGE_COLUMNS as COLUMNS, toMessage, toParams, type IncomingMessage, type MessageSource, type StoredMessage } from './messages-rows.js';
import { createSearch, type SearchLimits, type SearchPage, type SearchQuery } from './search.js';
import { createSearchIndexWriter } from './search-index.js';
import { createFirstImportRepo, type FirstImportRepo } from './messages-import.js';
import { immediate, type Db } from './sqlite.js';

export const MAX_MESSAGES_PAGE = 500;

export interface UpsertResult {
  message: StoredMessage;
  /** The store did not have this message before. */
  created: boolean;
  /** Something stored changed (always true when created). */
  changed: boolean;
}

export interface MessagePage {
  /** Newest first. */
  messages: StoredMessage[];
  /** The id to pass as `before` for the next (older) page, or null at the end. */
  nextBefore: string | null;
}

/** A chat, or the ids one chat goes by (a person's phone-number chat and LID chat). */
export type ChatIds = string | readonly string[];

export interface MessagesRepo {
  /** Stores a copy of a message, merging it into what is stored (see messages-merge.ts). */
  upsert(account: string, message: IncomingMessage, source: MessageSource): UpsertResult;
  /** Several copies in one transaction, results in the order given. */
  upsertMany(account: string, messages: readonly IncomingMessage[], source: MessageSource): UpsertResult[];
  get(account: string, id: string): StoredMessage | null;
  /** A chat's messages, newest first (WhatsApp's order, whatever order they were stored in). */
  list(account: string, chatId: ChatIds, page: { limit: number; before?: string }): MessagePage;
  /** The newest stored message of a chat: where the catch-up after downtime starts looking. */
  newestInChat(account: string, chatId: ChatIds): { id: string; timestamp: number } | null;
  /** WhatsApp's timestamp (seconds) of the account's newest stored message in any chat, or null when none is stored. */
  newestTimestamp(account: string): number | null;
  /**
   * The person of a one-to-one chat by both ids, as recorded with the newest message they
   * wrote there that carries both; null when none does (or the id is not a person's).
   */
  personOfChat(account: string, chatId: string): { phone: string; lid: string } | null;
  /** null when the message is not stored or the ack is not newer than the one it has. */
  updateAck(account: string, id: string, ack: Ack): StoredMessage | null;
  /** An edit (`at`: WhatsApp's edit time, ms); null when not stored, revoked, or not newer than the text held. */
  edit(account: string, id: string, edit: { body: string; at: number }): StoredMessage | null;
  /** Deleted for everyone; null when not stored or already revoked. */
  revoke(account: string, id: string, at?: number): StoredMessage | null;
  /** Forgets a message and its index entries; false when it was not stored. */
  delete(account: string, id: string): boolean;
  search(account: string, query: SearchQuery): SearchPage;
  /** The history import on the first link: its plan and progress (messages-import.ts). */
  readonly firstImport: FirstImportRepo;
}

/** ord = timestamp × 2^20 + n: the n-th message stored for that second (see migrations.ts). */
const PER_SECOND = 2 ** 20;

export function createMessagesRepo(db: Db, file: string, now: () => number, searchLimits?: SearchLimits): MessagesRepo {
  const byId = db.prepare('SELECT * FROM messages WHERE account = ? AND id = ?');
  const topOfSecond = db.prepare('SELECT max(ord) AS top FROM messages WHERE ord >= ? AND ord < ?');
  const insert = db.prepare(`INSERT INTO messages (ord, ${COLUMNS.join(', ')}) VALUES (:ord, ${COLUMNS.map((c) => `:${c}`).join(', ')})`);
  const update = db.prepare(`UPDATE messages SET ${COLUMNS.map((c) => `${c} = :${c}`).join(', ')} WHERE account = :account AND id = :id RETURNING ord`);
  const remove = db.prepare('DELETE FROM messages WHERE account = ? AND id = ? RETURNING ord');
  const ordOf = db.prepare('SELECT ord FROM messages WHERE account = ? AND id = ?');
  const one = {
    page: db.prepare('SELECT * FROM messages WHERE account = :account AND chat_id = :chat AND ord < :upper ORDER BY ord DESC LIMIT :limit'),
    newest: db.prepare('SELECT id, timestamp FROM messages WHERE account = ? AND chat_id = ? ORDER BY ord DESC LIMIT 1'),
  };
  const newestOfAccount = db.prepare('SELECT timestamp FROM messages WHERE account = ? ORDER BY ord DESC LIMIT 1');
  const many = {
    page: db.prepare(`
      SELECT * FROM messages WHERE account = :account AND chat_id IN (SELECT value FROM json_each(:chat)) AND ord < :upper
      ORDER BY ord DESC LIMIT :limit`),
    newest: db.prepare('SELECT id, timestamp FROM messages WHERE account = ? AND chat_id IN (SELECT value FROM json_each(?)) ORDER BY ord DESC LIMIT 1'),
  };
  // Their own messages in their one-to-one chat name them; ours name us.
  const person = db.prepare(`
    SELECT sender_phone, sender_lid FROM messages
    WHERE account = ? AND chat_id = ? AND from_me = 0 AND sender_phone IS NOT NULL AND sender_lid IS NOT NULL
    ORDER BY ord DESC LIMIT 1`);
  const index = createSearchIndexWriter(db);
  const search = createSearch(db, searchLimits);

  const stored = (account: string, id: string) => {
    const row = byId.get(account, id);
    return row ? toMessage(row) : null;
  };

  function newOrd(timestamp: number): number {
    const base = timestamp * PER_SECOND;
    const top = topOfSecond.get(base, base + PER_SECOND)?.top;
    const ord = typeof top === 'number' ? top + 1 : base;
    if (ord >= base + PER_SECOND) throw new RangeError(`more than ${PER_SECOND} messages stored for the second ${timestamp}`);
    return ord;
  }

  /** Writes `next` over `before` (null: a new row), keeping the indexes in step. */
  function write(before: StoredMessage | null, next: StoredMessage): void {
    if (before === null) {
      const ord = newOrd(next.timestamp);
      insert.run({ ord, ...toParams(next) });
      index.add(ord, next.body);
      return;
    }
    const row = update.get(toParams(next));
    if (row && next.body !== before.body) {
      const ord = Number(row.ord);
      index.remove(ord);
      index.add(ord, next.body);
    }
  }

  function upsertOne(account: string, input: IncomingMessage, source: MessageSource): UpsertResult {
    const t = now();
    const before = input.message.id ? stored(account, input.message.id) : null;
    const next = before ? mergeCopy(before, input, t) : fresh(account, input, source, t);
    const isChanged = before === null || changed(before, next);
    if (!isChanged) return { message: before!, created: false, changed: false };
    const result = { ...next, updatedAt: t };
    write(before, result);
    return { message: result, created: before === null, changed: true };
  }

  /** Applies `fn` to a stored message; null when it is not stored or nothing changed. */
  function change(account: string, id: string, fn: (m: StoredMessage) => StoredMessage): StoredMessage | null {
    return immediate(db, () => {
      const before = stored(account, id);
      if (!before) return null;
      const next = fn(before);
      if (!changed(before, next)) return null;
      const result = { ...next, updatedAt: now() };
      write(before, result);
      return result;
    });
  }

  const limitOf = (limit: number) => {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_MESSAGES_PAGE) {
      throw new RangeError(`messages limit must be an integer from 1 to ${MAX_MESSAGES_PAGE}, got ${limit}`);
    }
    return limit;
  };
  /** One id keeps its index order; several are merged with a sort. */
  const chats = (chatId: ChatIds) => (typeof chatId === 'string' ? { one: true, chat: chatId } : chatId.length === 1 ? { one: true, chat: chatId[0]! } : { one: false, chat: JSON.stringify(chatId) });

  return {
    upsert: (account, message, source) => guarded(file, () => immediate(db, () => upsertOne(account, message, source))),

    upsertMany: (account, messages, source) => guarded(file, () => immediate(db, () => messages.map((m) => upsertOne(account, m, source)))),

    get: (account, id) => guarded(file, () => stored(account, id)),

    list: (account, chatId, page) =>
      guarded(file, () => {
        const limit = limitOf(page.limit);
        const { one: single, chat } = chats(chatId);
        let upper = Number.MAX_SAFE_INTEGER;
        if (page.before !== undefined) {
          const at = ordOf.get(account, page.before)?.ord;
          // An unknown cursor gives an empty page, as in the outbox.
          if (typeof at !== 'number') return { messages: [], nextBefore: null };
          upper = at;
        }
        const rows = (single ? one.page : many.page).all({ account, chat, upper, limit: limit + 1 });
        const messages = rows.slice(0, limit).map(toMessage);
        return { messages, nextBefore: rows.length > limit ? (messages.at(-1)?.id ?? null) : null };
      }),

    newestInChat: (account, chatId) =>
      guarded(file, () => {
        const { one: single, chat } = chats(chatId);
        const row = (single ? one.newest : many.newest).get(account, chat);
        return row ? { id: String(row.id), timestamp: Number(row.timestamp) } : null;
      }),

    newestTimestamp: (account) =>
      guarded(file, () => {
        const row = newestOfAccount.get(account);
        return row ? Number(row.timestamp) : null;
      }),

    personOfChat: (account, chatId) =>
      guarded(file, () => {
        if (!/@(c\.us|lid)$/.test(chatId)) return null;
        const row = person.get(account, chatId);
        return row ? { phone: String(row.sender_phone), lid: String(row.sender_lid) } : null;
      }),

    updateAck: (account, id, ack) => guarded(file, () => change(account, id, (m) => applyAck(m, ack))),

    edit: (account, id, e) => guarded(file, () => change(account, id, (m) => applyEdit(m, e.body, e.at))),

    revoke: (account, id, at) => guarded(file, () => change(account, id, (m) => applyRevoke(m, at ?? now()))),

    delete: (account, id) =>
      guarded(file, () =>
        immediate(db, () => {
          const row = remove.get(account, id);
          if (row) index.remove(Number(row.ord));
          return row !== undefined;
        }),
      ),

    search: (account, query) => guarded(file, () => search(account, query)),

    firstImport: createFirstImportRepo(db, file, now),
  };
}
