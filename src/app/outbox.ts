import { EventEmitter } from 'node:events';
import { AppError, describeError, ERROR_STATUS, type ErrorCode } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { SendPacer } from '../core/pacer.js';
import { insertWithMedia, isSettled, type MediaSpool, type OutboxEntry, type OutboxPage, type OutboxStatus, type Store } from '../store/index.js';
import { shownText, type OutgoingMessage } from '../whatsapp/outgoing.js';
import { blockingError, type WaEvent, type WhatsAppSession } from '../whatsapp/session.js';
import type { Ack } from '../shared/wire.js';
import { fromStored, requestHash, toStored, type StoredContent } from './outbox-payload.js';
import { findSentCopy, messagesSince } from './reconcile.js';

export interface OutboxOptions {
  account: string;
  store: Store;
  spool: MediaSpool;
  session: WhatsAppSession;
  pacer: SendPacer;
  log: Logger;
  /** Sends in flight at once, each to a different chat (a chat's messages go out in order). */
  concurrency?: number;
  /** Queued sends beyond this are refused with RATE_LIMITED: an agent in a loop must slow down, not pile up. */
  maxQueued?: number;
}

export interface Submission {
  chatId: string;
  content: OutgoingMessage;
  client?: string | null;
  idempotencyKey?: string | null;
  /** Held for a person's approval until `expiresAt`, with why (see approvals.ts), instead of queued. */
  hold?: { expiresAt: number; approval: unknown };
}

/** Codes after which the message certainly did not go out, and a later attempt may work. */
const RETRYABLE = new Set<string>(['WA_NOT_STARTED', 'WA_NOT_LINKED', 'WA_DISCONNECTED', 'WA_NOT_READY', 'WA_AUTH_FAILURE', 'BROWSER_UNAVAILABLE']);
/** Messages per page when a chat is searched, back to the attempt, for the copy of a send whose outcome was unknown. */
const RECONCILE_PAGE = 50;

/**
 * Every send goes through here: recorded before it is attempted, attempted once WhatsApp is
 * ready and the pace allows, in order per chat, and settled as sent (then delivered, read)
 * or failed. A send whose outcome is unknown (the browser or the bridge died mid-send) is
 * looked up in the chat before anything is sent again: nothing lost, nothing twice.
 */
export class Outbox {
  private readonly account: string;
  private readonly events = new EventEmitter<{ settled: [OutboxEntry] }>();
  private readonly busyChats = new Set<string>();
  private readonly concurrency: number;
  private readonly maxQueued: number;
  private paceTimer: NodeJS.Timeout | null = null;
  /** Entries left in `sending` by a crash or a lost connection: looked up in their chats when WhatsApp is ready. */
  private unresolved = true;
  private reconciling: Promise<void> | null = null;
  /** A lookup failed (WhatsApp went away again): the next try waits for a change of state. */
  private reconcileAfterStatus = false;
  /** Receipts that arrived before their send was recorded as sent (the page answers after acking). */
  private readonly earlyAcks = new Map<string, number>();
  private closed = false;
  /** Agents paused: sends by client keys stay queued (not sent, not dropped) until resumed. */
  private keysPaused = false;
  private readonly onStatus = (): void => {
    this.reconcileAfterStatus = false;
    this.pump();
  };
  private readonly onEvent = (event: WaEvent): void => {
    if (event.type === 'message_ack') this.recordAck({ id: event.message_id, ack: ACK_LEVEL[event.ack] });
  };

  constructor(private readonly opts: OutboxOptions) {
    this.account = opts.account;
    this.concurrency = opts.concurrency ?? 8;
    this.maxQueued = opts.maxQueued ?? 100;
    this.events.setMaxListeners(0);
    opts.session.on('status', this.onStatus);
    opts.session.on('event', this.onEvent);
  }

  /** Resumes what a previous run left: queued sends go out, sends found `sending` are reconciled. */
  async start(): Promise<void> {
    // Keys are honoured for a week (the API promises at least a day), then forgotten.
    const forgotten = this.opts.store.outbox.pruneIdempotency(Date.now() - IDEMPOTENCY_KEPT_MS);
    if (forgotten) this.opts.log.info({ forgotten }, 'forgot idempotency keys older than a week');
    const removed = await this.opts.spool.sweep(this.opts.store.outbox);
    if (removed.length) this.opts.log.info({ removed: removed.length }, 'removed media of settled or uncommitted sends');
    // The bridge starts the outbox before it restores a saved session, which is `stopped` until
    // then: pumping now failed every send a crash had left queued with WA_NOT_STARTED (and a
    // client retrying with its key got that failure forever). The session's first status
    // change pumps instead.
    const { session } = this.opts;
    if (session.snapshot().state === 'stopped' && session.hasSavedSession()) return;
    this.pump();
  }

