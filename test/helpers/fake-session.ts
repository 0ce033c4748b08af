import { AppError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Account, SessionState } from '../../src/core/status.js';
import {
  alreadyDeleted,
  BaseSession,
  messageNotFound,
  notOnWhatsApp,
  revokeNotAllowed,
  type ChatDto,
  type ChatMessages,
  type ChatPage,
  type ContactDto,
  type Before,
  type GroupDto,
  type Identity,
  type MediaFile,
  type MessageDto,
  type SentMessage,
  type SessionInfo,
  type WhatsAppSession,
} from '../../src/whatsapp/session.js';
import type { WaEvent } from '../../src/shared/events.js';
import type { OutgoingMessage } from '../../src/whatsapp/outgoing.js';
import { ackName } from '../../src/whatsapp/dto.js';
import { wireMessage } from './store.js';

/** Everything that went out, as the fake WhatsApp saw it. */
export type Outgoing = OutgoingMessage & { chatId: string };

export const ME: Account = { wid: '15550000000@c.us', pushname: 'Test Me', platform: 'android' };

/**
 * An in-memory WhatsApp for integration tests: the same lifecycle rules as the real
 * adapter (it extends the same BaseSession), with the transitions driven by the test.
 * `start()` answers a moment later on its own (QR or restored session), unless the test
 * moves the session first (`set`, `link`, `logout`, `close`): that cancels the pending answer,
 * so a start left running by one test can never change the state of the next.
 */
export class FakeSession extends BaseSession implements WhatsAppSession {
  readonly info: SessionInfo = { authDir: '/tmp/fake-auth', chromeExecutable: '/usr/bin/chromium', headless: true };
  readonly sent: { chatId: string; text: string }[] = [];
  readonly outgoing: Outgoing[] = [];
  readonly reactions = new Map<string, string>();
  readonly deleted: string[] = [];
  readonly readChats: string[] = [];
  /** Message ids WhatsApp would refuse to delete for everyone (too old, not ours). */
  readonly notRevocable = new Set<string>();
  readonly media = new Map<string, MediaFile>();
  groups = new Map<string, { name: string; participants: string[]; admins: string[] }>();
  contacts: ContactDto[] = [];
  readonly pairingRequests: string[] = [];
  chats = new Map<string, { chat: ChatDto; messages: MessageDto[] }>();
  /** Older messages only the phone holds, per chat (oldest first): syncHistory brings them in, 50 at a time. */
  readonly onPhone = new Map<string, MessageDto[]>();
  readonly syncRequests: string[] = [];
  /** People WhatsApp knows by both ids: phone-number id ("…@c.us") → LID ("…@lid"). */
  readonly lids = new Map<string, string>();
  saved = false;
  startCalls = 0;
  /**
   * After `after` more sends, the next one fails with `error` (a refusal, a browser dying);
   * `delivered`: WhatsApp had taken the message before the error (an outcome the caller cannot know).
   */
  failure: { after: number; error: AppError; delivered?: boolean } | null = null;
  /** A receipt (1-4) each send reports before it returns. */
  ackBeforeReturn: number | null = null;
  /** What `start()` moves to: 'qr' for a new device, 'ready' to simulate a restored session. */
  startInto: SessionState = 'qr';
  private seq = 0;
  private startUnderWay: NodeJS.Timeout | null = null;

  constructor() {
    super(silentLogger());
  }

  set(state: SessionState, patch: Parameters<BaseSession['status']['set']>[1] = {}): void {
    this.cancelStart();
    this.status.set(state, patch);
  }

  hasSavedSession(): boolean {
    return this.saved;
  }

  async start(): Promise<void> {
    this.startCalls++;
    this.cancelStart();
    this.status.set('starting');
    this.startUnderWay = setTimeout(() => {
      this.startUnderWay = null;
      if (this.startInto === 'qr') this.status.set('qr', { qr: `2@fake-ref-${this.startCalls},key,identity,secret` });
      else this.link();
    }, 5);
  }

  private cancelStart(): void {
    if (this.startUnderWay) clearTimeout(this.startUnderWay);
    this.startUnderWay = null;
  }

  /** The phone completes the link. */
  link(account: Account = ME): void {
    this.cancelStart();
    this.status.set('authenticated');
    this.status.set('ready', { account });
  }

