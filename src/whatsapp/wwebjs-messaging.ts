import type { Page } from 'puppeteer-core';
import type wwebjs from 'whatsapp-web.js';
import { AppError, describeError } from '../core/errors.js';
import * as pageScripts from './page-scripts.js';
import { identityOf, senderOf, toChatDto, toMessageDto, type ChatLike, type MessageLike } from './dto.js';
import type { IdentityLookup } from './wwebjs-events.js';
import { sendFailure } from './send-failure.js';
import { SYSTEM_MESSAGE_TYPES } from './system-messages.js';
import { alreadyDeleted, messageNotFound, notOnWhatsApp, revokeNotAllowed } from './session.js';
import type { OutgoingMessage } from './outgoing.js';
import type { Before, ChatPage, ContactDto, GroupDto, MediaFile, SentMessage } from './session.js';

/**
 * Everything beyond the lifecycle that the adapter asks of whatsapp-web.js. Library calls
 * where the library has them; small page scripts where it would serialize a whole account
 * (all chats, all contacts) to answer for a few.
 */
type WClient = InstanceType<typeof wwebjs.Client>;
/** The library's classes, handed in by the adapter (the one module that imports whatsapp-web.js). */
export type Lib = Pick<typeof wwebjs, 'MessageMedia' | 'Location' | 'Poll'> & {
  Message: new (client: WClient, data: unknown) => MessageLike;
  /** The typings declare Chat as an interface; at run time it is the class the library builds chats with. */
  Chat: new (client: WClient, data: object) => ChatLike;
};

/** whatsapp-web.js's send, with its failures in the product's words. */
async function send(client: WClient, chatId: string, content: unknown, options: Record<string, unknown>): Promise<SentMessage> {
  let sent: { id?: { _serialized?: string } } | undefined;
  try {
    // sendSeen would mark the whole chat as read: a script sending a message has not read it.
    sent = (await client.sendMessage(chatId, content as string, { sendSeen: false, ...options })) as typeof sent;
  } catch (err) {
    throw sendFailure(err, chatId, options.quotedMessageId);
  }
  if (!sent) throw notOnWhatsApp(chatId);
  return { id: sent.id?._serialized ?? null };
}

/** The one send: each kind of message as whatsapp-web.js takes it. */
export async function sendMessage(client: WClient, lib: Lib, chatId: string, content: OutgoingMessage): Promise<SentMessage> {
  const quote = (id: string | undefined) => (id ? { quotedMessageId: id, ignoreQuoteErrors: false } : {});
  switch (content.kind) {
    case 'text':
      return send(client, chatId, content.text, {
        ...quote(content.quotedMessageId),
        ...(content.mentions?.length ? { mentions: content.mentions } : {}),
        linkPreview: content.linkPreview ?? true,
      });
    case 'media': {
      const { file } = content;
      const media = new lib.MessageMedia(file.mimetype, file.data.toString('base64'), fileName(file), file.data.length);
      return send(client, chatId, media, {
        ...(content.caption ? { caption: content.caption } : {}),
        ...quote(content.quotedMessageId),
        isViewOnce: Boolean(content.viewOnce),
        sendAudioAsVoice: Boolean(content.asVoice),
        sendVideoAsGif: Boolean(content.asGif),
        sendMediaAsDocument: Boolean(content.asDocument),
      });
    }
    case 'location': {
      const details = { ...(content.name ? { name: content.name } : {}), ...(content.address ? { address: content.address } : {}) };
      return send(client, chatId, new lib.Location(content.latitude, content.longitude, details), quote(content.quotedMessageId));
    }
    case 'poll': {
      // messageSecret is optional at run time: whatsapp-web.js generates one when it is missing.
      const options = { allowMultipleAnswers: content.allowMultipleAnswers } as ConstructorParameters<Lib['Poll']>[2];
      return send(client, chatId, new lib.Poll(content.question, content.options, options), {});
    }
    case 'forward':
      return forward(client, content.messageId, chatId);
    case 'reaction':
      await (await message(client, content.messageId)).react(content.emoji);
      return { id: null };
  }
}

/** whatsapp-web.js names the File it sends after `filename`: without one, a document arrives named "undefined". */
function fileName(file: MediaFile): string {
  if (file.filename) return file.filename;
  const subtype = /^[a-z0-9]+$/i.exec(file.mimetype.split('/')[1]?.split(';')[0]?.trim() ?? '');
  return subtype ? `file.${subtype[0].toLowerCase()}` : 'file';
}

