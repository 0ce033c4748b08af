import type { Page } from 'puppeteer-core';
import { callSimulator } from '../page-scripts.js';
import {
  SimulatorRefusal,
  type ContactReadsOptions,
  type DisconnectState,
  type GroupMembersInput,
  type GroupUpdateInput,
  type IncomingMessage,
  type RefusalCode,
  type SeedInput,
  type SimulatedMessage,
  type SimulatedPhone,
  type SimulatorSnapshot,
  type SystemNoticeInput,
} from './types.js';

export { deliverAllWhileClosed, deliverWhileClosed, LID_CONTACTS, prepareSimulatorCache, SIMULATOR_VERSION, type OfflineMessage, type SimulatorCache } from './page-cache.js';
export * from './types.js';

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
  edit(input: { id: string; body: string }): void;
  revoke(input: { id: string; by?: string }): void;
  react(input: { id: string; from: string; emoji: string }): void;
  vote(input: { id: string; from: string; options: string[] }): void;
  groupJoin(input: GroupMembersInput): Promise<{ ids: string[] }>;
  groupLeave(input: GroupMembersInput): Promise<{ ids: string[] }>;
  groupUpdate(input: GroupUpdateInput): Promise<{ ids: string[] }>;
  call(input: { from: string; video?: boolean; group?: boolean }): { id: string };
  phoneSend(input: { to: string; body: string }): Promise<{ id: string }>;
  systemNotice(input: SystemNoticeInput): Promise<{ id: string }>;
  olderOnPhone(input: { chat: string; count: number }): { ids: string[] };
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

  /** The sender edits a text or caption they sent less than 15 minutes ago (message_edit). */
  async edit(input: { id: string; body: string }): Promise<void> {
    await this.call('edit', input);
  }

  /**
   * The sender deletes their message for everyone (within about two days), or `by`, an admin
   * of its group (digits), deletes a member's (message_revoke_everyone).
   */
  async revoke(input: { id: string; by?: string }): Promise<void> {
    await this.call('revoke', input);
  }

  /** `from` (digits), who is in the message's chat, reacts; '' takes the reaction back (message_reaction). */
  async react(input: { id: string; from: string; emoji: string }): Promise<void> {
    await this.call('react', input);
  }

  /** `from` votes in a poll: `options` (names) is their whole choice, [] withdraws it (vote_update). */
  async vote(input: { id: string; from: string; options: string[] }): Promise<void> {
    await this.call('vote', input);
  }

  /** People join a group: added by `by` (an admin), or with the invite link (group_join). Resolves with the notifications' ids. */
  groupJoin(input: GroupMembersInput): Promise<{ ids: string[] }> {
    return this.call('groupJoin', input);
  }

  /** People leave a group, or `by` (an admin) removes them (group_leave). */
  groupLeave(input: GroupMembersInput): Promise<{ ids: string[] }> {
    return this.call('groupLeave', input);
  }

  /** A member changes the group's subject, description, picture or settings, one notification each (group_update). */
  groupUpdate(input: GroupUpdateInput): Promise<{ ids: string[] }> {
    return this.call('groupUpdate', input);
  }

  /** `from` (digits) calls the account while WhatsApp Web is connected (call). Resolves with the call id. */
  incomingCall(input: { from: string; video?: boolean; group?: boolean }): Promise<{ id: string }> {
    return this.call('call', input);
  }

  /**
   * The account's own phone sends a text to `to` (digits, or a group id): a message of
   * ours from another device (message_create), then its acks. Resolves with its id.
   */
  phoneSend(input: { to: string; body: string }): Promise<{ id: string }> {
    return this.call('phoneSend', input);
  }

  /**
   * WhatsApp puts a system notice in a chat (a chat id, or a person's number): nobody wrote
   * it, but whatsapp-web.js emits message_create and message for it. Resolves with its id.
   */
  systemNotice(input: SystemNoticeInput): Promise<{ id: string }> {
    return this.call('systemNotice', input);
  }

  /**
   * The phone holds `count` messages older than the chat's oldest (a chat id, or a person's
   * number), which WhatsApp Web gets only when it asks (whatsapp-web.js syncHistory): 50 per
   * request. In this page only, like seed(). Resolves with their ids, oldest first.
   */
  olderOnPhone(input: { chat: string; count: number }): Promise<{ ids: string[] }> {
    return this.call('olderOnPhone', input);
  }

  private async call<M extends keyof SimulatorPageApi>(
    method: M,
    ...args: Parameters<SimulatorPageApi[M]>
  ): Promise<Awaited<ReturnType<SimulatorPageApi[M]>>> {
    const result = await this.page.evaluate(callSimulator, method, args);
    if ('refused' in result) throw new SimulatorRefusal(result.refused.code as RefusalCode, result.refused.message);
    return result.value as Awaited<ReturnType<SimulatorPageApi[M]>>;
  }
}
