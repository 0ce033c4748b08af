import { describeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { SendPacer } from '../core/pacer.js';
import type { MediaSpool, Store } from '../store/index.js';
import type { WhatsAppSession } from '../whatsapp/session.js';
import { Agents } from './agents.js';
import { Approvals } from './approvals.js';
import { Audit } from './audit.js';
import { catchUp } from './catch-up.js';
import { DEFAULT_ACCOUNT } from './context.js';
import { storeEventLog } from './event-store.js';
import { EventHub } from './events.js';
import { Keys } from './keys.js';
import { Linking } from './linking.js';
import { Outbox } from './outbox.js';
import { Reading } from './reading.js';
import { History, type FirstImportOptions } from './history.js';
import { SendGuard } from './guard.js';
import { Search } from './search.js';
import { Sending } from './sending.js';
import { WebhookDispatcher, type DispatcherOptions } from './webhook-dispatcher.js';
import { Webhooks } from './webhooks.js';

export interface AppDeps {
  /** The account these services act for (default: the default account). */
  account?: string;
  session: WhatsAppSession;
  store: Store;
  spool: MediaSpool;
  log: Logger;
  /** The account's send pace. */
  pace: { perMinute: number; burst: number };
  /** Folders whose files may be sent by path (WHATSAPP_MEDIA_DIRS); none by default. */
  mediaDirs: readonly string[];
  /** How long a caller that waits for its send waits before it gets "still queued" (202). */
  syncTimeoutMs?: number;
  /** Sends that may wait in the queue before new ones are refused (RATE_LIMITED). */
  maxQueued?: number;
  /** How long a send held for approval waits for a person before it is canceled (default 10 min). */
  approvalTimeoutMs?: number;
  /** The clock of the send policies and approvals (tests move it; default Date.now). */
  now?: () => number;
  /** The webhook dispatcher's retry schedule, poll interval, in-flight limit (defaults for the product). */
  webhooks?: Omit<DispatcherOptions, 'now' | 'random'>;
  /** The history import on the first link: how many recent chats, how many messages each (defaults: 20 × 200). */
  firstImport?: FirstImportOptions;
  /** The client keys, shared by every account of the bridge (a key may be limited to some); made here when absent. */
  keys?: Keys;
}

/** The application: every transport (REST, MCP, the window's IPC) calls these, and only these. */
export interface AppServices {
  /** The account every one of these acts for. */
  readonly account: string;
  readonly linking: Linking;
  readonly reading: Reading;
  readonly sending: Sending;
  readonly outbox: Outbox;
  /** The event log and its live feed (SSE, webhooks, MCP). */
  readonly events: EventHub;
  readonly search: Search;
  /** Older messages into the store: the recent chats on the first link, any chat on demand. */
  readonly history: History;
  /** Receivers of the event log, signed and retried. */
  readonly webhooks: Webhooks;
  /** Sends held for a person's approval: approve, deny, expire (issue 12). */
  readonly approvals: Approvals;
  /** The kill switch: pause and resume every client key's sends. */
  readonly agents: Agents;
  /** Client keys with scopes and send policies, and the audit trail of what they (and the owner) did. */
  readonly keys: Keys;
  readonly audit: Audit;
  /** Resumes the outbox (queued sends go out, interrupted ones are reconciled) and the webhook deliveries. */
  start(): Promise<void>;
  close(): void;
}

export function createServices(deps: AppDeps): AppServices {
  const account = deps.account ?? DEFAULT_ACCOUNT;
  const outbox = new Outbox({
    account,
    store: deps.store,
    spool: deps.spool,
    session: deps.session,
    pacer: new SendPacer(deps.pace.perMinute, deps.pace.burst),
    log: deps.log.child({ module: 'outbox' }),
    ...(deps.maxQueued !== undefined ? { maxQueued: deps.maxQueued } : {}),
  });
  const log = deps.log.child({ module: 'events' });
  const eventLog = storeEventLog(deps.store);
  const events = new EventHub(account, deps.session, eventLog, log);
  const approvals = new Approvals({
    account,
    store: deps.store,
    outbox,
    events,
    session: deps.session,
    log: deps.log.child({ module: 'approvals' }),
    ...(deps.approvalTimeoutMs !== undefined ? { timeoutMs: deps.approvalTimeoutMs } : {}),
    ...(deps.now ? { now: deps.now } : {}),
  });
  const agents = new Agents(account, deps.store, outbox, deps.now);
  const safety = { guard: new SendGuard(account, deps.store, deps.session, deps.now), approvals };
  const dispatcher = new WebhookDispatcher({ store: deps.store, events, account, log: deps.log.child({ module: 'webhooks' }), ...deps.webhooks });
  const history = new History(account, deps.store, deps.session, deps.log.child({ module: 'history' }), deps.firstImport);
  const search = new Search(account, deps.store, deps.session);
  // A webhook's chat filter follows both of a person's chats, as SSE's does.
  const webhooks = new Webhooks(account, deps.store, dispatcher, (chatId) => search.bothIds(chatId));
  // Each time WhatsApp becomes ready: record what arrived while the bridge was away, before
  // what arrives meanwhile (held from this very moment: see holdLiveWhile); and import the
  // recent chats' history after the first link (or go on with that import), whose chats
  // catch-up leaves to it. Webhooks' chat filters learn a person's other chat first, so that
  // what is recorded from now on reaches them.
  let catchingUp: Promise<unknown> | null = null;
  const followPeople = () => webhooks.followPeople().catch((err: unknown) => log.warn({ err: describeError(err) }, "could not look up the chats webhooks' filters stand for"));
  const onStatus = ({ to }: { to: string }): void => {
    if (to !== 'ready' || catchingUp) return;
    catchingUp = events
      .holdLiveWhile(() => {
        const catchingUpNow = () => catchUp(account, deps.session, events, eventLog, log, undefined, history.resumeFirstImport());
        return webhooks.filtersChats() ? followPeople().then(catchingUpNow) : catchingUpNow();
      })
      .catch((err: unknown) => log.warn({ err: describeError(err) }, 'catch-up failed'))
      .finally(() => (catchingUp = null));
  };
  const audit = new Audit(account, deps.store, deps.log.child({ module: 'audit' }));
  return {
    account,
    linking: new Linking(deps.session, () => history.progress(), account),
    reading: new Reading(deps.session),
    sending: new Sending(deps.session, outbox, deps.mediaDirs, deps.syncTimeoutMs, safety),
    outbox,
    events,
    search,
    history,
    webhooks,
    approvals,
    agents,
    keys: deps.keys ?? new Keys({ account: DEFAULT_ACCOUNT, store: deps.store, log: deps.log.child({ module: 'keys' }) }),
    audit,
    start: async () => {
      audit.start();
      events.start();
      dispatcher.start();
      deps.session.on('status', onStatus);
      agents.start();
      await outbox.start();
      await approvals.start();
    },
    close: () => {
      approvals.close();
      deps.session.off('status', onStatus);
      history.close();
      events.close();
      dispatcher.stop();
      outbox.close();
      audit.stop();
    },
  };
}
