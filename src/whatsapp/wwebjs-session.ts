import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import type wwebjs from 'whatsapp-web.js';
import { AppError, describeError } from '../core/errors.js';
import { KeyedLock } from '../core/keyed-lock.js';
import type { Logger } from '../core/logger.js';
import { makePrivateDir } from '../core/private-dir.js';
import type { Account } from '../core/status.js';
import { destroyQuietly, guardPipes, LaunchedChrome, puppeteerOptionsFor, withTimeout, type BrowserBinding, type WebVersionOptions } from './browser-binding.js';
import { senderOf, toChatDto } from './dto.js';
import { retryDelayMs } from './retry.js';
import type { OutgoingMessage } from './outgoing.js';
import * as pageScripts from './page-scripts.js';
import { forwardEvents, IdentityLookup, type EventSource } from './wwebjs-events.js';
import * as messaging from './wwebjs-messaging.js';
import type { Lib } from './wwebjs-messaging.js';
import {
  BaseSession,
  type Before,
  type ChatDto,
  type ChatMessages,
  type ChatPage,
  type ContactDto,
  type GroupDto,
  type Identity,
  type MediaFile,
  type SentMessage,
  type SessionInfo,
  type WhatsAppSession,
} from './session.js';

type WLib = typeof wwebjs;

/** The library and the classes the messaging functions build with. */
interface Loaded {
  lib: WLib;
  messaging: Lib;
}

let loading: Promise<Loaded> | null = null;

/**
 * whatsapp-web.js and puppeteer take a third of a second to import: the server should be
 * listening by then. They load on the first start instead, once per process.
 */
function loadLibrary(): Promise<Loaded> {
  loading ??= import('whatsapp-web.js').then((m) => {
    const lib = ((m as { default?: WLib }).default ?? m) as WLib;
    const { Chat, Message } = lib as unknown as Pick<Lib, 'Chat' | 'Message'>;
    return { lib, messaging: { MessageMedia: lib.MessageMedia, Location: lib.Location, Poll: lib.Poll, Message, Chat } };
  });
  return loading;
}
type WClient = InstanceType<WLib['Client']>;

/** Written when the device is linked, removed when it is unlinked: "is there a session to restore?" */
const LINK_MARKER = 'linked.json';

/** Where whatsapp-web.js's LocalAuth (without a clientId) keeps the browser profile, inside authDir. */
const PROFILE_DIR = 'session';


export interface WwebjsSessionOptions {
  authDir: string;
  dataDir: string;
  headless: boolean;
  log: Logger;
  /** An explicit executable (WHATSAPP_CHROME_EXECUTABLE); null auto-detects. Ignored with `browser`. */
  chromeExecutable?: string | null;
  browser?: BrowserBinding;
  /** The simulator passes its local page here; real use caches WhatsApp Web under the data dir. */
  webVersion?: WebVersionOptions;
  /** Milliseconds before reconnect attempt N (1-based), or null to give up. */
  retryStrategy?: (attempt: number) => number | null;
  /** How long syncHistory waits for the phone's older messages (default 20 s). */
  historySyncWaitMs?: number;
}

const HISTORY_SYNC_WAIT_MS = 20_000;
const HISTORY_SYNC_POLL_MS = 250;

/** Reasons whatsapp-web.js gives for a disconnect after which the link itself is gone. */
const UNLINKED_REASONS = new Set(['LOGOUT', 'UNPAIRED', 'UNPAIRED_IDLE']);

export class WwebjsSession extends BaseSession implements WhatsAppSession {
  readonly info: SessionInfo;
  private client: WClient | null = null;
  /** Set by the first start; every client (and so every call that needs one) comes after it. */
  private loaded: Loaded | null = null;
  private readonly browser: BrowserBinding;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectAttempt = 0;
  /** Bumped whenever a client is retired, so late events from an old client are ignored. */
  private generation = 0;
  /** Deletes of one message, one after another (see messaging.deleteForEveryone). */
  private readonly deletes = new KeyedLock();
  /** The other ids of senders, as the current client's WhatsApp Web knows them. */
  private people: IdentityLookup;

  constructor(private readonly opts: WwebjsSessionOptions) {
    super(opts.log);
    this.people = new IdentityLookup(() => null, opts.log);
    this.browser = opts.browser ?? new LaunchedChrome(opts.chromeExecutable ?? null, opts.headless);
    this.info = { authDir: opts.authDir, chromeExecutable: this.browser.description, headless: opts.headless };
  }