  async requestPairingCode(phoneDigits: string): Promise<string> {
    this.pairingRequests.push(phoneDigits);
    return 'ABCD1234';
  }

  /** Refuses numbers starting with 1999 as not on WhatsApp; `failure` makes a send fail. */
  async send(chatId: string, content: OutgoingMessage): Promise<SentMessage> {
    const failure = this.failure && this.failure.after-- === 0 ? this.failure : null;
    if (failure) {
      this.failure = null;
      if (failure.delivered) await this.deliver(chatId, content);
      throw failure.error;
    }
    const sent = await this.deliver(chatId, content);
    // WhatsApp Web may report receipts before the send call returns.
    if (this.ackBeforeReturn !== null && sent.id) this.ack(sent.id, this.ackBeforeReturn);
    return sent;
  }

  private async deliver(chatId: string, content: OutgoingMessage): Promise<SentMessage> {
    switch (content.kind) {
      case 'reaction':
        this.requireMessage(content.messageId);
        if (content.emoji) this.reactions.set(content.messageId, content.emoji);
        else this.reactions.delete(content.messageId);
        return { id: null };
      case 'forward': {
        const original = this.requireMessage(content.messageId);
        this.refuseUnknown(chatId);
        this.outgoing.push({ chatId, ...content });
        return { id: this.store(chatId, { type: original.type, body: original.body }) };
      }
      default:
        this.refuseUnknown(chatId);
        this.outgoing.push({ chatId, ...content });
    }
    switch (content.kind) {
      case 'text':
        this.sent.push({ chatId, text: content.text });
        return { id: this.store(chatId, { type: 'chat', body: content.text }) };
      case 'media': {
        const { file } = content;
        const type = content.asDocument ? 'document' : content.asVoice ? 'ptt' : (file.mimetype.split('/')[0] ?? 'document').replace('application', 'document');
        const id = this.store(chatId, { type, body: content.caption ?? '', has_media: true });
        this.media.set(id, file);
        return { id };
      }
      case 'location':
        return { id: this.store(chatId, { type: 'location', body: '' }) };
      case 'poll':
        return { id: this.store(chatId, { type: 'poll_creation', body: content.question }) };
    }
  }

  /** WhatsApp's receipt for one of our messages (1 server, 2 device, 3 read). */
  ack(id: string, ack: number): void {
    const chatId = [...this.chats].find(([, c]) => c.messages.some((m) => m.id === id))?.[0] ?? id.split('_')[1] ?? '';
    this.emit('event', { type: 'message_ack', chat_id: chatId, timestamp: null, message_id: id, ack: ackName(ack)! });
  }

  async deleteForEveryone(messageId: string): Promise<void> {
    this.requireMessage(messageId);
    if (this.deleted.includes(messageId)) throw alreadyDeleted(messageId);
    if (this.notRevocable.has(messageId)) throw revokeNotAllowed();
    this.deleted.push(messageId);
  }

  async markRead(chatId: string): Promise<boolean> {
    const entry = this.chats.get(chatId);
    if (!entry) return false;
    entry.chat = { ...entry.chat, unread_count: 0 };
    this.readChats.push(chatId);
    return true;
  }

  async downloadMedia(messageId: string): Promise<MediaFile | null> {
    this.requireMessage(messageId);
    return this.media.get(messageId) ?? null;
  }

  async listGroups(): Promise<GroupDto[]> {
    return [...this.groups].map(([id, g]) => ({ id, name: g.name, participants: g.participants.length, is_admin: g.admins.includes(ME.wid) }));
  }

  async groupParticipants(groupId: string): Promise<string[] | null> {
    return this.groups.get(groupId)?.participants ?? null;
  }

  async searchContacts(query: string, limit: number): Promise<ContactDto[]> {
    const q = query.toLowerCase();
    const digits = query.replace(/\D/g, '');
    return this.contacts
      .filter((c) => !q || (c.name ?? '').toLowerCase().includes(q) || (digits && (c.number ?? '').includes(digits)))
      .slice(0, limit);
  }

