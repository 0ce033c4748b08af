import type { z } from 'zod';
import { AppError } from '../core/errors.js';
import type { SendPacer } from '../core/pacer.js';
import { normalizePhone, phoneToChatId } from '../core/phone.js';
import type { MediaFile, SentMessage, WhatsAppSession } from '../whatsapp/session.js';
import { checkMediaSet, resolveMedia } from './media.js';
import type {
  ChatMessagesQuery,
  ChatPageResult,
  ContactsQuery,
  ContactsResult,
  ForwardInput,
  GroupsResult,
  MediaSendResult,
  ReactionInput,
  SendLocationInput,
  SendMediaInput,
  SendPollInput,
} from './messaging-schemas.js';
import type { SendMessageInput, SendResult } from './schemas.js';

type In<S extends z.ZodType> = z.output<S>;
type Send = z.output<typeof SendResult>;

export interface Target {
  /** What the answer calls the recipient: digits, or the group id. */
  to: string;
  chatId: string;
  isGroup: boolean;
}

export const EVERYONE = '@everyone';

/**
 * Sending and acting on messages, once for REST and MCP. Every outgoing message is paced,
 * and nothing is sent until all of the input has been checked.
 */
export class MessagingService {
  constructor(
    private readonly session: WhatsAppSession,
    private readonly pacer: SendPacer,
    private readonly mediaDirs: readonly string[],
  ) {}

  /** Exactly one of phone_number and group_id; a group must be one we are in. */
  private async target(input: { phone_number?: string | undefined; group_id?: string | undefined }): Promise<Target> {
    if ((input.phone_number === undefined) === (input.group_id === undefined)) {
      throw new AppError('VALIDATION_ERROR', 'Give exactly one recipient: phone_number or group_id', { fields: ['phone_number', 'group_id'] });
    }
    if (input.phone_number !== undefined) {
      const digits = normalizePhone(input.phone_number);
      return { to: digits, chatId: phoneToChatId(digits), isGroup: false };
    }
    await this.session.waitUntilReady();
    if ((await this.session.groupParticipants(input.group_id!)) === null) {
      throw new AppError('GROUP_NOT_FOUND', `You are not in a group ${input.group_id}. List your groups with GET /api/groups (MCP: whatsapp_list_groups).`);
    }
    return { to: input.group_id!, chatId: input.group_id!, isGroup: true };
  }

  private async mentionIds(mentions: readonly string[] | undefined, target: Target): Promise<string[] | undefined> {
    if (!mentions?.length) return undefined;
    const ids = new Set<string>();
    for (const [i, m] of mentions.entries()) {
      if (m.trim().toLowerCase() === EVERYONE) {
        if (!target.isGroup) throw new AppError('VALIDATION_ERROR', '"@everyone" mentions all members of a group: use it with group_id', { fields: ['mentions'] });
        const me = this.session.snapshot().account?.wid;
        for (const id of (await this.session.groupParticipants(target.chatId)) ?? []) if (id !== me) ids.add(id);
      } else {
        ids.add(phoneToChatId(normalizePhone(m, `mentions[${i}]`)));
      }
    }
    return [...ids];
  }

  private answer(target: Target, sent: SentMessage, timestamp: string): Send {
    return { ok: true, to: target.to, chat_id: target.chatId, message_id: sent.id, timestamp };
  }

  async sendText(input: In<typeof SendMessageInput>): Promise<Send> {
    const target = await this.target(input);
    await this.session.waitUntilReady();
    const mentions = await this.mentionIds(input.mentions, target);
    this.pacer.take();
    const timestamp = new Date().toISOString();
    const sent = await this.session.sendText(target.chatId, input.message, {
      ...(input.reply_to ? { quotedMessageId: input.reply_to } : {}),
      ...(mentions ? { mentions } : {}),
      ...(input.link_preview !== undefined ? { linkPreview: input.link_preview } : {}),
    });
    return this.answer(target, sent, timestamp);
  }