  /** The WhatsApp Web page, for the simulator's controls; null when no browser runs. */
  get page(): Page | null {
    return (this.client?.pupPage as Page | undefined) ?? null;
  }

  hasSavedSession(): boolean {
    return existsSync(path.join(this.opts.authDir, LINK_MARKER));
  }

  async start(): Promise<void> {
    if (this.client) return;
    this.cancelReconnect();
    this.loaded ??= await loadLibrary();
    // Another start may have launched while the library loaded.
    if (!this.client) this.launch();
  }

  private get library(): Lib {
    return this.loaded!.messaging;
  }

  private launch(): void {
    let puppeteer: Record<string, unknown>;
    try {
      puppeteer = puppeteerOptionsFor(this.browser);
    } catch (err) {
      this.status.set('stopped', { lastError: describeError(err) });
      throw err;
    }
    // LocalAuth would create the profile dir with the default mode (0755).
    makePrivateDir(path.join(this.opts.authDir, PROFILE_DIR));
    this.status.set('starting', { lastError: null });
    const generation = ++this.generation;
    const { Client, LocalAuth } = this.loaded!.lib;
    const client = new Client({
      authStrategy: new LocalAuth({ dataPath: this.opts.authDir }),
      puppeteer,
      // The user agent is set per browser binding; whatsapp-web.js's default is years old.
      userAgent: false,
      ...(this.opts.webVersion ?? { webVersionCache: { type: 'local', path: path.join(this.opts.dataDir, 'wweb-cache') } }),
    } as unknown as ConstructorParameters<typeof Client>[0]);
    this.client = client;
    this.people = new IdentityLookup(() => this.pageOf(client), this.log);
    this.quietWhenRetired(client, generation);
    this.attach(client, generation);
    client
      .initialize()
      .then(() => this.watchBrowser(client, generation))
      .catch((err: unknown) => this.onInitFailure(err, generation));
  }

  /**
   * After the phone logs the device out, whatsapp-web.js re-injects the page from its own
   * 'framenavigated' handler, whose promise nobody awaits. We close that browser as soon as
   * the link is gone, so the injection fails; from a retired client that is expected, and
   * must not become an unhandled rejection.
   */
  private quietWhenRetired(client: WClient, generation: number): void {
    const c = client as unknown as { inject(): Promise<void> };
    const inject = c.inject.bind(client);
    c.inject = async () => {
      try {
        await inject();
      } catch (err) {
        if (this.current(generation)) throw err;
        this.log.debug({ err: describeError(err) }, 'page injection of a retired client failed (expected)');
      }
    };
  }

  /** A browser that crashes or is closed by hand: whatsapp-web.js itself would never notice. */
  private watchBrowser(client: WClient, generation: number): void {
    guardPipes(client, this.log);
    const browser = client.pupBrowser as { on(event: 'disconnected', fn: () => void): void } | undefined;
    browser?.on('disconnected', () => {
      if (this.current(generation)) this.retireOrReconnect('The browser running WhatsApp Web closed unexpectedly.');
    });
  }

  private current(generation: number): boolean {
    return generation === this.generation && this.client !== null;
  }

  private attach(client: WClient, generation: number): void {
    client.on('qr', (qr: string) => {
      if (this.current(generation)) this.status.set('qr', { qr });
    });
    client.on('authenticated', () => {
      if (this.current(generation)) this.status.set('authenticated');
    });
    client.on('auth_failure', (message: string) => {
      if (!this.current(generation)) return;
      this.forgetLink();
      void this.retire(`WhatsApp rejected the saved session: ${message}`, 'auth_failure');
    });
    client.on('ready', () => {
      if (!this.current(generation)) return;
      const info = client.info as unknown as { wid?: { _serialized?: string }; pushname?: string; platform?: string } | undefined;
      const account: Account = {
        wid: info?.wid?._serialized ?? '',
        pushname: info?.pushname ?? null,
        platform: info?.platform ?? null,
      };
      this.reconnectAttempt = 0;
      this.rememberLink(account);
      this.status.set('ready', { account });
    });
    client.on('disconnected', (reason: string) => {
      if (this.current(generation)) void this.onDisconnected(String(reason));
    });
    forwardEvents(client as unknown as EventSource, {
      current: () => this.current(generation),
      emit: (event) => this.emit('event', event),
      page: () => this.pageOf(client),
      people: this.people,
      log: this.log,
    });
  }

