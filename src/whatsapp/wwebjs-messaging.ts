import type { Page } from 'puppeteer-core';
import type wwebjs from 'whatsapp-web.js';
import { AppError, describeError } from '../core/errors.js';
import { toChatDto, toMessageDto, type ChatLike, type MessageLike } from './dto.js';
import { messageNotFound, notOnWhatsApp, revokeNotAllowed } from './session.js';
import type { ChatPage, ContactDto, GroupDto, LocationInput, MediaFile, MediaOptions, PollInput, SentMessage, TextOptions } from './session.js';

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

/** WhatsApp Web's internal modules are untyped; page scripts reach them through this. */
type PageRequire = (name: string) => any;

/** whatsapp-web.js's send, with its failures in the product's words. */
async function send(client: WClient, chatId: string, content: unknown, options: Record<string, unknown>): Promise<SentMessage> {
  let sent: { id?: { _serialized?: string } } | undefined;
  try {
    // sendSeen would mark the whole chat as read: a script sending a message has not read it.
    sent = (await client.sendMessage(chatId, content as string, { sendSeen: false, ...options })) as typeof sent;
  } catch (err) {
    // WhatsApp Web finds no account ("No LID for user") for numbers that are not on WhatsApp.
    if (/No LID for user|not a WhatsApp user|invalid wid/i.test(describeError(err))) throw notOnWhatsApp(chatId);
    // With ignoreQuoteErrors: false, whatsapp-web.js refuses a reply_to it cannot find, before sending anything.
    if (/Could not get the quoted message/.test(describeError(err))) throw messageNotFound(String(options.quotedMessageId));
    throw new AppError('WA_SEND_FAILED', `WhatsApp could not send the message: ${describeError(err)}`);
  }
  if (!sent) throw notOnWhatsApp(chatId);
  return { id: sent.id?._serialized ?? null };
}

export function sendText(client: WClient, chatId: string, text: string, o: TextOptions = {}): Promise<SentMessage> {
  return send(client, chatId, text, {
    ...(o.quotedMessageId ? { quotedMessageId: o.quotedMessageId, ignoreQuoteErrors: false } : {}),
    ...(o.mentions?.length ? { mentions: o.mentions } : {}),
    linkPreview: o.linkPreview ?? true,
  });
}

/** whatsapp-web.js names the File it sends after `filename`: without one, a document arrives named "undefined". */
function fileName(file: MediaFile): string {
  if (file.filename) return file.filename;
  const subtype = /^[a-z0-9]+$/i.exec(file.mimetype.split('/')[1]?.split(';')[0]?.trim() ?? '');
  return subtype ? `file.${subtype[0].toLowerCase()}` : 'file';
}

export function sendMedia(client: WClient, lib: Lib, chatId: string, file: MediaFile, o: MediaOptions): Promise<SentMessage> {
  const media = new lib.MessageMedia(file.mimetype, file.data.toString('base64'), fileName(file), file.data.length);
  return send(client, chatId, media, {
    ...(o.caption ? { caption: o.caption } : {}),
    ...(o.quotedMessageId ? { quotedMessageId: o.quotedMessageId, ignoreQuoteErrors: false } : {}),
    isViewOnce: Boolean(o.viewOnce),
    sendAudioAsVoice: Boolean(o.asVoice),
    sendVideoAsGif: Boolean(o.asGif),
    sendMediaAsDocument: Boolean(o.asDocument),
  });
}

export function sendLocation(client: WClient, lib: Lib, chatId: string, loc: LocationInput, quotedMessageId?: string): Promise<SentMessage> {
  const location = new lib.Location(loc.latitude, loc.longitude, { ...(loc.name ? { name: loc.name } : {}), ...(loc.address ? { address: loc.address } : {}) });
  return send(client, chatId, location, quotedMessageId ? { quotedMessageId, ignoreQuoteErrors: false } : {});
}

