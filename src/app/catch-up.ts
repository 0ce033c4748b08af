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
}

export interface CatchUpOptions {
  /** The most recently active chats to look at. */
  chats: number;
  /** Messages read back per chat. */
  perChat: number;
}

export const CATCH_UP_DEFAULTS: CatchUpOptions = { chats: 50, perChat: 100 };

/**
 * When WhatsApp becomes ready: messages that arrived while the bridge or its browser was
 * down are in WhatsApp Web's chats but not in the store. Each recently active chat we have
 * recorded before is read back to its newest recorded message; what is missing is recorded
 * and pushed as events flagged `backfilled`, oldest first. Chats never recorded are left to
 * the history import (they would otherwise flood the log on the first link).
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
  for (const chat of await session.listChats(opts.chats)) {
    if (!chat.id || skip.has(chat.id)) continue;
    const newest = recorded.newestTimestamp(account, chat.id);
    if (newest === null) continue;
    try {
      const page = await session.chatMessages(chat.id, opts.perChat);
      const missing = (page?.messages ?? []).filter((m) => m.id !== null && (m.timestamp ?? 0) >= newest && !recorded.has(account, m.id));
      for (const m of missing) if (hub.recordWa(asEvent(chat.id, m), true)) found++;
    } catch (err) {
      log.warn({ chat: chat.id, err: describeError(err) }, 'catch-up could not read a chat');
    }
  }
  if (found) log.info({ found }, 'caught up: messages that arrived while the bridge was down are recorded');
  return found;
}

function asEvent(chatId: string, m: MessageDto): WaEvent {
  return { type: m.from_me ? 'message_create' : 'message', chat_id: chatId, timestamp: m.timestamp, message: m };
}
