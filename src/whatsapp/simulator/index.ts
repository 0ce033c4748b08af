import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { PRIVATE_DIR_MODE } from '../../core/private-dir.js';
import { callSimulator } from '../page-scripts.js';

/**
 * The WhatsApp Web version the simulator page reports (window.Debug.VERSION) and the name
 * of its file in the web-version cache. whatsapp-web.js compares versions numerically after
 * stripping only "-beta", so this must be all digits; the highest 2.3000 build takes every
 * modern code path.
 */
export const SIMULATOR_VERSION = '2.3000.9999999999';

/** Page sources in load order: each may use what the ones before it define. */
const PAGE_SOURCES = [
  'loader.js',
  'events.js',
  'wid.js',
  'socket.js',
  'storage.js',
  'account.js',
  'content.js',
  'media.js',
  'store.js',
  'linking.js',
  'actions.js',
  'message-actions.js',
  'contacts.js',
  'controls.js',
] as const;

const SCRIPT_SLOT = '<!-- simulator-script -->';

export interface SimulatorCache {
  webVersionCache: { type: 'local'; path: string; strict: true };
  webVersion: string;
}

/**
 * Writes the simulator page to `dir/<SIMULATOR_VERSION>.html`. Pass the result to the
 * whatsapp-web.js Client options: it then answers https://web.whatsapp.com/ with that file.
 */
export async function prepareSimulatorCache(dir: string): Promise<SimulatorCache> {
  const html = await buildSimulatorPage();
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  await writeFile(path.join(dir, `${SIMULATOR_VERSION}.html`), html);
  return { webVersionCache: { type: 'local', path: dir, strict: true }, webVersion: SIMULATOR_VERSION };
}

async function buildSimulatorPage(): Promise<string> {
  const read = (name: string) => readFile(new URL(`./page/${name}`, import.meta.url), 'utf8');
  const [template, ...sources] = await Promise.all([read('template.html'), ...PAGE_SOURCES.map(read)]);
  if (!template?.includes(SCRIPT_SLOT)) throw new Error(`page/template.html has lost its ${SCRIPT_SLOT} marker`);
  // All sources share one function scope: the page is one inline script, since the
  // browser cannot fetch anything else while whatsapp-web.js serves it from the cache.
  const script = [
    '(() => {',
    "'use strict';",
    `const SIMULATOR_VERSION = ${JSON.stringify(SIMULATOR_VERSION)};`,
    ...sources.map((source, i) => `// ---- ${PAGE_SOURCES[i]}\n${source}`),
    '})();',
  ].join('\n');
  if (/<\/script/i.test(script)) throw new Error('a simulator page source contains "</script", which would end the inline script');
  return template.replace(SCRIPT_SLOT, () => `<script>\n${script}\n</script>`);
}

/** Socket states disconnect() can put WhatsApp Web in; see WAState in whatsapp-web.js. */
export type DisconnectState =
  | 'CONFLICT'
  | 'TIMEOUT'
  | 'UNLAUNCHED'
  | 'PROXYBLOCK'
  | 'TOS_BLOCK'
  | 'SMB_TOS_BLOCK'
  | 'DEPRECATED_VERSION';

/** The phone that links: its number (digits), WhatsApp display name and platform. */
export interface SimulatedPhone {
  user?: string;
  pushname?: string;
  platform?: string;
}

export interface IncomingMessage {
  /** Sender's phone number, digits only. */
  from: string;
  /** The text; with `media`, its caption (optional). */
  body?: string;
  /** Sender's WhatsApp display name (notifyName on the message). */
  pushname?: string;
  /** A group id (…@g.us) of the account: the message is posted there by `from`. */
  group?: string;
  /** A file the sender's phone uploads and sends. */
  media?: IncomingMedia;
}

