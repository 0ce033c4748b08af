import { Notification } from 'electron';
import type { LoggedEvent } from '../app/events.js';
import { describeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { ApprovalDecision } from '../shared/ipc.js';
import { APPROVE_ACTION, approvalNotice, DENY_ACTION, shouldNotify, type ApprovalSummary } from './approval-notices.js';

/** An account's event log feed (its EventHub). */
export interface ApprovalEvents {
  on(event: 'event', fn: (e: LoggedEvent) => void): unknown;
  off(event: 'event', fn: (e: LoggedEvent) => void): unknown;
}

/** Every call names the account of the held send: approvals live in each account's services. */
export interface ApprovalNotifierDeps {
  /** What the person is shown about a held send (that account's Approvals.describe). */
  describe(id: string, account: string): Promise<ApprovalSummary>;
  /** Decides as the window does, on that account (audited); rejects with the bridge's error. */
  decide(id: string, decision: ApprovalDecision, account: string): Promise<unknown>;
  /** Whether the window is on screen, focused and showing this account, so its Approvals panel is already in front of the person. */
  windowInFront(account: string): boolean;
  /** Shows the window at this approval (showing its account). */
  openApproval(id: string, account: string): void;
  /** The account's name for the notification when there are several accounts; null with one (the notification reads as before). */
  accountName(account: string): string | null;
  /** Tells the person a decision from the notification did not go through. */
  failed(title: string, body: string): void;
  platform: NodeJS.Platform;
  log: Logger;
}

/** A held send: its account and its outbox id. */
const keyOf = (account: string, id: string): string => `${account}\n${id}`;

/**
 * A native notification for each send that starts waiting for approval, on any account, while
 * the window is not in front showing that account: Approve / Deny buttons where the platform
 * has them, and a click opens the window at the approval. A send decided anywhere (window,
 * dashboard, REST, the MCP client, expiry) takes its notification away. Each account's event
 * feed is watched on its own (`watch`), as accounts come and go.
 */
export class ApprovalNotifier {
  /** Held so Electron keeps their click and action events (a collected Notification goes silent). */
  private readonly shown = new Map<string, Notification>();
  /** Held sends not decided yet: one decided while its description was read gets no notification. */
  private readonly waiting = new Set<string>();
  private readonly watched = new Map<string, () => void>();

  constructor(private readonly deps: ApprovalNotifierDeps) {}

  /** Follows an account's held sends; the returned function stops, and takes that account's notifications away. */
  watch(account: string, events: ApprovalEvents): () => void {
    this.watched.get(account)?.();
    const onEvent = (e: LoggedEvent): void => this.onEvent(account, e);
    events.on('event', onEvent);
    const unwatch = (): void => {
      if (this.watched.get(account) !== unwatch) return;
      this.watched.delete(account);
      events.off('event', onEvent);
      for (const key of [...this.waiting, ...this.shown.keys()]) {
        if (!key.startsWith(`${account}\n`)) continue;
        this.waiting.delete(key);
        this.dismiss(key);
      }
    };
    this.watched.set(account, unwatch);
    return unwatch;
  }

  stop(): void {
    for (const unwatch of [...this.watched.values()]) unwatch();
    for (const n of this.shown.values()) n.close();
    this.shown.clear();
    this.waiting.clear();
  }

  /** The held sends with a notification on screen, as `<account>/<outbox id>` (for tests). */
  showing(): string[] {
    return [...this.shown.keys()].map((key) => key.replace('\n', '/'));
  }

  private onEvent(account: string, e: LoggedEvent): void {
    const d = e.data;
    if (d.type !== 'approval') return;
    const key = keyOf(account, d.outbox_id);
    if (d.state !== 'pending') {
      this.waiting.delete(key);
      this.dismiss(key);
      return;
    }
    if (!shouldNotify({ state: d.state, windowInFront: this.deps.windowInFront(account), supported: Notification.isSupported() })) return;
    this.waiting.add(key);
    void this.show(account, d.outbox_id);
  }

  private async show(account: string, id: string): Promise<void> {
    const key = keyOf(account, id);
    let summary: ApprovalSummary;
    try {
      summary = await this.deps.describe(id, account);
    } catch (err) {
      this.deps.log.warn({ account, id, err: describeError(err) }, 'could not describe a held send for its notification');
      return;
    }
    if (!this.waiting.delete(key)) return;
    const { title, body, actions } = approvalNotice(summary, this.deps.platform, this.deps.accountName(account));
    const n = new Notification({ title, body, actions, timeoutType: 'never' });
    n.on('click', () => {
      this.deps.openApproval(id, account);
      this.dismiss(key);
    });
    n.on('action', (_event, index) => {
      if (index !== APPROVE_ACTION && index !== DENY_ACTION) return;
      this.dismiss(key);
      this.deps.decide(id, index === APPROVE_ACTION ? 'approve' : 'deny', account).catch((err: unknown) => {
        this.deps.failed(index === APPROVE_ACTION ? 'Not approved' : 'Not denied', describeError(err));
      });
    });
    n.on('close', () => {
      if (this.shown.get(key) === n) this.shown.delete(key);
    });
    this.shown.get(key)?.close();
    this.shown.set(key, n);
    n.show();
  }

  private dismiss(key: string): void {
    const n = this.shown.get(key);
    if (!n) return;
    this.shown.delete(key);
    n.close();
  }
}