export function sendPoll(client: WClient, lib: Lib, chatId: string, poll: PollInput): Promise<SentMessage> {
  // messageSecret is optional at run time: whatsapp-web.js generates one when it is missing.
  const options = { allowMultipleAnswers: poll.allowMultipleAnswers } as ConstructorParameters<Lib['Poll']>[2];
  return send(client, chatId, new lib.Poll(poll.question, poll.options, options), {});
}

async function message(client: WClient, id: string): Promise<wwebjs.Message> {
  const msg = await client.getMessageById(id).catch(() => null);
  if (!msg) throw messageNotFound(id);
  return msg;
}

export async function react(client: WClient, id: string, emoji: string): Promise<void> {
  await (await message(client, id)).react(emoji);
}

export async function deleteForEveryone(client: WClient, id: string): Promise<void> {
  const msg = await message(client, id);
  // whatsapp-web.js silently deletes "for me" when WhatsApp no longer allows "for everyone".
  const allowed = await (client.pupPage as Page).evaluate((msgId: string) => {
    const req = (window as unknown as { require: PageRequire }).require;
    const m = req('WAWebCollections').Msg.get(msgId);
    const can = req('WAWebMsgActionCapability');
    return Boolean(m && (can.canSenderRevokeMsg(m) || can.canAdminRevokeMsg(m)));
  }, id);
  if (!allowed) {
    throw revokeNotAllowed();
  }
  await msg.delete(true);
}

export async function forward(client: WClient, id: string, chatId: string): Promise<SentMessage> {
  await message(client, id);
  const page = client.pupPage as Page;
  // forwardMessage resolves without the new message; its id is the newest of ours in the target chat.
  const newId = await page.evaluate(
    async (msgId: string, to: string) => {
      const w = window as unknown as { require: PageRequire; WWebJS: { forwardMessage(chat: string, msg: string): Promise<void> } };
      const chat = w.require('WAWebCollections').Chat.get(w.require('WAWebWidFactory').createWid(to));
      if (!chat) return { missing: true as const };
      await w.WWebJS.forwardMessage(to, msgId);
      const mine = chat.msgs.getModelsArray().filter((m: { id: { fromMe: boolean } }) => m.id.fromMe);
      return { id: (mine.at(-1)?.id._serialized as string | undefined) ?? null };
    },
    id,
    chatId,
  );
  if ('missing' in newId) throw new AppError('CHAT_NOT_FOUND', `There is no chat ${chatId} to forward to. Send it a message first.`);
  return { id: newId.id };
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
  return (client.pupPage as Page).evaluate((id: string) => {
    const req = (window as unknown as { require: PageRequire }).require;
    return Boolean(req('WAWebCollections').Chat.get(req('WAWebWidFactory').createWid(id)));
  }, chatId);
}

export function listGroups(client: WClient): Promise<GroupDto[]> {
  return (client.pupPage as Page).evaluate(() => {
    const req = (window as unknown as { require: PageRequire }).require;
    const me = req('WAWebUserPrefsMeUser').getMaybeMePnUser()?._serialized;
    return req('WAWebCollections')
      .Chat.getModelsArray()
      .filter((c: { groupMetadata?: unknown }) => c.groupMetadata)
      .map((c: { id: { _serialized: string }; formattedTitle?: string; name?: string; groupMetadata: { participants: { getModelsArray(): { id: { _serialized: string }; isAdmin?: boolean; isSuperAdmin?: boolean }[] } } }) => {
        const members = c.groupMetadata.participants.getModelsArray();
        const self = members.find((p) => p.id._serialized === me);
        return { id: c.id._serialized, name: c.formattedTitle ?? c.name ?? null, participants: members.length, is_admin: Boolean(self?.isAdmin || self?.isSuperAdmin) };
      });
  });
}