async function message(client: WClient, id: string): Promise<wwebjs.Message> {
  const msg = await client.getMessageById(id).catch(() => null);
  if (!msg) throw messageNotFound(id);
  return msg;
}

/**
 * whatsapp-web.js silently deletes "for me" when WhatsApp no longer allows "for everyone",
 * so this checks first. The caller runs deletes of one message one after another: a delete
 * racing another one would find it still allowed, then reach whatsapp-web.js once it is not.
 */
export async function deleteForEveryone(client: WClient, id: string): Promise<void> {
  const msg = await message(client, id);
  const state = await (client.pupPage as Page).evaluate(pageScripts.revokeState, id);
  if (state === 'revoked') throw alreadyDeleted(id);
  if (state === 'not_allowed') throw revokeNotAllowed();
  await msg.delete(true);
}

async function forward(client: WClient, id: string, chatId: string): Promise<SentMessage> {
  await message(client, id);
  const page = client.pupPage as Page;
  const forwarded = await page.evaluate(pageScripts.forwardMessage, id, chatId).catch((err: unknown) => {
    throw sendFailure(err, chatId);
  });
  if ('missing' in forwarded) throw notOnWhatsApp(chatId);
  return { id: forwarded.id };
}

export async function markRead(client: WClient, chatId: string): Promise<boolean> {
  if (!(await chatExists(client, chatId))) return false;
  await client.sendSeen(chatId);
  return true;
}

export async function downloadMedia(client: WClient, id: string): Promise<MediaFile | null> {
  const msg = await message(client, id);
  if (!msg.hasMedia) return null;
  const media = await msg.downloadMedia().catch((err: unknown) => {
    throw new AppError('MEDIA_GONE', `WhatsApp no longer has this file (${describeError(err)}); ask the sender to send it again.`);
  });
  if (!media) throw new AppError('MEDIA_GONE', 'WhatsApp no longer has this file; ask the sender to send it again.');
  return { data: Buffer.from(media.data, 'base64'), mimetype: media.mimetype, filename: media.filename ?? null };
}

export async function chatExists(client: WClient, chatId: string): Promise<boolean> {
  // getChatById would open a new chat for an unknown number; reading must not create one.
  return (client.pupPage as Page).evaluate(pageScripts.chatExists, chatId);
}

export function listGroups(client: WClient): Promise<GroupDto[]> {
  return (client.pupPage as Page).evaluate(pageScripts.listGroups);
}

export function groupParticipants(client: WClient, groupId: string): Promise<string[] | null> {
  return (client.pupPage as Page).evaluate(pageScripts.groupParticipants, groupId);
}

export async function searchContacts(client: WClient, people: IdentityLookup, query: string, limit: number): Promise<ContactDto[]> {
  const found = await (client.pupPage as Page).evaluate(pageScripts.searchContacts, query, limit);
  const ids = found.map((c: Record<string, any>) => String(c.id?._serialized ?? ''));
  const known = await people.lookup(ids);
  return found.map((c: Record<string, any>, i: number) => {
    const who = identityOf(ids[i]!, known);
    return {
      id: ids[i]!,
      number: c.number ?? c.id?.user ?? null,
      name: c.name ?? null,
      pushname: c.pushname ?? null,
      is_my_contact: Boolean(c.isMyContact),
      is_business: Boolean(c.isBusiness),
      phone: who.phone,
      lid: who.lid,
    };
  });
}

export async function chatMessages(client: WClient, lib: Lib, people: IdentityLookup, chatId: string, limit: number, before?: Before): Promise<ChatPage | null> {
  // One page script: whether the chat exists (reading must not create it, as getChatById
  // would), its summary, and the page of messages.
  const beforeId = typeof before === 'string' ? before : null;
  const beforeTime = typeof before === 'object' ? before.time : null;
  const result = await (client.pupPage as Page).evaluate(pageScripts.chatMessages, chatId, limit, beforeId, beforeTime, SYSTEM_MESSAGE_TYPES);
  if ('missingChat' in result) return null;
  if ('missingBefore' in result) throw messageNotFound(beforeId ?? '');
  const models = (result.messages as MessageLike[]).map((m) => new lib.Message(client, m));
  const chat = new lib.Chat(client, result.chat as object);
  const known = await people.lookup([...models.map(senderOf), chat.lastMessage ? senderOf(chat.lastMessage) : null]);
  const messages = models.map((m) => toMessageDto(m, known));
  return {
    chat: toChatDto(chat, known),
    messages,
    nextBefore: result.hasOlder || messages.length === limit ? (messages[0]?.id ?? null) : null,
    beforeTime: result.beforeTime,
  };
}
