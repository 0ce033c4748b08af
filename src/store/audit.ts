import { int, json, optText, text, toJson, type Row } from './columns.js';
import { guarded } from './errors.js';
import type { Db } from './sqlite.js';

export const AUDIT_CLIENT_KINDS = ['owner', 'key', 'window'] as const;
export const AUDIT_TRANSPORTS = ['rest', 'mcp', 'window', 'tray', 'system'] as const;
export const MAX_AUDIT_PAGE = 500;

/** One thing a client did (or tried to). Times are milliseconds since the epoch. */
export interface AuditEntry {
  /** Increasing, never reused: the entry's id and the list cursor. */
  seq: number;
  at: number;
  account: string;
  clientKind: (typeof AUDIT_CLIENT_KINDS)[number];
  /** The client key's id; null for the owner and the window. */
  clientId: string | null;
  /** The key's name when it acted (a later rename or revocation does not rewrite history). */
  clientName: string | null;
  transport: (typeof AUDIT_TRANSPORTS)[number];
  /** What was asked, e.g. "send_message", "create_key". */
  action: string;
  /** What it was about: a chat id, a key id, an outbox id… */
  target: string | null;
  /** "ok", or the error code it ended with. */
  outcome: string;
  code: string | null;
  outboxId: string | null;
  detail: Record<string, unknown> | null;
}

export type NewAuditEntry = Omit<AuditEntry, 'seq' | 'at' | 'target' | 'code' | 'outboxId' | 'detail' | 'clientId' | 'clientName'> &
  Partial<Pick<AuditEntry, 'at' | 'target' | 'code' | 'outboxId' | 'detail' | 'clientId' | 'clientName'>>;

export interface AuditQuery {
  clientId?: string;
  action?: string;
  /** Entries at or after this time (ms). */
  since?: number;
  /** Page back: entries older than this seq (the previous page's `nextBefore`). */
  before?: number;
  limit: number;
}

export interface AuditRepo {
  append(entry: NewAuditEntry): AuditEntry;
  /** Newest first. */
  list(account: string, query: AuditQuery): { entries: AuditEntry[]; nextBefore: number | null };
  /** Deletes the entries older than `olderThan` (ms); how many. */
  prune(olderThan: number): number;
}

const T = 'audit';

function toEntry(row: Row): AuditEntry {
  return {
    seq: int(row, T, 'seq'),
    at: int(row, T, 'at'),
    account: text(row, T, 'account'),
    clientKind: text(row, T, 'client_kind') as AuditEntry['clientKind'],
    clientId: optText(row, T, 'client_id'),
    clientName: optText(row, T, 'client_name'),
    transport: text(row, T, 'transport') as AuditEntry['transport'],
    action: text(row, T, 'action'),
    target: optText(row, T, 'target'),
    outcome: text(row, T, 'outcome'),
    code: optText(row, T, 'code'),
    outboxId: optText(row, T, 'outbox_id'),
    detail: row.detail === null ? null : (json(row, T, 'detail') as Record<string, unknown>),
  };
}

export function createAuditRepo(db: Db, file: string, now: () => number): AuditRepo {
  const insert = db.prepare(`
    INSERT INTO audit (at, account, client_kind, client_id, client_name, transport, action, target, outcome, code, outbox_id, detail)
    VALUES (:at, :account, :client_kind, :client_id, :client_name, :transport, :action, :target, :outcome, :code, :outbox_id, :detail)
    RETURNING *`);
  // One statement for every filter combination: an absent filter is NULL and matches all.
  // The client filter uses audit_client; the others walk audit_account newest first.
  const page = db.prepare(`
    SELECT * FROM audit
    WHERE account = :account AND seq < :upper
      AND (:client_id IS NULL OR client_id = :client_id)
      AND (:action IS NULL OR action = :action)
      AND (:since IS NULL OR at >= :since)
    ORDER BY seq DESC LIMIT :limit`);
  const prune = db.prepare('DELETE FROM audit WHERE at < ?');

  return {
    append: (e) =>
      guarded(file, () => {
        const row = insert.get({
          at: e.at ?? now(),
          account: e.account,
          client_kind: e.clientKind,
          client_id: e.clientId ?? null,
          client_name: e.clientName ?? null,
          transport: e.transport,
          action: e.action,
          target: e.target ?? null,
          outcome: e.outcome,
          code: e.code ?? null,
          outbox_id: e.outboxId ?? null,
          detail: e.detail == null ? null : toJson(e.detail, 'audit detail'),
        });
        if (!row) throw new Error('audit insert returned no row');
        return toEntry(row);
      }),

    list: (account, q) =>
      guarded(file, () => {
        if (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > MAX_AUDIT_PAGE) {
          throw new RangeError(`audit limit must be an integer from 1 to ${MAX_AUDIT_PAGE}, got ${q.limit}`);
        }
        const rows = page.all({
          account,
          upper: q.before ?? Number.MAX_SAFE_INTEGER,
          client_id: q.clientId ?? null,
          action: q.action ?? null,
          since: q.since ?? null,
          limit: q.limit + 1,
        });
        const entries = rows.slice(0, q.limit).map(toEntry);
        return { entries, nextBefore: rows.length > q.limit ? (entries.at(-1)?.seq ?? null) : null };
      }),

    prune: (olderThan) => guarded(file, () => Number(prune.run(olderThan).changes)),
  };
}
