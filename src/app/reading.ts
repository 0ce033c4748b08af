import type { z } from 'zod';
import { AppError } from '../core/errors.js';
import { normalizePhone, phoneToChatId } from '../core/phone.js';
import type { MediaFile, WhatsAppSession } from '../whatsapp/session.js';
import { chatIdsOf, identityOfChat, isPersonId, mergeChats, readChat } from './people.js';
import type {
  ChatMessagesQuery,
  ChatPageResult,
  ChatsResult,
  ContactsQuery,
  ContactsResult,
  GroupsResult,
  ListChatsInput,
  MessagesResult,
  ReadMessagesInput,
  UnreadInput,
  UnreadResult,
} from './schemas/index.js';

type In<S extends z.ZodType> = z.output<S>;

/**
 * Reading the account (chats, messages, groups, contacts, files) and the actions on what
 * is already there (mark read, delete for everyone). Reading never marks anything as read.
 * A person's phone-number chat and LID chat are one chat throughout (people.ts).
 */
export class Reading {
  constructor(private readonly session: WhatsAppSession) {}

  async listChats(input: In<typeof ListChatsInput>): Promise<z.output<typeof ChatsResult>> {
    await this.session.waitUntilReady();
    const chats = (await this.recentChats(input.limit)).slice(0, input.limit);
    return { ok: true, count: chats.length, chats };
  }

  async readMessages(input: In<typeof ReadMessagesInput>): Promise<z.output<typeof MessagesResult>> {
    const digits = normalizePhone(input.phone_number);
    await this.session.waitUntilReady();
    const found = await readChat(this.session, phoneToChatId(digits), input.limit);
    if (!found) {
      throw new AppError('CHAT_NOT_FOUND', `There is no chat with ${digits} yet. Check the number (with country code), list your chats, or send a message first.`, {
        next: 'list_chats',
      });
    }
    return { ok: true, chat: found.chat, count: found.messages.length, messages: found.messages };
  }

  async chatMessages(chatIdOrPhone: string, input: In<typeof ChatMessagesQuery>): Promise<z.output<typeof ChatPageResult>> {
    const chatId = toChatId(chatIdOrPhone);
    await this.session.waitUntilReady();
    const page = await readChat(this.session, chatId, input.limit, input.before);
    if (!page) throw chatNotFound(chatId);
    return { ok: true, chat: page.chat, count: page.messages.length, messages: page.messages, next_before: page.nextBefore };
  }

  /** Chats with unread messages and those messages (the newest `messages_per_chat`); marks nothing as read. */
  async listUnread(input: In<typeof UnreadInput>): Promise<z.output<typeof UnreadResult>> {
    await this.session.waitUntilReady();
    // Unread chats are among the most recent; 100 covers what a person would call "unread".
    const unread = (await this.recentChats(100)).filter((c) => c.unread_count > 0 && c.id).slice(0, input.limit);
    const chats = [];
    for (const chat of unread) {
      const page = await readChat(this.session, chat.id!, Math.min(chat.unread_count, input.messages_per_chat));
      chats.push({ chat, unread: (page?.messages ?? []).filter((m) => !m.from_me) });
    }
    return { ok: true, count: chats.length, chats };
  }

  /** The `limit` most recent chats, a person's two counted once (twice as many read, in case every one has two). */
  private async recentChats(limit: number) {
    const chats = await this.session.listChats(Math.min(2 * limit, 200));
    const people = await this.session.identities(chats.map((c) => c.id).filter((id): id is string => id !== null && isPersonId(id)));
    return mergeChats(chats, people);
  }

  async listGroups(): Promise<z.output<typeof GroupsResult>> {
    await this.session.waitUntilReady();
    const groups = await this.session.listGroups();
    return { ok: true, count: groups.length, groups };
  }

  async searchContacts(input: In<typeof ContactsQuery>): Promise<z.output<typeof ContactsResult>> {
    await this.session.waitUntilReady();
    const contacts = await this.session.searchContacts(input.query, input.limit);
    return { ok: true, count: contacts.length, contacts };
  }

  async downloadMedia(id: string): Promise<MediaFile & { id: string }> {
    await this.session.waitUntilReady();
    const file = await this.session.downloadMedia(id);
    if (!file) throw new AppError('NO_MEDIA', `Message ${id} has no file to download.`);
    return { ...file, id };
  }

  /** A person's two chats are read together. */
  async markRead(chatIdOrPhone: string): Promise<{ ok: true; chat_id: string }> {
    const chatId = toChatId(chatIdOrPhone);
    await this.session.waitUntilReady();
    let found = false;
    for (const id of chatIdsOf(chatId, (await identityOfChat(this.session, chatId)) ?? undefined)) {
      if (await this.session.markRead(id)) found = true;
    }
    if (!found) throw chatNotFound(chatId);
    return { ok: true, chat_id: chatId };
  }

  async deleteMessage(id: string): Promise<{ ok: true }> {
    await this.session.waitUntilReady();
    await this.session.deleteForEveryone(id);
    return { ok: true };
  }
}

/** "15551234567@c.us", "…@lid" (a contact known by its privacy id) and "120363…@g.us" as they are; anything else is read as a phone number. */
export function toChatId(value: string): string {
  const v = value.trim();
  if (/^\d{5,20}@(c\.us|lid)$/.test(v) || /^\d{5,25}(-\d{5,15})?@g\.us$/.test(v)) return v;
  if (v.includes('@')) throw new AppError('VALIDATION_ERROR', `chat_id "${v}" is neither a chat id (…@c.us, …@lid, …@g.us) nor a phone number`, { fields: ['chat_id'] });
  return phoneToChatId(normalizePhone(v, 'chat_id'));
}

function chatNotFound(chatId: string): AppError {
  return new AppError('CHAT_NOT_FOUND', `There is no chat ${chatId}.`, { next: 'list_chats' });
}
