import { guarded } from './errors.js';
import { newOutboxId } from './ids.js';
import type { Db } from './sqlite.js';

/** ord = timestamp (s) × 2^20 + n (see migrations.ts): a time range of messages is a rowid range. */
const PER_SECOND = 2 ** 20;

/**
 * An outbox id below every send recorded since `at`: ids start with their time, so a time
 * range of sends is an id range. A minute of slack: a send with media takes its id when its
 * files are written, a moment before its row is.
 */
const idFloor = (at: number): string => `${newOutboxId(Math.max(0, at - 60_000)).slice(0, 13)}${'0'.repeat(16)}`;

/**
 * What the send policies ask of the past (issue 12), answered from the outbox and the stored
 * messages: who wrote to us lately, whom this account and each client key wrote to, and how
 * fast. Read-only; every query uses an index or a bounded rowid range.
 */
export interface SendHistory {
  /**
   * The newest message someone else wrote, since `sinceSeconds`, in one of `chatIds`, or by
   * one of them in a one-to-one chat stored under their other id (phone number or LID).
   * Seconds, or null. Also the LIDs such messages came from, so one person counts once.
   */
  lastIncoming(account: string, chatIds: readonly string[], sinceSeconds: number): { at: number | null; otherIds: string[] };
  /** Whether this account ever wrote to one of `chatIds`: a send that went out, or one of our messages in the chat. */
  everWrittenTo(account: string, chatIds: readonly string[]): boolean;
  /** Whether the client key has a send (not canceled) to the chat. */
  clientWroteTo(account: string, client: string, chatId: string): boolean;
  /** When the client key first wrote to each chat it first wrote to at or after `since` (ms), oldest first. */
  clientFirstSendsSince(account: string, client: string, since: number): number[];
  /** When the client key's sends (not canceled) to the chat since `since` (ms) were recorded, oldest first. */
  clientSendsToChatSince(account: string, client: string, chatId: string, since: number): number[];
}

export function createSendHistory(db: Db, file: string): SendHistory {
  // First the chat itself (its index); only when it has nothing in the window, the person's
  // other id: a scan of the window (a rowid range). "+account" keeps the planner on that
  // range rather than the account's whole (account, id) index (measured on 200k messages:
  // 30 ms → 1 ms for a 24 h window).
  const inChat = db.prepare(`
    SELECT max(timestamp) AS at, json_group_array(DISTINCT sender_lid) FILTER (WHERE sender_lid IS NOT NULL) AS lids
    FROM messages
    WHERE account = :account AND chat_id IN (SELECT value FROM json_each(:ids)) AND ord >= :lower AND from_me = 0`);
  const byPerson = db.prepare(`
    SELECT max(timestamp) AS at, json_group_array(DISTINCT sender_lid) FILTER (WHERE sender_lid IS NOT NULL) AS lids
    FROM messages
    WHERE ord >= :lower AND +account = :account AND from_me = 0 AND chat_id NOT LIKE '%@g.us'
      AND (sender_phone IN (SELECT value FROM json_each(:ids)) OR sender_lid IN (SELECT value FROM json_each(:ids)))`);
  const sentTo = db.prepare(`
    SELECT 1 FROM outbox WHERE account = :account AND chat_id IN (SELECT value FROM json_each(:ids)) AND status IN ('sent', 'delivered', 'read') LIMIT 1`);
  const ourMessage = db.prepare(`
    SELECT 1 FROM messages WHERE account = :account AND chat_id IN (SELECT value FROM json_each(:ids)) AND from_me = 1 LIMIT 1`);
  const clientWrote = db.prepare("SELECT 1 FROM outbox WHERE account = ? AND chat_id = ? AND client = ? AND status <> 'canceled' LIMIT 1");
  // The chats written to lately (an id range), then each one's first send by this key (the chat index).
  const firstSends = db.prepare(`
    SELECT (SELECT min(o.created_at) FROM outbox o WHERE o.account = r.account AND o.chat_id = r.chat_id AND o.client = r.client AND o.status <> 'canceled') AS first
    FROM (SELECT DISTINCT account, chat_id, client FROM outbox WHERE id >= :floor AND account = :account AND client = :client AND status <> 'canceled') r
    WHERE first >= :since ORDER BY first`);
  const chatSends = db.prepare(`
    SELECT created_at FROM outbox
    WHERE account = :account AND chat_id = :chat AND id >= :floor AND client = :client AND created_at >= :since AND status <> 'canceled'
    ORDER BY created_at`);

  return {
    lastIncoming: (account, chatIds, sinceSeconds) =>
      guarded(file, () => {
        const params = { lower: Math.max(0, Math.floor(sinceSeconds)) * PER_SECOND, account, ids: JSON.stringify(chatIds) };
        let row = inChat.get(params);
        if (typeof row?.at !== 'number') row = byPerson.get(params);
        const lids = row?.lids ? (JSON.parse(String(row.lids)) as string[]) : [];
        return { at: typeof row?.at === 'number' ? row.at : null, otherIds: lids.filter((l) => !chatIds.includes(l)) };
      }),

    everWrittenTo: (account, chatIds) =>
      guarded(file, () => {
        const ids = JSON.stringify(chatIds);
        return sentTo.get({ account, ids }) !== undefined || ourMessage.get({ account, ids }) !== undefined;
      }),

    clientWroteTo: (account, client, chatId) => guarded(file, () => clientWrote.get(account, chatId, client) !== undefined),

    clientFirstSendsSince: (account, client, since) =>
      guarded(file, () => firstSends.all({ floor: idFloor(since), account, client, since }).map((r) => Number(r.first))),

    clientSendsToChatSince: (account, client, chatId, since) =>
      guarded(file, () => chatSends.all({ account, chat: chatId, floor: idFloor(since), client, since }).map((r) => Number(r.created_at))),
  };
}