  async sendMedia(input: In<typeof SendMediaInput>): Promise<z.output<typeof MediaSendResult>> {
    const target = await this.target(input);
    const files = await Promise.all(input.media.map((m, i) => resolveMedia(m, i, this.mediaDirs)));
    const flags = { asVoice: input.as_voice, asGif: input.as_gif, asDocument: input.as_document, viewOnce: input.view_once };
    checkMediaSet(files, flags);
    const captioned = input.as_document ? 0 : files.findIndex((f) => f.kind !== 'audio');
    if (input.caption && captioned < 0) {
      throw new AppError('VALIDATION_ERROR', 'WhatsApp shows no caption on audio: send the text as a message, or the audio as_document', { fields: ['caption'] });
    }
    await this.session.waitUntilReady();
    this.pacer.take(files.length);
    const timestamp = new Date().toISOString();
    const ids: (string | null)[] = [];
    for (const [i, file] of files.entries()) {
      try {
        const sent = await this.session.sendMedia(target.chatId, file, {
          ...(input.caption && i === captioned ? { caption: input.caption } : {}),
          ...(input.reply_to && i === 0 ? { quotedMessageId: input.reply_to } : {}),
          viewOnce: Boolean(input.view_once),
          asVoice: Boolean(input.as_voice),
          asGif: Boolean(input.as_gif),
          asDocument: Boolean(input.as_document),
        });
        ids.push(sent.id);
      } catch (err) {
        if (i === 0 || !(err instanceof AppError)) throw err;
        // Some files are already on their way: say exactly which, so nothing is sent twice.
        const unknown = err.code === 'SEND_OUTCOME_UNKNOWN';
        const rest = unknown ? `whether media[${i}] was is unknown, and the ones after it were not` : `media[${i}] and after were not`;
        throw new AppError(unknown ? 'SEND_OUTCOME_UNKNOWN' : 'WA_SEND_FAILED', `${i} of ${files.length} files were sent (ids ${ids.join(', ')}); ${rest}: ${err.message}`, {
          message_ids: ids,
        });
      }
    }
    return { ...this.answer(target, { id: ids[0] ?? null }, timestamp), ...(ids.length > 1 ? { message_ids: ids } : {}) };
  }

  async sendLocation(input: In<typeof SendLocationInput>): Promise<Send> {
    const target = await this.target(input);
    await this.session.waitUntilReady();
    this.pacer.take();
    const timestamp = new Date().toISOString();
    const location = {
      latitude: input.latitude,
      longitude: input.longitude,
      ...(input.name ? { name: input.name } : {}),
      ...(input.address ? { address: input.address } : {}),
    };
    const sent = await this.session.sendLocation(target.chatId, location, input.reply_to ? { quotedMessageId: input.reply_to } : {});
    return this.answer(target, sent, timestamp);
  }

  async sendPoll(input: In<typeof SendPollInput>): Promise<Send> {
    const target = await this.target(input);
    if (input.selectable_count > input.options.length) {
      throw new AppError('VALIDATION_ERROR', `selectable_count (${input.selectable_count}) is more than the ${input.options.length} options`, { fields: ['selectable_count'] });
    }
    await this.session.waitUntilReady();
    this.pacer.take();
    const timestamp = new Date().toISOString();
    const sent = await this.session.sendPoll(target.chatId, { question: input.question, options: input.options, allowMultipleAnswers: input.selectable_count !== 1 });
    return this.answer(target, sent, timestamp);
  }

  async react(id: string, input: In<typeof ReactionInput>): Promise<{ ok: true }> {
    await this.session.waitUntilReady();
    await this.session.react(id, input.emoji);
    return { ok: true };
  }

  async deleteMessage(id: string): Promise<{ ok: true }> {
    await this.session.waitUntilReady();
    await this.session.deleteForEveryone(id);
    return { ok: true };
  }

  async forward(id: string, input: In<typeof ForwardInput>): Promise<Send> {
    const target = await this.target(input);
    await this.session.waitUntilReady();
    this.pacer.take();
    const timestamp = new Date().toISOString();
    return this.answer(target, await this.session.forward(id, target.chatId), timestamp);
  }

  async markRead(chatIdOrPhone: string): Promise<{ ok: true; chat_id: string }> {
    const chatId = toChatId(chatIdOrPhone);
    await this.session.waitUntilReady();
    if (!(await this.session.markRead(chatId))) throw chatNotFound(chatId);
    return { ok: true, chat_id: chatId };
  }

  async downloadMedia(id: string): Promise<MediaFile & { id: string }> {
    await this.session.waitUntilReady();
    const file = await this.session.downloadMedia(id);
    if (!file) throw new AppError('NO_MEDIA', `Message ${id} has no file to download.`);
    return { ...file, id };
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

  async chatMessages(chatIdOrPhone: string, input: In<typeof ChatMessagesQuery>): Promise<z.output<typeof ChatPageResult>> {
    const chatId = toChatId(chatIdOrPhone);
    await this.session.waitUntilReady();
    const page = await this.session.chatMessages(chatId, input.limit, input.before);
    if (!page) throw chatNotFound(chatId);
    return { ok: true, chat: page.chat, count: page.messages.length, messages: page.messages, next_before: page.nextBefore };
  }
}

/** "15551234567@c.us" and "120363…@g.us" as they are; anything else is read as a phone number. */
export function toChatId(value: string): string {
  const v = value.trim();
  if (/^\d{5,20}@c\.us$/.test(v) || /^\d{5,25}(-\d{5,15})?@g\.us$/.test(v)) return v;
  if (v.includes('@')) throw new AppError('VALIDATION_ERROR', `chat_id "${v}" is neither a chat id (…@c.us, …@g.us) nor a phone number`, { fields: ['chat_id'] });
  return phoneToChatId(normalizePhone(v, 'chat_id'));
}

function chatNotFound(chatId: string): AppError {
  return new AppError('CHAT_NOT_FOUND', `There is no chat ${chatId}. List chats with GET /api/chats (MCP: whatsapp_list_chats).`);
}