  private pageOf(client: WClient): Page | null {
    return (client.pupPage as Page | undefined) ?? null;
  }

  private async onDisconnected(reason: string): Promise<void> {
    if (UNLINKED_REASONS.has(reason) && this.snapshot().state !== 'qr') {
      this.forgetLink();
      await this.retire('The phone logged this device out (Linked devices): link it again.', 'disconnected');
      return;
    }
    if (reason === 'CONFLICT') {
      await this.retire('WhatsApp Web was opened on another computer or browser: start it again to use it here.', 'disconnected');
      return;
    }
    await this.retireAndReconnect(`WhatsApp disconnected (${reason})`);
  }

  private onInitFailure(err: unknown, generation: number): void {
    if (!this.current(generation)) return;
    const text = describeError(err);
    let message: string;
    if (/Failed to launch|ENOENT|spawn|Browser was not found|executable/i.test(text)) {
      message = `Could not start the browser (${this.browser.description ?? 'no executable'}): ${text.split('\n')[0]}. Set WHATSAPP_CHROME_EXECUTABLE to a working Chrome or Chromium.`;
    } else if (/net::ERR_|ERR_INTERNET|ERR_NAME_NOT_RESOLVED|ERR_CONNECTION/i.test(text)) {
      message = `Cannot reach WhatsApp Web (${/net::ERR_[A-Z_]+/.exec(text)?.[0] ?? text}). Check the internet connection.`;
    } else if (/auth timeout/i.test(text)) {
      message = 'WhatsApp Web did not load within 30 s. Check the internet connection, then start again.';
    } else {
      message = `WhatsApp Web failed to start: ${text.split('\n')[0]}`;
    }
    this.log.warn({ err: text }, 'whatsapp-web.js initialize failed');
    this.retireOrReconnect(message);
  }

  /** A saved link comes back by itself; without one there is nothing to reconnect to. */
  private retireOrReconnect(message: string): void {
    if (this.hasSavedSession()) void this.retireAndReconnect(message);
    else void this.retire(message, 'stopped');
  }

  /** Closes the current browser (if any) and settles in `state` with `lastError`. */
  private async retire(lastError: string | null, state: 'stopped' | 'disconnected' | 'auth_failure'): Promise<void> {
    const client = this.client;
    this.client = null;
    this.generation++;
    this.status.set(state, { lastError, reconnecting: false });
    if (client) await destroyQuietly(client, this.log);
  }

  /**
   * Closes the current browser and comes back by itself. The state says `reconnecting` from
   * the first moment, so calls wait through the close instead of failing at once; the timer
   * starts once the old browser is gone (the new one reuses its profile).
   */
  private async retireAndReconnect(reason: string): Promise<void> {
    const client = this.client;
    this.client = null;
    const generation = ++this.generation;
    const attempt = ++this.reconnectAttempt;
    const delay = (this.opts.retryStrategy ?? retryDelayMs)(attempt);
    if (delay === null) {
      this.status.set('disconnected', { lastError: `${reason}; gave up reconnecting after ${attempt - 1} attempts: start again.`, reconnecting: false });
    } else {
      this.status.set('disconnected', { lastError: `${reason}; reconnecting in ${Math.round(delay / 1000)} s (attempt ${attempt}).`, reconnecting: true });
    }
    if (client) await destroyQuietly(client, this.log);
    // A start, close or logout while the browser closed has taken over since.
    if (delay !== null && generation === this.generation) this.armReconnect(delay);
  }