/** What WhatsApp makes of the file follows its type; the flags apply where they fit. */
export interface IncomingMedia {
  /** The file, base64. */
  data: string;
  mimetype: string;
  /** Kept for documents only, as in WhatsApp. */
  filename?: string;
  /** Audio as a voice note (type 'ptt'). */
  asVoice?: boolean;
  /** A video that plays as a GIF. */
  asGif?: boolean;
  asDocument?: boolean;
  /** A photo or video that can be opened once. */
  viewOnce?: boolean;
}

/** What WhatsApp holds for one message: what the other side received. */
export interface SimulatedMessage {
  /** Serialized, as whatsapp-web.js and the bridge name it. */
  id: string;
  chatId: string;
  fromMe: boolean;
  /** In groups: who wrote it (…@c.us). */
  author: string | null;
  /** chat, image, video, audio, ptt (voice note), document, location, poll_creation, revoked */
  type: string;
  body: string;
  caption: string | null;
  /** Seconds. */
  t: number;
  ack: number;
  /** The message this one replies to. */
  quotedId: string | null;
  /** Mentioned ids (…@c.us), whether or not the text shows them. */
  mentions: string[];
  linkPreview: { title: string; description: string; url: string } | null;
  /** filehash: base64 SHA-256 of the file's bytes. */
  media: { mimetype: string; filename: string | null; size: number; filehash: string; viewOnce: boolean; gif: boolean } | null;
  location: { latitude: number; longitude: number; description: string | null } | null;
  /** selectableCount: 0 means any number of answers. */
  poll: { name: string; options: string[]; selectableCount: number } | null;
  reactions: { sender: string; emoji: string }[];
  /** Deleted for everyone, by its sender or a group admin. */
  revoked: 'sender' | 'admin' | null;
  forwarded: boolean;
  forwardingScore: number;
  /** Deleted only for us: gone from this device and the phone, while the other side still has it. */
  deletedForMe: boolean;
}

export interface ContactReadsOptions {
  /** They also listen to our voice notes: those go to ack 4 (played) instead of 3 (read). */
  played?: boolean;
}

/** Generated account data; see page/account.js. */
export interface SeedInput {
  /** New 1:1 chats with "Contact <n>". */
  chats: number;
  messagesPerChat: number;
  /** New groups "Group <n>" with Alice, Bob, Carla and us; we administer every other one. */
  groups?: number;
}

export interface SimulatorSnapshot {
  linked: boolean;
  /** The account's id (…@c.us) once a phone has linked. */
  me: string | null;
  socketState: string;
  hasSynced: boolean;
  /** The QR ref on screen, if the page is showing a QR code. */
  qrRef: string | null;
  qrRotationMs: number;
  pendingPairingCode: string | null;
  linkedDevice: { name: string; version: string; os: string } | null;
  /** Chats loaded in WhatsApp Web (WAWebCollections.Chat). */
  chats: number;
  /** Chats the account has, loaded or not. */
  accountChats: number;
  unregisteredNumbers: string[];
  /** Modules something asked window.require for that the simulator does not provide. */
  missingModules: string[];
  /** Errors thrown by event listeners inside the page, whatsapp-web.js's included. */
  listenerErrors: string[];
}

/** The in-page object, window.__waSimulator (page/controls.js). */
interface SimulatorPageApi {
  link(phone?: SimulatedPhone): void;
  enterPairingCode(code?: string): void;
  incoming(input: IncomingMessage): Promise<{ id: string }>;
  contactReads(chatId: string, options?: ContactReadsOptions): { read: number };
  message(id: string): SimulatedMessage | null;
  messages(chatId: string, limit?: number): SimulatedMessage[];
  disconnect(state?: DisconnectState): void;
  phoneLogout(): Promise<void>;
  seed(input: SeedInput): void;
  setQrRotationMs(ms: number): void;
  setUnregisteredNumbers(numbers: string[]): void;
  holdSends(): void;
  releaseSends(): void;
  heldSend(): Promise<{ id: string }>;
  snapshot(): SimulatorSnapshot;
}