  async chatMessages(chatId: string, limit: number, before?: Before): Promise<ChatPage | null> {
    const entry = this.chats.get(chatId);
    if (!entry) return null;
    const all = entry.messages;
    let end = all.length;
    if (typeof before === 'string') {
      end = all.findIndex((m) => m.id === before);
      if (end < 0) throw new AppError('MESSAGE_NOT_FOUND', `No message with id ${before}.`);
    } else if (before) {
      const at = all.findIndex((m) => (m.timestamp ?? 0) >= before.time);
      end = at < 0 ? all.length : at;
    }
    const start = Math.max(0, end - limit);
    const messages = all.slice(start, end);
    const beforeTime = typeof before === 'string' ? (all[end]?.timestamp ?? null) : null;
    return { chat: entry.chat, messages, nextBefore: start > 0 ? (messages[0]?.id ?? null) : null, beforeTime };
  }

  async syncHistory(chatId: string): Promise<boolean> {
    this.syncRequests.push(chatId);
    const entry = this.chats.get(chatId);
    const held = this.onPhone.get(chatId) ?? [];
    if (!entry || !held.length) return false;
    entry.messages.unshift(...held.splice(-50));
    return true;
  }

  async identities(ids: readonly string[]): Promise<ReadonlyMap<string, Identity>> {
    const found = new Map<string, Identity>();
    for (const id of ids) {
      if (id.endsWith('@c.us')) found.set(id, { phone: id, lid: this.lids.get(id) ?? null });
      else if (id.endsWith('@lid')) found.set(id, { phone: [...this.lids].find(([, lid]) => lid === id)?.[0] ?? null, lid: id });
    }
    return found;
  }

  private refuseUnknown(chatId: string): void {
    if (chatId.startsWith('1999')) throw notOnWhatsApp(chatId);
  }

  private requireMessage(id: string): MessageDto {
    for (const { messages } of this.chats.values()) {
      const found = messages.find((m) => m.id === id);
      if (found) return found;
    }
    throw messageNotFound(id);
  }

  /** Adds one of our messages to a chat (creating it) and returns its id. */
  store(chatId: string, fields: Partial<MessageDto>): string {
    const id = `true_${chatId}_FAKE${++this.seq}`;
    const msg: MessageDto = {
      id,
      from: ME.wid,
      to: chatId,
      author: null,
      from_me: true,
      type: 'chat',
      body: '',
      timestamp: Math.floor(Date.now() / 1000),
      has_media: false,
      ack: 'sent',
      quoted_message_id: null,
      mentioned_ids: [],
      media: null,
      edited: false,
      revoked: false,
      sender_phone: ME.wid,
      sender_lid: null,
      ...fields,
    };
    const entry = this.chats.get(chatId) ?? { chat: chatDto(chatId, chatId.replace(/@.*/, ''), { is_group: chatId.endsWith('@g.us') }), messages: [] };
    entry.messages.push(msg);
    entry.chat = { ...entry.chat, timestamp: msg.timestamp, last_message: msg };
    this.chats.set(chatId, entry);
    return id;
  }

  async listChats(limit: number): Promise<ChatDto[]> {
    return [...this.chats.values()]
      .map((c) => c.chat)
      .sort((a, b) => (b.timestamp ?? 0) - (a.timestamp ?? 0))
      .slice(0, limit);
  }

  async readMessages(chatId: string, limit: number): Promise<ChatMessages | null> {
    const entry = this.chats.get(chatId);
    if (!entry) return null;
    return { chat: entry.chat, messages: entry.messages.slice(-limit) };
  }

  async logout(): Promise<void> {
    this.cancelStart();
    this.saved = false;
    this.status.set('stopped', { lastError: null });
  }

  async close(): Promise<void> {
    this.cancelStart();
    this.status.set('stopped');
  }
}

export function chatDto(id: string, name: string, extra: Partial<ChatDto> = {}): ChatDto {
  return { id, name, is_group: false, is_read_only: false, unread_count: 0, timestamp: null, archived: false, pinned: false, muted: false, last_message: null, ...extra };
}

/** A message someone writes in `chatId` (a one-to-one chat), as the session reports it. */
export function messageFrom(chatId: string, id: string, body: string, timestamp = Math.floor(Date.now() / 1000)): MessageDto {
  return wireMessage({ id: `false_${chatId}_${id}`, from: chatId, to: ME.wid, body, timestamp, sender_phone: chatId });
}

/** The session's `event` for a message someone writes: `session.emit('event', incomingEvent(...))` records it. */
export function incomingEvent(chatId: string, id: string, body: string, timestamp?: number): WaEvent {
  const message = messageFrom(chatId, id, body, timestamp);
  return { type: 'message', chat_id: chatId, timestamp: message.timestamp, message };
}