  private armReconnect(delay: number): void {
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      try {
        if (!this.client) this.launch();
      } catch (err) {
        this.log.warn({ err: describeError(err) }, 'reconnect failed to launch');
      }
    }, delay);
    this.reconnectTimer.unref();
  }

  private cancelReconnect(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }

  private rememberLink(account: Account): void {
    try {
      writeFileSync(path.join(this.opts.authDir, LINK_MARKER), JSON.stringify({ wid: account.wid, linked_at: new Date().toISOString() }), { mode: 0o600 });
    } catch (err) {
      this.log.warn({ err: describeError(err) }, 'could not save the link marker; the next start will wait to be started');
    }
  }

  private forgetLink(): void {
    rmSync(path.join(this.opts.authDir, LINK_MARKER), { force: true });
  }

  private requireClient(): WClient {
    if (!this.client) throw new AppError('WA_NOT_STARTED', 'WhatsApp is not started: start it, then link your phone.', { next: 'start_auth' });
    return this.client;
  }

  async requestPairingCode(phoneDigits: string): Promise<string> {
    const client = this.requireClient();
    try {
      return await client.requestPairingCode(phoneDigits, true);
    } catch (err) {
      throw new AppError('WA_ERROR', `WhatsApp did not issue a pairing code: ${describeError(err)}. Try again, or scan the QR code at /qr.`);
    }
  }

  send(chatId: string, content: OutgoingMessage): Promise<SentMessage> {
    return messaging.sendMessage(this.requireClient(), this.library, chatId, content);
  }

  deleteForEveryone(messageId: string): Promise<void> {
    return this.deletes.run(messageId, async () => messaging.deleteForEveryone(this.requireClient(), messageId));
  }

  markRead(chatId: string): Promise<boolean> {
    return messaging.markRead(this.requireClient(), chatId);
  }

  downloadMedia(messageId: string): Promise<MediaFile | null> {
    return messaging.downloadMedia(this.requireClient(), messageId);
  }

  listGroups(): Promise<GroupDto[]> {
    return messaging.listGroups(this.requireClient());
  }

  groupParticipants(groupId: string): Promise<string[] | null> {
    return messaging.groupParticipants(this.requireClient(), groupId);
  }

  searchContacts(query: string, limit: number): Promise<ContactDto[]> {
    return messaging.searchContacts(this.requireClient(), this.people, query, limit);
  }

  chatMessages(chatId: string, limit: number, before?: Before): Promise<ChatPage | null> {
    return messaging.chatMessages(this.requireClient(), this.library, this.people, chatId, limit, before);
  }

  async identities(ids: readonly string[]): Promise<ReadonlyMap<string, Identity>> {
    this.requireClient();
    return this.people.lookup(ids);
  }

  async syncHistory(chatId: string): Promise<boolean> {
    const client = this.requireClient();
    // whatsapp-web.js would look an unknown chat up on WhatsApp's servers; reading must not create one.
    if (!(await messaging.chatExists(client, chatId))) return false;
    // It asks only when WhatsApp Web says the phone holds more (the chat's endOfHistoryTransferType).
    if (!(await client.syncHistory(chatId))) return false;
    return (client.pupPage as Page).evaluate(pageScripts.waitForOlderMessages, chatId, this.opts.historySyncWaitMs ?? HISTORY_SYNC_WAIT_MS, HISTORY_SYNC_POLL_MS);
  }

  async listChats(limit: number): Promise<ChatDto[]> {
    const client = this.requireClient();
    const page = client.pupPage as Page;
    // Only the `limit` most recent chats are serialized: a large account has thousands.
    const models = await page.evaluate(pageScripts.recentChats, limit);
    const chats = (models as object[]).filter(Boolean).map((m) => new this.library.Chat(client, m));
    const known = await this.people.lookup(chats.map((c) => (c.lastMessage ? senderOf(c.lastMessage) : null)));
    return chats.map((c) => toChatDto(c, known));
  }

  async readMessages(chatId: string, limit: number): Promise<ChatMessages | null> {
    const page = await messaging.chatMessages(this.requireClient(), this.library, this.people, chatId, limit);
    return page && { chat: page.chat, messages: page.messages };
  }

  async logout(): Promise<void> {
    this.cancelReconnect();
    const client = this.client;
    this.client = null;
    this.generation++;
    if (client) {
      guardPipes(client, this.log);
      try {
        // Socket.logout() unlinks the device on the phone's side too; only a ready session can.
        if (this.snapshot().state === 'ready') await withTimeout(client.logout(), 15_000);
        else await destroyQuietly(client, this.log);
      } catch (err) {
        this.log.warn({ err: describeError(err) }, 'logout did not finish cleanly; closing the browser');
        await destroyQuietly(client, this.log);
      }
    }
    this.forgetLink();
    rmSync(path.join(this.opts.authDir, PROFILE_DIR), { recursive: true, force: true, maxRetries: 4 });
    await this.browser.clearStorage?.().catch((err: unknown) => this.log.warn({ err: describeError(err) }, 'could not clear the browser storage'));
    this.status.set('stopped', { lastError: null });
  }

  async close(): Promise<void> {
    this.cancelReconnect();
    await this.retire(null, 'stopped');
  }
}
