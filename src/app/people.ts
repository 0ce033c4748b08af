import type { ChatView } from '../shared/wire.js';
import { identityOf } from '../whatsapp/dto.js';
import { messageNotFound, type ChatDto, type ChatPage, type Identity, type MessageDto, type WhatsAppSession } from '../whatsapp/session.js';

/**
 * One person, one chat. Since WhatsApp moved people to LIDs (privacy ids), WhatsApp Web may
 * hold two chats with the same person: the phone-number chat ("…@c.us", the messages from
 * before) and the LID chat ("…@lid", the newer ones). Lists, reads and search show them as
 * one chat, named by the phone-number id when it is known (sends to it reach the LID chat,
 * as WhatsApp Web's own chat lookup does); the LID is given alongside.
 */

const PERSON = /@(c\.us|lid)$/;

export function isPersonId(id: string): boolean {
  return PERSON.test(id);
}

/** The chat a serialized message id belongs to: "<fromMe>_<chat>_<id>[_<participant>]". */
export function chatOfMessage(messageId: string): string | null {
  return messageId.split('_')[1] || null;
}

/**
 * The WhatsApp Web chats one chat id stands for, phone-number chat first: a person's two
 * ids (where known), anything else (groups) itself.
 */
export function chatIdsOf(chatId: string, who: Identity | undefined): string[] {
  if (!isPersonId(chatId)) return [chatId];
  const { phone, lid } = who ?? identityOf(chatId);
  const ids = [phone, lid].filter((id): id is string => id !== null);
  return ids.includes(chatId) ? ids : [chatId, ...ids];
}

/** The person behind a chat id, as the session knows them (just the id itself when it cannot say). */
export async function identityOfChat(session: WhatsAppSession, chatId: string): Promise<Identity | null> {
  if (!isPersonId(chatId)) return null;
  return (await session.identities([chatId])).get(chatId) ?? identityOf(chatId);
}

/**
 * Chats as the API shows them, in the order given (most recent first): a person's chats
 * merged into the place of the most recent one.
 */
export function mergeChats(chats: readonly ChatDto[], people: ReadonlyMap<string, Identity>): ChatView[] {
  // A pair known from either side joins both: the phone number is the key.
  const phoneOfLid = new Map<string, string>();
  for (const who of people.values()) if (who.phone && who.lid) phoneOfLid.set(who.lid, who.phone);
  const groups = new Map<string, { chats: ChatDto[]; who: Identity | null }>();
  chats.forEach((chat, i) => {
    const id = chat.id;
    if (!id || !isPersonId(id)) {
      groups.set(`#${i}`, { chats: [chat], who: null });
      return;
    }
    const known = identityOf(id, people);
    const phone = known.phone ?? (known.lid ? (phoneOfLid.get(known.lid) ?? null) : null);
    const key = phone ?? known.lid ?? id;
    const group = groups.get(key);
    if (group) {
      group.chats.push(chat);
      group.who = { phone: group.who?.phone ?? phone, lid: group.who?.lid ?? known.lid };
    } else groups.set(key, { chats: [chat], who: { phone, lid: known.lid } });
  });
  return [...groups.values()].map((g) => chatView(g.chats, g.who));
}

/**
 * One chat as the API shows it, from WhatsApp Web's chats with the same person (or the one
 * chat of a group). `chats` most recent first: the newest one's flags are the person's now.
 */
