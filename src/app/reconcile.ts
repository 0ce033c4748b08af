import type { MessageDto, WhatsAppSession } from '../whatsapp/session.js';
import { chatTypesOf, type OutgoingKind } from '../whatsapp/outgoing.js';

/**
 * WhatsApp stamps messages in whole seconds by its clock; ours may differ a little. A copy
 * stamped this much before the attempt still counts. Kept short: a forward is matched by
 * being ours and new, not by its text.
 */
export const CLOCK_SLACK_MS = 30_000;

export interface InFlight {
  kind: OutgoingKind;
  /** What the message shows (text, caption, poll question), or null. */
  matchText: string | null;
  /** When the attempt whose outcome is unknown started. */
  attemptAt: number;
}

/**
 * After a crash or a lost connection mid-send: the message in the chat that this attempt
 * produced, if WhatsApp has it. One of our own messages, of the right type, showing the same
 * text, stamped no earlier than the attempt, and not already recorded for another entry.
 * The oldest such message is taken, so entries reconciled oldest first pair up in order.
 */
export function findSentCopy(entry: InFlight, recent: readonly MessageDto[], claimed: (messageId: string) => boolean): MessageDto | null {
  const types = chatTypesOf(entry.kind);
  const since = (entry.attemptAt - CLOCK_SLACK_MS) / 1000;
  const candidates = recent
    .filter((m) => m.from_me && m.id !== null && (m.timestamp ?? 0) >= since)
    .filter((m) => types.length === 0 || (m.type !== null && types.includes(m.type)))
    .filter((m) => entry.matchText === null || m.body === entry.matchText)
    .filter((m) => !claimed(m.id!))
    .sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
  return candidates[0] ?? null;
}

/** Pages read back at most when a chat is searched (with pages of 50: the last 1,000 messages). */
export const MAX_RECONCILE_PAGES = 20;

/**
 * The chat's messages from about `attemptAt` on, oldest first, read back page by page.
 * Reading only the newest page missed the copy of a send cut off in a busy chat (more than a
 * page of messages since, e.g. while the bridge was down): it went out a second time.
 */
export async function messagesSince(session: Pick<WhatsAppSession, 'chatMessages'>, chatId: string, attemptAt: number, pageSize: number): Promise<MessageDto[]> {
  const since = (attemptAt - CLOCK_SLACK_MS) / 1000;
  const messages: MessageDto[] = [];
  let before: string | undefined;
  for (let pages = 0; pages < MAX_RECONCILE_PAGES; pages++) {
    const page = await session.chatMessages(chatId, pageSize, before);
    if (!page) break;
    messages.unshift(...page.messages);
    const oldest = page.messages[0];
    if (!page.nextBefore || !oldest || (oldest.timestamp ?? 0) < since) break;
    before = page.nextBefore;
  }
  return messages;
}
