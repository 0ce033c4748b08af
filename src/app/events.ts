import { EventEmitter } from 'node:events';
import { describeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { StatusChange } from '../core/status.js';
import type { LogEventType, WaEvent } from '../shared/events.js';
import type { MessageDto, WhatsAppSession } from '../whatsapp/session.js';

/** Every type in the event log: WhatsApp's events, the bridge's own status changes, and approvals. */
export type EventType = LogEventType;

export interface StatusEventData {
  type: 'status';
  state: StatusChange['to'];
  previous: StatusChange['from'];
  last_error: string | null;
  /** Disconnected, and the bridge is trying to reconnect by itself. */
  reconnecting: boolean;
}

/** A send held for a person's approval, and what became of it (issue 12): the window shows the pending ones. */
export interface ApprovalEventData {
  type: 'approval';
  outbox_id: string;
  chat_id: string;
  /** canceled: withdrawn (DELETE /api/outbox/{id}) before anyone decided. */
  state: 'pending' | 'approved' | 'denied' | 'expired' | 'canceled';
  /** Why it was held: quarantine, new_recipient or always. */
  reason: string;
  /** The client key's name that asked. */
  client: string | null;
  /** ISO 8601, while pending: when it is canceled unless someone decides. */
  expires_at: string | null;
}

/** One entry of the event log, as every consumer (SSE, webhooks, MCP) sees it. */
export interface LoggedEvent {
  /** Monotonic: resume after it (SSE `Last-Event-ID`, `?after=`, MCP cursors). */
  cursor: number;
  /** Stable across deliveries: "ev_…". */
  id: string;
  type: EventType;
  account: string;
  chat_id: string | null;
  /** ISO 8601: when it happened (WhatsApp's time where it says, else when it was recorded). */
  at: string;
  /** true for messages found after the fact (arrived while the bridge was down). */
  backfilled: boolean;
  data: WaEvent | StatusEventData | ApprovalEventData;
}

export interface NewEvent {
  type: EventType;
  chatId: string | null;
  at: number;
  backfilled: boolean;
  data: WaEvent | StatusEventData | ApprovalEventData;
}

/** What the hub needs of the store: one transaction per event, with the message it carries. */
export interface EventStore {
  /** null: a backfilled message that was already stored (nothing recorded). */
  record(account: string, event: NewEvent, message: { message: MessageDto; source: 'live' | 'sent' | 'backfill' } | null): LoggedEvent | null;
  after(account: string, cursor: number, query: { types?: readonly EventType[]; chatIds?: readonly string[]; limit: number }): LoggedEvent[];
  before(account: string, cursor: number | null, query: { types?: readonly EventType[]; chatIds?: readonly string[]; limit: number }): LoggedEvent[];
  latestCursor(account: string): number;
}

/**
 * The event log's writer and the live feed: every WhatsApp event and status change is
 * recorded (with its message, in the same transaction) before anyone is told, so SSE,
 * webhooks and MCP read one ordered log and can all resume after a restart.
 */
export class EventHub extends EventEmitter<{ event: [LoggedEvent] }> {
  /** While catch-up runs: WhatsApp's live events waiting, and the messages catch-up recorded. */
  private holding: { events: WaEvent[]; caughtUp: Set<string> } | null = null;
  private readonly onEvent = (e: WaEvent): void => {
    if (this.holding) this.holding.events.push(e);
    else this.safely(() => this.recordWa(e, false));
  };
  /** What the last status event said: a new error or a reconnect that gave up, within a state, is news too. */
  private lastStatus: { state: StatusChange['to']; lastError: string | null; reconnecting: boolean } | null = null;
  private readonly onStatus = (c: StatusChange): void => {
    const { lastError, reconnecting } = c.snapshot;
    const before = this.lastStatus ?? { state: c.from, lastError: null, reconnecting: false };
    if (before.state === c.to && before.lastError === lastError && before.reconnecting === reconnecting) return; // a new QR code only: not logged
    this.lastStatus = { state: c.to, lastError, reconnecting };
    this.safely(() =>
      this.append(
        { type: 'status', chatId: null, at: Date.now(), backfilled: false, data: { type: 'status', state: c.to, previous: c.from, last_error: lastError, reconnecting } },
        null,
      ),
    );
  };

  constructor(
    private readonly account: string,
    private readonly session: WhatsAppSession,
    private readonly store: EventStore,
    private readonly log: Logger,
  ) {
    super();
    this.setMaxListeners(0);
  }

  start(): void {
    this.session.on('event', this.onEvent);
    this.session.on('status', this.onStatus);
  }

  close(): void {
    this.session.off('event', this.onEvent);
    this.session.off('status', this.onStatus);
    this.holding = null;
  }

  /**
   * Runs `catchUp` with WhatsApp's live events held back, then records them in the order they
   * came. Recorded at once, a message arriving while catch-up runs would go into the log (and
   * each chat's webhook queue) before the older ones catch-up finds, and would become the
   * chat's newest recorded message, below which catch-up looks no further: the older ones
   * would be lost. A held message that catch-up found in the chat is not recorded twice.
   */
  async holdLiveWhile<T>(catchUp: () => Promise<T>): Promise<T> {
    if (this.holding) return catchUp();
    const holding: NonNullable<EventHub['holding']> = { events: [], caughtUp: new Set() };
    this.holding = holding;
    try {
      return await catchUp();
    } finally {
      if (this.holding === holding) {
        this.holding = null;
        for (const e of holding.events) {
          if ((e.type === 'message' || e.type === 'message_create') && holding.caughtUp.has(e.message.id ?? '')) continue;
          this.safely(() => this.recordWa(e, false));
        }
      }
    }
  }

  /** Events after `cursor`, oldest first. */
  after(cursor: number, query: { types?: readonly EventType[]; chatIds?: readonly string[]; limit: number }): LoggedEvent[] {
    return this.store.after(this.account, cursor, query);
  }

  /** Events before `cursor` (null: the newest), newest first. */
  before(cursor: number | null, query: { types?: readonly EventType[]; chatIds?: readonly string[]; limit: number }): LoggedEvent[] {
    return this.store.before(this.account, cursor, query);
  }

  latestCursor(): number {
    return this.store.latestCursor(this.account);
  }

  /**
   * Messages received after `after` (default: from now on), answered as soon as there is
   * one, or an empty list after `timeoutMs`; `cursor` is where to continue.
   */
  async waitForMessages(query: { chatIds?: readonly string[]; after?: number; timeoutMs: number }): Promise<{ events: LoggedEvent[]; cursor: number }> {
    const after = query.after ?? this.latestCursor();
    const filter = { types: ['message'] as const, ...(query.chatIds?.length ? { chatIds: query.chatIds } : {}), limit: 100 };
    const logged = this.after(after, filter);
    if (logged.length) return { events: logged, cursor: logged.at(-1)!.cursor };
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.off('event', onEvent);
        const found = this.after(after, filter);
        resolve({ events: found, cursor: found.at(-1)?.cursor ?? Math.max(after, this.latestCursor()) });
      };
      const onEvent = (e: LoggedEvent): void => {
        if (e.type === 'message' && (!query.chatIds?.length || (e.chat_id !== null && query.chatIds.includes(e.chat_id)))) done();
      };
      const timer = setTimeout(done, query.timeoutMs);
      this.on('event', onEvent);
    });
  }

  /** Records one of WhatsApp's events; `backfilled` for what catch-up found after the fact. */
  recordWa(e: WaEvent, backfilled: boolean): LoggedEvent | null {
    const message = e.type === 'message' || e.type === 'message_create' ? { message: e.message, source: backfilled ? ('backfill' as const) : e.type === 'message' ? ('live' as const) : ('sent' as const) } : null;
    const at = e.timestamp !== null ? e.timestamp * 1000 : Date.now();
    const logged = this.append({ type: e.type, chatId: e.chat_id, at, backfilled, data: e }, message);
    if (logged && backfilled && message?.message.id) this.holding?.caughtUp.add(message.message.id);
    return logged;
  }

  private append(event: NewEvent, message: Parameters<EventStore['record']>[2]): LoggedEvent | null {
    const logged = this.store.record(this.account, event, message);
    if (logged) this.emit('event', logged);
    return logged;
  }

  /** Records an approval's change of state (the bridge's own event, like `status`). */
  recordApproval(data: ApprovalEventData): void {
    this.safely(() => this.append({ type: 'approval', chatId: data.chat_id, at: Date.now(), backfilled: false, data }, null));
  }

  /** A failure to record must not take the session's event loop down; it is logged loudly. */
  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.error({ err: describeError(err) }, 'could not record an event');
    }
  }
}