export function chatView(chats: readonly ChatDto[], who: Identity | null): ChatView {
  const [newest, ...others] = [...chats].sort((a, b) => (b.timestamp ?? 0) - (a.timestamp ?? 0));
  if (!newest) throw new RangeError('chatView needs at least one chat');
  // The phone-number chat first, as everywhere a person's two chats are listed.
  const ids = chats
    .map((c) => c.id)
    .filter((id): id is string => id !== null)
    .sort((a, b) => Number(a.endsWith('@lid')) - Number(b.endsWith('@lid')));
  const phone = who?.phone ?? ids.find((id) => id.endsWith('@c.us')) ?? null;
  const lid = who?.lid ?? ids.find((id) => id.endsWith('@lid')) ?? null;
  return {
    ...newest,
    id: newest.is_group ? newest.id : (phone ?? newest.id),
    name: newest.name ?? others.find((c) => c.name)?.name ?? null,
    unread_count: chats.reduce((n, c) => n + c.unread_count, 0),
    pinned: chats.some((c) => c.pinned),
    last_message: newest.last_message ?? others.find((c) => c.last_message)?.last_message ?? null,
    phone: newest.is_group ? null : phone,
    lid: newest.is_group ? null : lid,
    chat_ids: ids,
  };
}

/**
 * Several chats' messages (each oldest first, the lists in the order of `chatIdsOf`) as one
 * conversation in time order, the newest `limit`. A tie in time goes to the earlier list:
 * the phone-number chat holds the older conversation.
 */
export function mergeMessages(lists: readonly (readonly MessageDto[])[], limit: number): { messages: MessageDto[]; cut: boolean } {
  const heads = lists.map(() => 0);
  const merged: MessageDto[] = [];
  for (;;) {
    let pick = -1;
    lists.forEach((list, i) => {
      const m = list[heads[i]!];
      if (m === undefined) return;
      if (pick < 0 || (m.timestamp ?? 0) < (lists[pick]![heads[pick]!]!.timestamp ?? 0)) pick = i;
    });
    if (pick < 0) break;
    merged.push(lists[pick]![heads[pick]!]!);
    heads[pick]!++;
  }
  return { messages: merged.slice(-limit), cut: merged.length > limit };
}

export interface PersonPage {
  chat: ChatView;
  messages: MessageDto[];
  nextBefore: string | null;
}

/**
 * A page of one chat (a person's two chats as one conversation), newest `limit` before
 * `before` (a message id from either chat, the `nextBefore` of the page after it); null when
 * WhatsApp Web has none of the chats. Each chat is paged by WhatsApp Web; the other chat of
 * the message `before` names is cut at that message's time, so pages neither repeat nor skip.
 */
export async function readChat(session: WhatsAppSession, chatId: string, limit: number, before?: string): Promise<PersonPage | null> {
  const who = await identityOfChat(session, chatId);
  const ids = chatIdsOf(chatId, who ?? undefined);
  const anchor = before === undefined ? null : chatOfMessage(before);
  if (ids.length === 1 || (anchor !== null && !ids.includes(anchor))) {
    // One chat (or a cursor from another chat, which WhatsApp Web reports as not found).
    const page = await session.chatMessages(ids[0]!, limit, before);
    return page && { chat: chatView([page.chat], who), messages: page.messages, nextBefore: page.nextBefore };
  }
  const pages: (ChatPage | null)[] = ids.map(() => null);
  let time: number | null = null;
  const at = anchor === null ? -1 : ids.indexOf(anchor);
  if (at >= 0) {
    const page = await session.chatMessages(ids[at]!, limit, before);
    if (!page) throw messageNotFound(before!);
    pages[at] = page;
    time = page.beforeTime;
    if (time === null) return { chat: chatView([page.chat], who), messages: page.messages, nextBefore: page.nextBefore };
  }
  for (let i = 0; i < ids.length; i++) {
    if (i === at) continue;
    // The tie rule of mergeMessages: an earlier chat's messages of the same second come first.
    const bound = time === null ? undefined : { time: i < at ? time + 1 : time };
    pages[i] = await session.chatMessages(ids[i]!, limit, bound);
  }
  const found = pages.filter((p): p is ChatPage => p !== null);
  if (!found.length) return null;
  const { messages, cut } = mergeMessages(found.map((p) => p.messages), limit);
  const more = cut || found.some((p) => p.nextBefore !== null);
  return { chat: chatView(found.map((p) => p.chat), who), messages, nextBefore: more ? (messages[0]?.id ?? null) : null };
}
