import { describeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { WaEvent } from '../shared/events.js';
import type { MessageDto, WhatsAppSession } from '../whatsapp/session.js';
import type { EventHub } from './events.js';

/** What catch-up asks of the store about messages already recorded. */
export interface RecordedMessages {
  has(account: string, messageId: string): boolean;
  /** WhatsApp's timestamp (seconds) of the newest recorded message of a chat, or null. */
  newestTimestamp(account: string, chatId: string): number | null;
  /** The same over every chat of the account: when the bridge last recorded anything. */
  newestOverall(account: string): number | null;
}

export interface CatchUpOptions {
  /** The most recently active chats to look at. */
  chats: number;
  /** Messages read back per page; a chat is paged back until its newest recorded message. */
  perChat: number;
  /** At most this many messages read back in one chat (a chat flooded while the bridge was down). */
  maxPerChat: number;
}

export const CATCH_UP_DEFAULTS: CatchUpOptions = { chats: 50, perChat: 100, maxPerChat: 2_000 };

/**
 * When WhatsApp becomes ready: messages that arrived while the bridge or its browser was
 * down are in WhatsApp Web's chats but not in the store. Each recently active chat is read
 * back, page by page, to its newest recorded message — or, for a chat never recorded (someone
 * new wrote meanwhile), to the newest message recorded in any chat, when the bridge last saw
 * anything; what is missing is recorded and pushed as events flagged `backfilled`, oldest
 * first. With nothing recorded at all (the first link) catch-up does nothing: that is the
 * history import's, which would otherwise flood the log.
 */
export async function catchUp(
  account: string,
  session: WhatsAppSession,
  hub: EventHub,
  recorded: RecordedMessages,
  log: Logger,
  opts: CatchUpOptions = CATCH_UP_DEFAULTS,
  /** Chats the first link's history import has still to import: theirs, not catch-up's. */
  skip: ReadonlySet<string> = new Set(),
): Promise<number> {
  let found = 0;
  const lastSeen = recorded.newestOverall(account);
  if (lastSeen === null) return 0;
  for (const chat of await session.listChats(opts.chats)) {
    if (!chat.id || skip.has(chat.id)) continue;
    // A chat that got nothing after the bridge last saw anything has nothing to catch up.
    if (chat.timestamp !== null && chat.timestamp !== undefined && chat.timestamp < lastSeen) continue;
    const since = recorded.newestTimestamp(account, chat.id) ?? lastSeen;
    try {
      const missing = await unrecorded(session, chat.id, since, (id) => recorded.has(account, id), opts);
      for (const m of missing) if (hub.recordWa(asEvent(chat.id, m), true)) found++;
    } catch (err) {
      log.warn({ chat: chat.id, err: describeError(err) }, 'catch-up could not read a chat');
    }
  }
  if (found) log.info({ found }, 'caught up: messages that arrived while the bridge was down are recorded');
  return found;
}

/**
 * The chat's messages from `since` (seconds) on that are not recorded, oldest first: pages
 * of `perChat` read back (newest first) until one reaches `since`, at most `maxPerChat`.
 */
async function unrecorded(session: WhatsAppSession, chatId: string, since: number, has: (id: string) => boolean, opts: CatchUpOptions): Promise<MessageDto[]> {
  const found: MessageDto[] = [];
  let before: string | undefined;
  for (let read = 0; read < opts.maxPerChat; ) {
    const page = await session.chatMessages(chatId, Math.min(opts.perChat, opts.maxPerChat - read), before);
    const messages = page?.messages ?? [];
    if (messages.length === 0) break;
    read += messages.length;
    // Pages come oldest first; this one's newer messages go after what older pages find.
    found.unshift(...messages.filter((m) => m.id !== null && (m.timestamp ?? 0) >= since && !has(m.id)));
    const oldest = messages[0]!;
    if ((oldest.timestamp ?? 0) < since || !page?.nextBefore) break;
    before = page.nextBefore;
  }
  return found;
}

function asEvent(chatId: string, m: MessageDto): WaEvent {
  return { type: m.from_me ? 'message_create' : 'message', chat_id: chatId, timestamp: m.timestamp, message: m };
}
