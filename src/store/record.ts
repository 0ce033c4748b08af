import type { DeliveriesRepo, Delivery } from './deliveries.js';
import { guarded } from './errors.js';
import type { EventsRepo, NewEvent, StoredEvent } from './events.js';
import type { MessagesRepo, UpsertResult } from './messages.js';
import type { IncomingMessage, MessageSource } from './messages-rows.js';
import { immediate, type Db } from './sqlite.js';

export interface RecordResult {
  event: StoredEvent;
  /** The webhook deliveries it created. */
  deliveries: Delivery[];
}

export interface RecordIncomingResult {
  /** null when `ifNew` was set and the message was already stored. */
  event: StoredEvent | null;
  message: UpsertResult;
  deliveries: Delivery[];
}

export interface RecordOptions {
  /** How the message came (default: `backfill` for a backfilled event, else `live`). */
  source?: MessageSource;
  /** Record the event only if the message is new: for the catch-up, which may see a message twice. */
  ifNew?: boolean;
}

/**
 * The app layer's way in: each call is ONE transaction, so after a crash there is never an
 * event without its message, a message without its event, or an event its webhooks will
 * not receive. (The repositories' own append/upsert/enqueue are the parts.)
 */
export interface Recorder {
  /** Appends an event (an ack, a group change, a status change…) and queues its webhook deliveries. */
  record(account: string, event: NewEvent): RecordResult;
  /** Stores a message, appends its event (chat defaults to the message's) and queues the deliveries. */
  recordIncoming(account: string, event: NewEvent, message: IncomingMessage, options?: RecordOptions): RecordIncomingResult;
  /**
   * Runs `fn` as one transaction (nested calls join it): e.g. an ack applied to the message
   * and recorded as an event together. `fn` must be synchronous; a Promise is refused.
   */
  transaction<T>(fn: () => T): T;
}

export function createRecorder(db: Db, file: string, repos: { events: EventsRepo; messages: MessagesRepo; deliveries: DeliveriesRepo }): Recorder {
  const { events, messages, deliveries } = repos;

  function record(account: string, event: NewEvent): RecordResult {
    const stored = events.append(account, event);
    return { event: stored, deliveries: deliveries.enqueueFor(stored) };
  }

  return {
    record: (account, event) => guarded(file, () => immediate(db, () => record(account, event))),

    recordIncoming: (account, event, message, options = {}) =>
      guarded(file, () =>
        immediate(db, () => {
          const source = options.source ?? (event.backfilled ? 'backfill' : 'live');
          const upserted = messages.upsert(account, message, source);
          if (options.ifNew && !upserted.created) return { event: null, message: upserted, deliveries: [] };
          const recorded = record(account, { ...event, chatId: event.chatId !== undefined ? event.chatId : upserted.message.chatId });
          return { ...recorded, message: upserted };
        }),
      ),

    transaction: (fn) =>
      guarded(file, () =>
        immediate(db, () => {
          const result = fn();
          // Committing before the promise settles would commit half of what it does.
          if (typeof (result as { then?: unknown } | null)?.then === 'function') throw new TypeError('store.transaction takes a synchronous function');
          return result;
        }),
      ),
  };
}