export function groupParticipants(client: WClient, groupId: string): Promise<string[] | null> {
  return (client.pupPage as Page).evaluate((id: string) => {
    const req = (window as unknown as { require: PageRequire }).require;
    const chat = req('WAWebCollections').Chat.get(req('WAWebWidFactory').createWid(id));
    if (!chat?.groupMetadata) return null;
    return chat.groupMetadata.participants.getModelsArray().map((p: { id: { _serialized: string } }) => p.id._serialized);
  }, groupId);
}

export async function searchContacts(client: WClient, query: string, limit: number): Promise<ContactDto[]> {
  const found = await (client.pupPage as Page).evaluate(
    (q: string, n: number) => {
      const w = window as unknown as { require: PageRequire; WWebJS: { getContactModel(c: unknown): Record<string, any> } };
      const text = q.trim().toLowerCase();
      const digits = q.replace(/\D/g, '');
      const matches = w
        .require('WAWebCollections')
        .Contact.getModelsArray()
        .filter((c: { id: { server: string; user: string }; name?: string; pushname?: string }) => {
          if (c.id.server !== 'c.us') return false;
          if (!text) return true;
          return (
            (digits.length > 0 && c.id.user.includes(digits)) ||
            (c.name ?? '').toLowerCase().includes(text) ||
            (c.pushname ?? '').toLowerCase().includes(text)
          );
        })
        .slice(0, n);
      // Only the matches are serialized, with whatsapp-web.js's own contact model.
      return matches.map((c: unknown) => w.WWebJS.getContactModel(c));
    },
    query,
    limit,
  );
  return found.map((c: Record<string, any>) => ({
    id: String(c.id?._serialized ?? ''),
    number: c.number ?? c.id?.user ?? null,
    name: c.name ?? null,
    pushname: c.pushname ?? null,
    is_my_contact: Boolean(c.isMyContact),
    is_business: Boolean(c.isBusiness),
  }));
}

export async function chatMessages(client: WClient, lib: Lib, chatId: string, limit: number, before?: string): Promise<ChatPage | null> {
  // One page script: whether the chat exists (reading must not create it, as getChatById
  // would), its summary, and the page of messages.
  const result = await (client.pupPage as Page).evaluate(
    async (id: string, n: number, beforeId: string | null) => {
      const w = window as unknown as { require: PageRequire; WWebJS: { getMessageModel(m: unknown): unknown; getChatModel(c: unknown): Promise<unknown> } };
      type M = { id: { _serialized: string }; isNotification?: boolean };
      const chat = w.require('WAWebCollections').Chat.get(w.require('WAWebWidFactory').createWid(id));
      if (!chat) return { missingChat: true as const };
      const loaded = (): M[] => chat.msgs.getModelsArray().filter((m: M) => !m.isNotification);
      // The page of `n` messages ending just before `beforeId` (or at the newest), loading
      // earlier history from the phone as whatsapp-web.js's fetchMessages does.
      let end = -1;
      for (;;) {
        const msgs = loaded();
        end = beforeId === null ? msgs.length : msgs.findIndex((m) => m.id._serialized === beforeId);
        if (end >= n) break;
        const more = await w.require('WAWebChatLoadMessages').loadEarlierMsgs({ chat });
        if (!more || !more.length) break;
      }
      if (end < 0) return { missingBefore: true as const };
      const msgs = loaded();
      const start = Math.max(0, end - n);
      return {
        chat: await w.WWebJS.getChatModel(chat),
        messages: msgs.slice(start, end).map((m) => w.WWebJS.getMessageModel(m)),
        hasOlder: start > 0,
      };
    },
    chatId,
    limit,
    before ?? null,
  );
  if ('missingChat' in result) return null;
  if ('missingBefore' in result) throw messageNotFound(before ?? '');
  const messages = (result.messages as MessageLike[]).map((m) => toMessageDto(new lib.Message(client, m)));
  return {
    chat: toChatDto(new lib.Chat(client, result.chat as object)),
    messages,
    nextBefore: result.hasOlder || messages.length === limit ? (messages[0]?.id ?? null) : null,
  };
}
