import { describeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { DueDelivery, Store } from '../store/index.js';
import { loggedEvent } from './event-store.js';
import type { EventHub } from './events.js';
import { DEFAULT_RETRY_SCHEDULE_MS, postWebhook, retryDelay, WEBHOOK_TIMEOUT_MS, type PostOutcome } from './webhook-post.js';

export interface DispatcherOptions {
  /** Delays before each retry (default: about 32 h in all); when they run out the delivery is abandoned. */
  retryScheduleMs?: readonly number[];
  /** How often the persisted queue is looked at, for retries that came due (default 1 s). */
  pollMs?: number;
  /** Deliveries in flight at once (default 4). */
  maxInFlight?: number;
  timeoutMs?: number;
  now?: () => number;
  random?: () => number;
}

export interface DispatcherDeps extends DispatcherOptions {
  store: Store;
  events: EventHub;
  log: Logger;
  /** The account whose webhooks this dispatcher sends (each account has its own); absent: every account's. */
  account?: string;
}

/**
 * Sends the persisted webhook deliveries: at once when an event is recorded, and on a timer
 * for retries and for what was queued before a restart. The store hands out only the oldest
 * outstanding delivery of each (webhook, chat), so a chat reaches a receiver in order; a
 * failure holds its chat back until it is delivered or abandoned.
 *
 * When a delivery's retries run out it is abandoned and its webhook is disabled with the
 * reason: the receiver has failed for more than a day. Its other deliveries stay queued and
 * resume when it is enabled again.
 */
export class WebhookDispatcher {
  private readonly inFlight = new Set<string>();
  private readonly aborter = new AbortController();
  private readonly schedule: readonly number[];
  private readonly maxInFlight: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private readonly wakes = new Set<NodeJS.Timeout>();
  private stopped = true;
  private readonly onEvent = (): void => this.kick();

  constructor(private readonly deps: DispatcherDeps) {
    this.schedule = deps.retryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS;
    this.maxInFlight = deps.maxInFlight ?? 4;
    this.now = deps.now ?? Date.now;
  }

  start(): void {
    this.stopped = false;
    this.deps.events.on('event', this.onEvent);
    this.timer = setInterval(this.onEvent, this.deps.pollMs ?? 1000).unref();
    this.kick();
  }

  /** Attempts in flight are aborted; they stay outstanding in the store and go again after a restart. */
  stop(): void {
    this.stopped = true;
    this.deps.events.off('event', this.onEvent);
    if (this.timer) clearInterval(this.timer);
    for (const w of this.wakes) clearTimeout(w);
    this.wakes.clear();
    this.timer = null;
    this.aborter.abort();
  }

  /** Sends what is due now, up to the in-flight limit. Synchronous, so kicks never race. */
  kick(): void {
    if (this.stopped) return;
    const free = this.maxInFlight - this.inFlight.size;
    if (free <= 0) return;
    let due: DueDelivery[];
    try {
      // The ones in flight are still due: ask for enough to skip them.
      due = this.deps.store.deliveries.due(this.now(), free + this.inFlight.size, this.deps.account);
    } catch (err) {
      this.deps.log.error({ err: describeError(err) }, 'could not read the webhook deliveries');
      return;
    }
    for (const d of due) {
      if (this.inFlight.size >= this.maxInFlight) break;
      if (this.inFlight.has(d.delivery.id)) continue;
      this.inFlight.add(d.delivery.id);
      void this.attempt(d).finally(() => {
        this.inFlight.delete(d.delivery.id);
        this.kick();
      });
    }
  }

  private async attempt({ delivery, webhook, event }: DueDelivery): Promise<void> {
    const outcome = await postWebhook({
      url: webhook.url,
      secret: webhook.secret,
      id: delivery.id,
      body: JSON.stringify(loggedEvent(event)),
      now: this.now(),
      timeoutMs: this.deps.timeoutMs ?? WEBHOOK_TIMEOUT_MS,
      signal: this.aborter.signal,
    });
    if (this.stopped) return;
    try {
      this.settle(delivery.id, outcome);
    } catch (err) {
      this.deps.log.error({ err: describeError(err), delivery: delivery.id }, 'could not record a webhook delivery');
    }
  }

  private settle(id: string, outcome: PostOutcome): void {
    const { store, log } = this.deps;
    if (outcome.delivered) {
      store.deliveries.markDelivered(id, { statusCode: outcome.statusCode ?? 200 });
      return;
    }
    const error = outcome.error ?? 'failed';
    const now = this.now();
    const attempts = (store.deliveries.get(id)?.attempts ?? 0) + 1;
    const delay = retryDelay(attempts, this.schedule, this.deps.random);
    const failed = store.deliveries.markFailed(id, { nextAttemptAt: now + (delay ?? 0), statusCode: outcome.statusCode, error });
    if (!failed) return;
    log.warn({ delivery: id, webhook: failed.delivery.webhookId, attempts, error }, 'webhook delivery failed');
    if (delay !== null) {
      this.wakeIn(delay);
      return;
    }
    store.deliveries.abandon(id, `gave up after ${attempts} attempts; last: ${error}`);
    const hours = Math.max(1, Math.round((now - failed.delivery.createdAt) / 3_600_000));
    const reason = `Disabled: delivery ${id} failed ${attempts} times over ${hours} h (last: ${error}). Fix the receiver, then enable the webhook again; the deliveries waiting resume.`;
    store.webhooks.update(failed.delivery.webhookId, { enabled: false, disabledReason: reason });
    log.warn({ webhook: failed.delivery.webhookId, reason }, 'webhook disabled');
  }

  /** A retry sooner than the next poll gets its own wake-up (short schedules, in tests). */
  private wakeIn(delay: number): void {
    if (this.stopped || delay >= (this.deps.pollMs ?? 1000)) return;
    const wake = setTimeout(() => {
      this.wakes.delete(wake);
      this.kick();
    }, delay + 1).unref();
    this.wakes.add(wake);
  }
}