  close(): void {
    this.closed = true;
    if (this.paceTimer) clearTimeout(this.paceTimer);
    this.opts.session.off('status', this.onStatus);
    this.opts.session.off('event', this.onEvent);
  }

  /**
   * Records a send. With an idempotency key already used for the same request, the entry of
   * the first call comes back (`created: false`) and nothing new is sent.
   */
  async submit(sub: Submission): Promise<{ entry: OutboxEntry; created: boolean }> {
    const { store, spool } = this.opts;
    const key = sub.idempotencyKey ?? null;
    const hash = requestHash(sub.chatId, sub.content);
    if (key !== null) {
      const replay = this.replay(key, hash);
      if (replay) return { entry: replay, created: false };
    }
    // Waiting cannot help in these states: refuse now rather than queue for nobody.
    const blocked = blockingError(this.opts.session.snapshot());
    if (blocked) throw blocked;
    if (store.outbox.findByStatus(this.account, 'queued').length >= this.maxQueued) {
      throw new AppError('RATE_LIMITED', `${this.maxQueued} messages are already waiting to go out for this account; wait for them before sending more.`, {
        retryAfterSeconds: 30,
      });
    }
    const { payload, files } = toStored(sub.content);
    const entry = {
      account: this.account,
      client: sub.client ?? null,
      idempotencyKey: key,
      requestHash: hash,
      kind: sub.content.kind,
      chatId: sub.chatId,
      payload,
      matchText: shownText(sub.content),
      ...(sub.hold ? { status: 'awaiting_approval' as const, expiresAt: sub.hold.expiresAt, approval: sub.hold.approval } : {}),
    };
    const result = files.length ? await insertWithMedia(store.outbox, spool, entry, files) : store.outbox.insert(entry);
    if (!result.sameRequest) throw idempotencyConflict(key!);
    if (result.created) this.pump();
    return { entry: result.entry, created: result.created };
  }