/**
 * Drives the simulator page from Node: plays the phone (link, pairing code, incoming
 * messages, logout) and WhatsApp's servers (disconnects, account data). Every method runs
 * one method of window.__waSimulator and rejects with its Error when the action makes no
 * sense in the current state.
 */
export class SimulatorControl {
  constructor(private readonly page: Page) {}

  /** The phone scans the QR code on screen, or enters the pending pairing code. */
  async link(phone?: SimulatedPhone): Promise<void> {
    await this.call('link', phone);
  }

  /** The phone enters a pairing code; without `code`, the pending one. */
  async enterPairingCode(code?: string): Promise<void> {
    await this.call('enterPairingCode', code);
  }

  /** A contact sends the account a text message or a file. Resolves with the message id. */
  incoming(input: IncomingMessage): Promise<{ id: string }> {
    return this.call('incoming', input);
  }

  /**
   * The contact reads the chat (`…@c.us`; for a group `…@g.us`, every member does): our
   * messages delivered to their phone go to ack 3 (read), with `played` our voice notes to
   * 4 (played). Acks never go down, and messages not yet delivered are left as they are.
   * whatsapp-web.js gets the receipts as `message_ack` (on reconnect if the socket is down).
   * Resolves with how many messages changed.
   */
  contactReads(chatId: string, options?: ContactReadsOptions): Promise<{ read: number }> {
    return this.call('contactReads', chatId, ...(options === undefined ? [] : [options]));
  }

  /** What WhatsApp holds for a message, by its serialized id; null if it has none. */
  message(id: string): Promise<SimulatedMessage | null> {
    return this.call('message', id);
  }

  /** The newest `limit` (default 20) messages of a chat as WhatsApp holds them, oldest first. */
  messages(chatId: string, limit?: number): Promise<SimulatedMessage[]> {
    return this.call('messages', chatId, ...(limit === undefined ? [] : [limit]));
  }

  /** WhatsApp drops the connection with this socket state (default CONFLICT). */
  async disconnect(state?: DisconnectState): Promise<void> {
    await this.call('disconnect', state);
  }

  /** The phone removes this linked device; the saved link and history are cleared. */
  async phoneLogout(): Promise<void> {
    await this.call('phoneLogout');
  }

  /**
   * Adds `chats` generated 1:1 chats and `groups` groups with `messagesPerChat` messages
   * each. They live in this page only: unlike what is sent and received, they are gone
   * after a restart.
   */
  async seed(input: SeedInput): Promise<void> {
    await this.call('seed', input);
  }

  /** How often the QR ref rotates (WhatsApp: about 20 s). */
  async setQrRotationMs(ms: number): Promise<void> {
    await this.call('setQrRotationMs', ms);
  }

  /** Phone numbers (digits) that are not on WhatsApp. */
  async setUnregisteredNumbers(numbers: string[]): Promise<void> {
    await this.call('setUnregisteredNumbers', numbers);
  }

  /**
   * From now on WhatsApp accepts and keeps what is sent, but the send does not return to
   * whatsapp-web.js until `releaseSends()`: the window in which a browser that dies leaves
   * the sender not knowing whether the message went out.
   */
  async holdSends(): Promise<void> {
    await this.call('holdSends');
  }

  async releaseSends(): Promise<void> {
    await this.call('releaseSends');
  }

  /** Resolves, with the message's id, once a send is held (at once if one already is). */
  heldSend(): Promise<{ id: string }> {
    return this.call('heldSend');
  }

  snapshot(): Promise<SimulatorSnapshot> {
    return this.call('snapshot');
  }

  private async call<M extends keyof SimulatorPageApi>(
    method: M,
    ...args: Parameters<SimulatorPageApi[M]>
  ): Promise<Awaited<ReturnType<SimulatorPageApi[M]>>> {
    const result = await this.page.evaluate(callSimulator, method, args);
    return result as Awaited<ReturnType<SimulatorPageApi[M]>>;
  }
}
