import { EventEmitter } from 'node:events';
import { AppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { StatusMachine, type SessionSnapshot, type StatusChange } from '../core/status.js';
import type { WaEvent } from '../shared/events.js';
import type { ChatDto, ContactDto, GroupDto, MessageDto } from '../shared/wire.js';
import type { OutgoingMessage } from './outgoing.js';

export type { ChatDto, ContactDto, GroupDto, MessageDto, WaEvent };

/** One person's two ids (phone number ↔ LID), as far as WhatsApp Web knows them. */
export interface Identity {
  phone: string | null;
  lid: string | null;
}

/** Where a page of messages ends: just before a message (its id), or before a time (Unix seconds, exclusive). */
export type Before = string | { time: number };

export interface SentMessage {
  id: string | null;
}

/** A file to send, already read and checked. */
export interface MediaFile {
  data: Buffer;
  mimetype: string;
  filename: string | null;
}

export interface ChatPage extends ChatMessages {
  /** Pass as `before` for the page of older messages; null at the start of the chat. */
  nextBefore: string | null;
  /** When `before` was a message id: that message's time (Unix seconds), to page the person's other chat alongside. */
  beforeTime: number | null;
}

export interface ChatMessages {
  chat: ChatDto;
  messages: MessageDto[];
}

/** How the session describes its wiring (for the status object). */
export interface SessionInfo {
  authDir: string;
  chromeExecutable: string | null;
  headless: boolean;
}

export interface SessionEvents {
  /** The bridge's own connection to WhatsApp. */
  status: [StatusChange];
  /**
   * What happens on the account while WhatsApp Web is loaded, in the order WhatsApp Web
   * reports it (src/shared/events.ts). Not replayed: what happened while it was not
   * loaded is in the chats' history once it is.
   */
  event: [WaEvent];
}

/** Calls that need a ready session wait this long in transient states (the seed's ensureReady). */
export const READY_TIMEOUT_MS = 120_000;

/**
 * The port every other layer talks to. `whatsapp-web.js` lives behind exactly one
 * implementation of it; tests use an in-memory one. A new capability is added here first.
 */
export interface WhatsAppSession {
  readonly info: SessionInfo;
  snapshot(): SessionSnapshot;
  on<K extends keyof SessionEvents>(event: K, listener: (...args: SessionEvents[K]) => void): this;
  off<K extends keyof SessionEvents>(event: K, listener: (...args: SessionEvents[K]) => void): this;
  /** true when a linked device was saved and a start would restore it without a QR. */
  hasSavedSession(): boolean;
  /** Starts the browser and WhatsApp Web if nothing is running; returns once under way. */
  start(): Promise<void>;
  /** Waits (up to `timeoutMs`) for `qr`; answers 'ready' when the session restored itself instead. */
  waitForLinkPrompt(timeoutMs?: number): Promise<'qr' | 'ready'>;
  /** Resolves when ready; fails at once in states where waiting cannot help. */
  waitUntilReady(timeoutMs?: number): Promise<void>;
  requestPairingCode(phoneDigits: string): Promise<string>;
  /**
   * Sends one message of any kind (a reaction too: its chat is the reacted message's).
   * Failures: CHAT_NOT_FOUND (not on WhatsApp), MESSAGE_NOT_FOUND (what it quotes, forwards
   * or reacts to), WA_SEND_FAILED (refused, nothing sent), SEND_OUTCOME_UNKNOWN (the
   * connection died mid-send: it may have gone out).
   */
  send(chatId: string, content: OutgoingMessage): Promise<SentMessage>;
  /**
   * Throws MESSAGE_NOT_FOUND, MESSAGE_ALREADY_DELETED when it was deleted for everyone
   * before (by this call's twin too), or REVOKE_NOT_ALLOWED when WhatsApp no longer allows it.
   */
  deleteForEveryone(messageId: string): Promise<void>;
  /** false when no chat has that id. */
  markRead(chatId: string): Promise<boolean>;
  /** null when the message carries no media. */
  downloadMedia(messageId: string): Promise<MediaFile | null>;
  listGroups(): Promise<GroupDto[]>;
  /** Member ids of a group we are in; null when no such group. */
  groupParticipants(groupId: string): Promise<string[] | null>;
  searchContacts(query: string, limit: number): Promise<ContactDto[]>;
  /**
   * Messages of any chat (notifications left out), the newest `limit` before `before` (a
   * message id of this chat, or a time), loading older ones as far as WhatsApp Web has
   * them; null when no chat. MESSAGE_NOT_FOUND when `before` is not in the chat.
   */
  chatMessages(chatId: string, limit: number, before?: Before): Promise<ChatPage | null>;
  /**
   * Both ids of each person named (…@c.us or …@lid), as far as WhatsApp Web knows them
   * (whatsapp-web.js `getContactLidAndPhone`, without asking WhatsApp's servers). Ids that
   * name no person, or that it cannot look up now, are left out.
   */
  identities(ids: readonly string[]): Promise<ReadonlyMap<string, Identity>>;
  /**
   * Asks the phone for a chat's messages older than WhatsApp Web holds (whatsapp-web.js
   * `syncHistory`), waiting a bounded time for them. true once some arrived (chatMessages
   * before the oldest now reads them); false when there is nothing to ask for (WhatsApp Web
   * says the phone has no more, or no such chat) or nothing came in time.
   */
  syncHistory(chatId: string): Promise<boolean>;
  listChats(limit: number): Promise<ChatDto[]>;
  /** null when no chat with that id exists. */
  readMessages(chatId: string, limit: number): Promise<ChatMessages | null>;
  /** Unlinks the device, closes the browser, state `stopped`. */
  logout(): Promise<void>;
  /** Closes the browser but keeps the link, so the next start restores it. */
  close(): Promise<void>;
}

/**
 * Lifecycle shared by every implementation: one StatusMachine, and the readiness rules
 * (wait only while waiting can help, fail at once with a coded error otherwise).
 */
export abstract class BaseSession extends EventEmitter<SessionEvents> {
  protected readonly status: StatusMachine;

  constructor(protected readonly log: Logger) {
    super();
    this.status = new StatusMachine(log);
    this.status.on('change', (change) => this.emit('status', change));
  }

  snapshot(): SessionSnapshot {
    return this.status.snapshot;
  }

  async waitUntilReady(timeoutMs = READY_TIMEOUT_MS): Promise<void> {
    await this.waitFor((s) => s.state === 'ready', timeoutMs);
  }

  async waitForLinkPrompt(timeoutMs = READY_TIMEOUT_MS): Promise<'qr' | 'ready'> {
    const s = await this.waitFor((snap) => snap.state === 'qr' || snap.state === 'ready', timeoutMs);
    return s.state === 'qr' ? 'qr' : 'ready';
  }

  private waitFor(done: (s: SessionSnapshot) => boolean, timeoutMs: number): Promise<SessionSnapshot> {
    const now = this.snapshot();
    if (done(now)) return Promise.resolve(now);
    const blocked = blockingError(now);
    if (blocked) return Promise.reject(blocked);
    return new Promise((resolve, reject) => {
      const finish = (fn: () => void): void => {
        clearTimeout(timer);
        this.status.off('change', onChange);
        fn();
      };
      const onChange = ({ snapshot }: StatusChange): void => {
        if (done(snapshot)) return finish(() => resolve(snapshot));
        const err = blockingError(snapshot);
        if (err) finish(() => reject(err));
      };
      const timer = setTimeout(
        () =>
          finish(() =>
            reject(
              new AppError(
                'WA_NOT_READY',
                `WhatsApp did not become ready within ${Math.round(timeoutMs / 1000)} s (state: ${this.snapshot().state}). Check the status and try again.`,
                { next: 'status' },
              ),
            ),
          ),
        timeoutMs,
      );
      this.status.on('change', onChange);
    });
  }
}

/** Failures every implementation reports the same way. */
export function notOnWhatsApp(chatId: string): AppError {
  return new AppError('CHAT_NOT_FOUND', `${chatId.replace(/@.*/, '')} is not on WhatsApp. Check the number and its country code.`);
}

export function messageNotFound(id: string): AppError {
  return new AppError('MESSAGE_NOT_FOUND', `No message with id ${id}. Use an id from the message lists.`, { next: 'chat_messages' });
}

export function revokeNotAllowed(): AppError {
  return new AppError(
    'REVOKE_NOT_ALLOWED',
    'WhatsApp no longer allows deleting this message for everyone: only your own messages can be, for about two days after sending (or any message in a group you administer).',
  );
}

export function alreadyDeleted(id: string): AppError {
  return new AppError('MESSAGE_ALREADY_DELETED', `Message ${id} was already deleted for everyone; there is nothing left to delete.`);
}

/** The coded error for a state in which waiting for `ready` cannot help, or null. */
export function blockingError(s: SessionSnapshot): AppError | null {
  const why = s.lastError ? ` Last error: ${s.lastError}` : '';
  switch (s.state) {
    case 'stopped':
      return new AppError('WA_NOT_STARTED', `WhatsApp is not started: start it, then link your phone.${why}`, { next: 'start_auth' });
    case 'qr':
      return new AppError(
        'WA_NOT_LINKED',
        'WhatsApp is not linked yet: link your phone to this device.',
        { next: 'link' },
      );
    case 'auth_failure':
      return new AppError('WA_AUTH_FAILURE', `WhatsApp authentication failed: start again and link your phone again.${why}`, { next: 'start_auth' });
    case 'disconnected':
      return s.reconnecting
        ? null
        : new AppError('WA_DISCONNECTED', `WhatsApp is disconnected: start it again to use it here.${why}`, { next: 'start_auth' });
    default:
      return null;
  }
}