  /** Resolves once the entry is settled, or with its current state after `timeoutMs`. */
  waitSettled(id: string, timeoutMs: number): Promise<OutboxEntry> {
    const now = this.get(id);
    if (!now) return Promise.reject(new AppError('OUTBOX_NOT_FOUND', `No send ${id} in the outbox.`));
    if (isSettled(now.status) || now.status === 'awaiting_approval') return Promise.resolve(now);
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.events.off('settled', onSettled);
        resolve(this.get(id)!);
      };
      const onSettled = (e: OutboxEntry): void => {
        if (e.id === id) done();
      };
      const timer = setTimeout(done, timeoutMs);
      timer.unref();
      this.events.on('settled', onSettled);
    });
  }

  get(id: string): OutboxEntry | null {
    const e = this.opts.store.outbox.get(id);
    return e && e.account === this.account ? e : null;
  }

  list(query: { status?: OutboxStatus; chatId?: string; client?: string; limit: number; before?: string }): OutboxPage {
    return this.opts.store.outbox.list({ account: this.account, ...query });
  }

  /** Cancels a send that has not started; one under way or done cannot be called back. */
  async cancel(id: string): Promise<OutboxEntry> {
    const entry = this.get(id);
    if (!entry) throw new AppError('OUTBOX_NOT_FOUND', `No send ${id} in the outbox.`);
    const canceled = this.opts.store.outbox.transition(id, ['queued', 'awaiting_approval'], 'canceled');
    if (!canceled) {
      throw new AppError('OUTBOX_NOT_CANCELABLE', `Send ${id} is ${entry.status}: only a send that is still queued or awaiting approval can be canceled.`);
    }
    await this.settle(canceled);
    return canceled;
  }

  /** Whether a send with this idempotency key is recorded (a retry replays it rather than sending again). */
  hasIdempotencyKey(key: string): boolean {
    return this.opts.store.outbox.findByIdempotencyKey(this.account, key) !== null;
  }

  /** A held send a person approved: queued, then sent like any other. null when it was no longer held. */
  release(id: string, approval: unknown): OutboxEntry | null {
    const queued = this.opts.store.outbox.transition(id, ['awaiting_approval'], 'queued', { approval });
    if (queued) this.pump();
    return queued;
  }

  /** A held send denied or expired: canceled with `error`, never sent. null when it was no longer held. */
  async refuse(id: string, error: { code: ErrorCode; message: string }, approval: unknown): Promise<OutboxEntry | null> {
    const canceled = this.opts.store.outbox.transition(id, ['awaiting_approval'], 'canceled', { error, approval });
    await this.settle(canceled);
    return canceled;
  }

  /** The kill switch: while paused, queued sends by client keys wait; resuming sends them in their order. */
  setKeysPaused(paused: boolean): void {
    const resumed = this.keysPaused && !paused;
    this.keysPaused = paused;
    if (resumed) this.pump();
  }

  get paused(): boolean {
    return this.keysPaused;
  }

  private replay(key: string, hash: string): OutboxEntry | null {
    const found = this.opts.store.outbox.findByIdempotencyKey(this.account, key);
    if (!found) return null;
    if (found.requestHash !== hash) throw idempotencyConflict(key);
    return found;
  }

  /** Starts whatever may go out now; called on every change that could let more go. */
  private pump(): void {
    if (this.closed) return;
    const snapshot = this.opts.session.snapshot();
    if (snapshot.state !== 'ready') {
      const blocked = blockingError(snapshot);
      if (blocked) this.failQueued(blocked);
      return;
    }
    if (this.unresolved) {
      if (this.reconcileAfterStatus) return;
      this.reconciling ??= this.reconcile().finally(() => {
        this.reconciling = null;
        this.pump();
      });
      return;
    }
    if (this.reconciling) return;
    const queued = this.opts.store.outbox.findByStatus(this.account, 'queued');
    for (const entry of queued) {
      if (this.busyChats.size >= this.concurrency) return;
      if (this.busyChats.has(entry.chatId)) continue;
      if (this.keysPaused && entry.client !== null) continue;
      const waitMs = entry.kind === 'reaction' ? 0 : this.opts.pacer.reserve();
      if (waitMs > 0) {
        this.paceTimer ??= setTimeout(() => {
          this.paceTimer = null;
          this.pump();
        }, waitMs);
        return;
      }
      const sending = this.opts.store.outbox.transition(entry.id, ['queued'], 'sending');
      if (!sending) continue;
      this.busyChats.add(entry.chatId);
      void this.attempt(sending).finally(() => {
        this.busyChats.delete(entry.chatId);
        this.pump();
      });
    }
  }

  private async attempt(entry: OutboxEntry): Promise<void> {
    const { store, session, spool, log } = this.opts;
    const files = await Promise.all(Array.from({ length: entry.mediaCount }, (_, i) => spool.read(entry.id, i)));
    const content = fromStored(entry.payload as StoredContent, files);
    if (!content) {
      await this.settle(store.outbox.transition(entry.id, ['sending'], 'failed', { error: { code: 'MEDIA_GONE', message: 'The file to send is no longer in the outbox.' } }));
      return;
    }
    try {
      const sent = await session.send(entry.chatId, content);
      await this.settle(store.outbox.transition(entry.id, ['sending'], 'sent', sent.id ? { messageId: sent.id } : {}));
    } catch (err) {
      const code = err instanceof AppError ? err.code : 'INTERNAL';
      if (code === 'SEND_OUTCOME_UNKNOWN') {
        // Left in `sending`: the chat tells, once WhatsApp is back, whether it went out.
        log.warn({ id: entry.id, err: describeError(err) }, 'send outcome unknown; will look it up in the chat');
        this.unresolved = true;
        return;
      }
      if (RETRYABLE.has(code)) {
        store.outbox.transition(entry.id, ['sending'], 'queued', { error: { code, message: describeError(err) } });
        return;
      }
      await this.settle(store.outbox.transition(entry.id, ['sending'], 'failed', { error: { code, message: describeError(err) } }));
    }
  }

  /** Finds out, for every send left `sending`, whether WhatsApp has it: then it is sent, else it goes again. */
  private async reconcile(): Promise<void> {
    const { store, session, log } = this.opts;
    this.unresolved = false;
    for (const entry of store.outbox.findByStatus(this.account, 'sending')) {
      if (this.busyChats.has(entry.chatId)) continue;
      try {
        if (entry.kind === 'reaction' || entry.attemptAt === null) {
          // A reaction sent again is still the one reaction.
          store.outbox.transition(entry.id, ['sending'], 'queued');
          continue;
        }
        const recent = await messagesSince(session, entry.chatId, entry.attemptAt, RECONCILE_PAGE);
        const copy = findSentCopy({ kind: entry.kind as OutgoingMessage['kind'], matchText: entry.matchText, attemptAt: entry.attemptAt }, recent, (id) => store.outbox.getByMessageId(this.account, id) !== null);
        if (copy?.id) {
          log.info({ id: entry.id, messageId: copy.id }, 'a send cut off mid-way had gone out: recorded as sent');
          await this.settle(store.outbox.transition(entry.id, ['sending'], 'sent', { messageId: copy.id }));
        } else {
          log.info({ id: entry.id }, 'a send cut off mid-way had not gone out: sending it again');
          store.outbox.transition(entry.id, ['sending'], 'queued');
        }
      } catch (err) {
        // WhatsApp went away again: try once it is back.
        log.warn({ id: entry.id, err: describeError(err) }, 'could not reconcile a send yet');
        this.unresolved = true;
        this.reconcileAfterStatus = true;
        return;
      }
    }
  }

  private failQueued(err: AppError): void {
    for (const entry of this.opts.store.outbox.findByStatus(this.account, 'queued')) {
      void this.settle(this.opts.store.outbox.transition(entry.id, ['queued'], 'failed', { error: { code: err.code, message: err.message } }));
    }
  }

  private recordAck({ id, ack }: { id: string; ack: number }): void {
    const { outbox } = this.opts.store;
    const name = ACKS[ack];
    if (name) {
      if (outbox.updateAck(this.account, id, name) || outbox.getByMessageId(this.account, id)) return;
      // Not recorded as sent yet (or not ours: sent from the phone): kept a little while.
      this.earlyAcks.set(id, Math.max(ack, this.earlyAcks.get(id) ?? 0));
      if (this.earlyAcks.size > EARLY_ACKS_KEPT) this.earlyAcks.delete(this.earlyAcks.keys().next().value!);
    } else if (ack < 0) {
      // WhatsApp's error receipt: the message it had accepted did not reach anyone.
      const entry = outbox.getByMessageId(this.account, id);
      if (entry) outbox.transition(entry.id, ['sent'], 'failed', { error: { code: 'WA_SEND_FAILED', message: 'WhatsApp reported that the message could not be delivered.' } });
    }
  }

  private async settle(entry: OutboxEntry | null): Promise<void> {
    if (!entry) return;
    const early = entry.messageId ? this.earlyAcks.get(entry.messageId) : undefined;
    if (early !== undefined) {
      this.earlyAcks.delete(entry.messageId!);
      this.recordAck({ id: entry.messageId!, ack: early });
    }
    if (entry.mediaCount > 0) await this.opts.spool.remove(entry.id).catch((err: unknown) => this.opts.log.warn({ err: describeError(err) }, 'could not remove sent media'));
    this.events.emit('settled', entry);
  }
}

const ACKS: Partial<Record<number, 'sent' | 'delivered' | 'read' | 'played'>> = { 1: 'sent', 2: 'delivered', 3: 'read', 4: 'played' };
/** whatsapp-web.js's number for each receipt: later receipts are higher, errors below zero. */
const ACK_LEVEL: Readonly<Record<Ack, number>> = { error: -1, pending: 0, sent: 1, delivered: 2, read: 3, played: 4 };
const EARLY_ACKS_KEPT = 500;
const IDEMPOTENCY_KEPT_MS = 7 * 24 * 60 * 60 * 1000;

function idempotencyConflict(key: string): AppError {
  return new AppError('IDEMPOTENCY_CONFLICT', `Idempotency-Key "${key}" was used for a different request. Use a new key for a new message.`);
}

/** The error a failed entry carries, as the product's coded error. */
export function entryError(entry: OutboxEntry): AppError {
  const code = (entry.errorCode && entry.errorCode in ERROR_STATUS ? entry.errorCode : 'WA_SEND_FAILED') as ErrorCode;
  return new AppError(code, entry.errorMessage ?? 'The message could not be sent.');
}
