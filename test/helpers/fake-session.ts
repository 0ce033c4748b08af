import { AppError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Account, SessionState } from '../../src/core/status.js';
import { BaseSession, type ChatDto, type ChatMessages, type MessageDto, type SentMessage, type SessionInfo, type WhatsAppSession } from '../../src/whatsapp/session.js';

export const ME: Account = { wid: '15550000000@c.us', pushname: 'Test Me', platform: 'android' };

/**
 * An in-memory WhatsApp for integration tests: the same lifecycle rules as the real
 * adapter (it extends the same BaseSession), with the transitions driven by the test.
 */
export class FakeSession extends BaseSession implements WhatsAppSession {
  readonly info: SessionInfo = { authDir: '/tmp/fake-auth', chromeExecutable: '/usr/bin/chromium', headless: true };
  readonly sent: { chatId: string; text: string }[] = [];
  readonly pairingRequests: string[] = [];
  chats = new Map<string, { chat: ChatDto; messages: MessageDto[] }>();
  saved = false;
  startCalls = 0;
  /** What `start()` moves to: 'qr' for a new device, 'ready' to simulate a restored session. */
  startInto: SessionState = 'qr';
  private seq = 0;

  constructor() {
    super(silentLogger());
  }

  set(state: SessionState, patch: Parameters<BaseSession['status']['set']>[1] = {}): void {
    this.status.set(state, patch);
  }

  hasSavedSession(): boolean {
    return this.saved;
  }

  async start(): Promise<void> {
    this.startCalls++;
    this.status.set('starting');
    setTimeout(() => {
      if (this.startInto === 'qr') this.status.set('qr', { qr: `2@fake-ref-${this.startCalls},key,identity,secret` });
      else this.link();
    }, 5);
  }

  /** The phone completes the link. */
  link(account: Account = ME): void {
    this.status.set('authenticated');
    this.status.set('ready', { account });
  }

  async requestPairingCode(phoneDigits: string): Promise<string> {
    this.pairingRequests.push(phoneDigits);
    return 'ABCD1234';
  }

  async sendText(chatId: string, text: string): Promise<SentMessage> {
    if (chatId.startsWith('1999')) throw new AppError('CHAT_NOT_FOUND', `${chatId.replace(/@.*/, '')} is not on WhatsApp.`);
    this.sent.push({ chatId, text });
    const id = `true_${chatId}_FAKE${++this.seq}`;
    const msg: MessageDto = { id, from: ME.wid, to: chatId, author: null, from_me: true, type: 'chat', body: text, timestamp: 1_730_000_000 + this.seq, has_media: false };
    const entry = this.chats.get(chatId) ?? { chat: chatDto(chatId, chatId.replace(/@.*/, '')), messages: [] };
    entry.messages.push(msg);
    entry.chat = { ...entry.chat, timestamp: msg.timestamp, last_message: msg };
    this.chats.set(chatId, entry);
    return { id };
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
    this.saved = false;
    this.status.set('stopped', { lastError: null });
  }

  async close(): Promise<void> {
    this.status.set('stopped');
  }
}

export function chatDto(id: string, name: string, extra: Partial<ChatDto> = {}): ChatDto {
  return { id, name, is_group: false, is_read_only: false, unread_count: 0, timestamp: null, archived: false, pinned: false, muted: false, last_message: null, ...extra };
}
