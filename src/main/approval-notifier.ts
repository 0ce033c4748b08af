import { Notification } from 'electron';
import type { LoggedEvent } from '../app/events.js';
import { describeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { ApprovalDecision } from '../shared/ipc.js';
import { APPROVE_ACTION, approvalNotice, DENY_ACTION, shouldNotify, type ApprovalSummary } from './approval-notices.js';

export interface ApprovalNotifierDeps {
  /** The event log's live feed (the EventHub). */
  events: { on(event: 'event', fn: (e: LoggedEvent) => void): unknown; off(event: 'event', fn: (e: LoggedEvent) => void): unknown };
  /** What the person is shown about a held send (Approvals.describe). */
  describe(id: string): Promise<ApprovalSummary>;
  /** Decides as the window does (audited); rejects with the bridge's error. */
  decide(id: string, decision: ApprovalDecision): Promise<unknown>;
  /** Whether the window is on screen and focused, so the Approvals panel is already in front of the person. */
  windowInFront(): boolean;
  /** Shows the window at this approval. */
  openApproval(id: string): void;
  /** Tells the person a decision from the notification did not go through. */
  failed(title: string, body: string): void;
  platform: NodeJS.Platform;
  log: Logger;
}

/**
 * A native notification for each send that starts waiting for approval while the window is
 * not in front: Approve / Deny buttons where the platform has them, and a click opens the
 * window at the approval. A send decided anywhere (window, dashboard, REST, the MCP client,
 * expiry) takes its notification away.
 */
export class ApprovalNotifier {
  /** Held so Electron keeps their click and action events (a collected Notification goes silent). */
  private readonly shown = new Map<string, Notification>();
  /** Held sends not decided yet: one decided while its description was read gets no notification. */
  private readonly waiting = new Set<string>();

  constructor(private readonly deps: ApprovalNotifierDeps) {}

  start(): void {
    this.deps.events.on('event', this.onEvent);
  }

  stop(): void {
    this.deps.events.off('event', this.onEvent);
    for (const n of this.shown.values()) n.close();
    this.shown.clear();
    this.waiting.clear();
  }

  /** The outbox ids with a notification on screen (for tests). */
  showing(): string[] {
    return [...this.shown.keys()];
  }

  private readonly onEvent = (e: LoggedEvent): void => {
    const d = e.data;
    if (d.type !== 'approval') return;
    if (d.state !== 'pending') {
      this.waiting.delete(d.outbox_id);
      this.dismiss(d.outbox_id);
      return;
    }
    if (!shouldNotify({ state: d.state, windowInFront: this.deps.windowInFront(), supported: Notification.isSupported() })) return;
    this.waiting.add(d.outbox_id);
    void this.show(d.outbox_id);
  };

  private async show(id: string): Promise<void> {
    let summary: ApprovalSummary;
    try {
      summary = await this.deps.describe(id);
    } catch (err) {
      this.deps.log.warn({ id, err: describeError(err) }, 'could not describe a held send for its notification');
      return;
    }
    if (!this.waiting.delete(id)) return;
    const { title, body, actions } = approvalNotice(summary, this.deps.platform);
    const n = new Notification({ title, body, actions, timeoutType: 'never' });
    n.on('click', () => {
      this.deps.openApproval(id);
      this.dismiss(id);
    });
    n.on('action', (_event, index) => {
      if (index !== APPROVE_ACTION && index !== DENY_ACTION) return;
      this.dismiss(id);
      this.deps.decide(id, index === APPROVE_ACTION ? 'approve' : 'deny').catch((err: unknown) => {
        this.deps.failed(index === APPROVE_ACTION ? 'Not approved' : 'Not denied', describeError(err));
      });
    });
    n.on('close', () => {
      if (this.shown.get(id) === n) this.shown.delete(id);
    });
    this.shown.get(id)?.close();
    this.shown.set(id, n);
    n.show();
  }

  private dismiss(id: string): void {
    const n = this.shown.get(id);
    if (!n) return;
    this.shown.delete(id);
    n.close();
  }
}
