import { describeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { AuditEntry, Store } from '../store/index.js';
import type { RequestContext } from './context.js';
import type { AuditEntryView, AuditQuery } from './schemas/audit.js';

export const AUDIT_RETENTION_DAYS = 90;
const DAY_MS = 24 * 60 * 60_000;

export interface AuditDetails {
  /** The error code, when the outcome was one (defaults to the outcome unless it is "ok"). */
  code?: string | null;
  outboxId?: string | null;
  detail?: Record<string, unknown> | null;
}

export function auditView(e: AuditEntry): AuditEntryView {
  return {
    id: e.seq,
    at: new Date(e.at).toISOString(),
    account: e.account,
    client_kind: e.clientKind,
    client_id: e.clientId,
    client_name: e.clientName,
    transport: e.transport,
    action: e.action,
    target: e.target,
    outcome: e.outcome,
    code: e.code,
    outbox_id: e.outboxId,
    detail: e.detail,
  };
}

/**
 * The audit trail (issue 12): who did what, through which door, to what, and how it ended.
 * The transports record every call that changes something or sends; reads are not
 * recorded. Entries older than the retention are pruned at start and daily.
 */
export class Audit {
  private pruner: NodeJS.Timeout | null = null;

  constructor(
    private readonly account: string,
    private readonly store: Store,
    private readonly log: Logger,
    private readonly retentionDays = AUDIT_RETENTION_DAYS,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Never throws: a send that went out must not be reported as failed because its audit row
   * could not be written (a full disk). The failure is logged instead.
   */
  record(ctx: RequestContext, action: string, target: string | null, outcome: string, details: AuditDetails = {}): void {
    const { client } = ctx;
    try {
      this.store.audit.append({
        account: ctx.account,
        clientKind: client.kind,
        clientId: client.id,
        clientName: client.name ?? client.kind,
        transport: ctx.transport ?? 'system',
        action,
        target,
        outcome,
        code: details.code !== undefined ? details.code : outcome === 'ok' ? null : outcome,
        outboxId: details.outboxId ?? null,
        detail: details.detail ?? null,
      });
    } catch (err) {
      this.log.warn({ err: describeError(err), action, target, outcome, client: client.id ?? client.kind }, 'audit: could not record');
    }
  }

  list(q: AuditQuery): { entries: AuditEntryView[]; nextBefore: number | null } {
    const page = this.store.audit.list(this.account, {
      limit: q.limit,
      ...(q.client_id ? { clientId: q.client_id } : {}),
      ...(q.action ? { action: q.action } : {}),
      ...(q.since ? { since: Date.parse(q.since) } : {}),
      ...(q.before !== undefined ? { before: q.before } : {}),
    });
    return { entries: page.entries.map(auditView), nextBefore: page.nextBefore };
  }

  /** Deletes what is older than the retention; how many entries. */
  prune(): number {
    const removed = this.store.audit.prune(this.now() - this.retentionDays * DAY_MS);
    if (removed) this.log.info({ removed, retentionDays: this.retentionDays }, 'audit: pruned old entries');
    return removed;
  }

  start(): void {
    this.prune();
    this.pruner = setInterval(() => {
      try {
        this.prune();
      } catch (err) {
        this.log.warn({ err: describeError(err) }, 'audit: prune failed');
      }
    }, DAY_MS);
    this.pruner.unref();
  }

  stop(): void {
    if (this.pruner) clearInterval(this.pruner);
    this.pruner = null;
  }
}
