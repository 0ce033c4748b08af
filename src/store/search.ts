/**
 * Full-text search over stored messages. See README.md ("Search") for the two indexes, the
 * measured reasons, and how relevance and paging work.
 */
import type { SQLInputValue } from 'node:sqlite';
import { toMessage, type StoredMessage } from './messages-rows.js';
import { parseQuery, planQuery, type QueryPlan } from './search-query.js';
import { DEFAULT_MARKS, snippet } from './search-text.js';
import type { Db } from './sqlite.js';

export const MAX_SEARCH_LIMIT = 100;
/**
 * Relevance is ranked within windows of this many matches, newest first: bm25 costs ~1 µs
 * per match, and a common word matches a quarter of a million-message store (~200 ms to
 * rank them all, measured); the newest thousand rank in a few ms.
 */
export const RANK_WINDOW = 1_000;
/** A query FTS cannot answer (punctuation alone) reads at most this many messages per page. */
export const SCAN_BUDGET = 50_000;

export interface SearchQuery {
  /** What the person typed: words, "phrases", prefix*; never FTS syntax (see search-query.ts). */
  q: string;
  /** One chat, or the ids one chat goes by (phone-number and LID chat). */
  chatId?: string | readonly string[];
  /** The sender: matched against the author id, the phone-number id and the LID. */
  from?: string | readonly string[];
  /** Unix seconds, inclusive. */
  since?: number;
  /** Unix seconds, exclusive. */
  until?: number;
  limit: number;
  /** `next` of the previous page (same query). */
  before?: string;
  /** `relevance` (default): bm25 within windows of RANK_WINDOW matches, newest window first. `newest`: by time. */
  order?: 'relevance' | 'newest';
  /** Messages deleted for everyone are left out unless asked for. */
  includeRevoked?: boolean;
  /** What surrounds each match in the snippet; default `[` and `]`. */
  marks?: readonly [string, string];
}

export interface SearchHit {
  message: StoredMessage;
  /** Part of the body around the first match, matches marked. */
  snippet: string;
  /** bm25 (lower is better) in relevance order; null in time order. */
  score: number | null;
}

export interface SearchPage {
  hits: SearchHit[];
  /**
   * Pass as `before` for more, or null at the end. There is no total: a page may hold fewer
   * hits than `limit` (even none) and still have a `next`.
   */
  next: string | null;
}

// `_` between the parts: the score itself has a decimal point (and may have an exponent).
const CURSOR = /^(?:n_\d{1,16}|r_\d{1,16}(?:_-?\d+(?:\.\d+)?(?:e[+-]?\d+)?_\d{1,16})?)$/u;

/** Whether `s` is a search cursor this store hands out (for validating user input up front). */
export function isSearchCursor(s: string): boolean {
  return CURSOR.test(s);
}

interface Cursor {
  upper: number;
  /** Within a relevance window: after this score and ord. */
  after: { score: number; ord: number } | null;
}

function parseCursor(s: string): Cursor {
  if (!CURSOR.test(s)) throw new RangeError(`not a search cursor: ${JSON.stringify(s)}; pass the next of the previous page`);
  const [, upper, score, ord] = s.split('_');
  const after = score !== undefined && ord !== undefined ? { score: Number(score), ord: Number(ord) } : null;
  return { upper: Number(upper), after };
}

interface Candidate {
  ord: number;
  score: number | null;
}

const PER_SECOND = 2 ** 20;
const list = (v: string | readonly string[]) => JSON.stringify(typeof v === 'string' ? [v] : v);

/** The two bounds above; smaller ones only in tests, to cross windows with a few messages. */
export interface SearchLimits {
  rankWindow: number;
  scanBudget: number;
}

export function createSearch(db: Db, limits: SearchLimits = { rankWindow: RANK_WINDOW, scanBudget: SCAN_BUDGET }): (account: string, query: SearchQuery) => SearchPage {
  const { rankWindow, scanBudget } = limits;
  const statements = new Map<string, ReturnType<Db['prepare']>>();
  const prepared = (sql: string) => {
    let s = statements.get(sql);
    if (!s) statements.set(sql, (s = db.prepare(sql)));
    return s;
  };
  const byOrds = db.prepare('SELECT * FROM messages WHERE ord IN (SELECT value FROM json_each(?))');

  return (account, query) => {
    if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MAX_SEARCH_LIMIT) {
      throw new RangeError(`search limit must be an integer from 1 to ${MAX_SEARCH_LIMIT}, got ${query.limit}`);
    }
    const plan = planQuery(parseQuery(query.q));
    if (!plan) return { hits: [], next: null };
    for (const [name, v] of [['since', query.since], ['until', query.until]] as const) {
      if (v !== undefined && !Number.isFinite(v)) throw new RangeError(`search ${name} must be Unix seconds, got ${v}`);
    }
    const cursor = query.before !== undefined ? parseCursor(query.before) : null;
    const lo = query.since !== undefined ? Math.max(0, Math.ceil(query.since)) * PER_SECOND : 0;
    const hi = Math.min(query.until !== undefined ? Math.max(0, Math.ceil(query.until)) * PER_SECOND : Number.MAX_SAFE_INTEGER, cursor?.upper ?? Number.MAX_SAFE_INTEGER);

    // Filters shared by every shape; the SQL text is the statement cache's key.
    const params: Record<string, SQLInputValue> = { account, lo };
    const filters: string[] = [];
    if (query.chatId !== undefined) {
      params.chats = list(query.chatId);
      filters.push('m.chat_id IN (SELECT value FROM json_each(:chats))');
    }
    if (query.from !== undefined) {
      params.senders = list(query.from);
      const ids = '(SELECT value FROM json_each(:senders))';
      filters.push(`(m.sender IN ${ids} OR m.sender_phone IN ${ids} OR m.sender_lid IN ${ids})`);
    }
    if (!query.includeRevoked) filters.push('m.revoked = 0');
    plan.likes.forEach((p, i) => {
      params[`like${i}`] = p;
      filters.push(`m.body LIKE :like${i} ESCAPE '\\'`);
    });
    const where = filters.map((f) => ` AND ${f}`).join('');

    /** Up to `n` matches below `upper`, newest first. FTS drives (CROSS JOIN): probing it per message costs ~1 ms each. */
    const candidates = (p: QueryPlan, upper: number, n: number, scored: boolean): Candidate[] => {
      const t = p.index === 'trigram' ? 'messages_trigram' : 'messages_words';
      const sql = `
        SELECT ${t}.rowid AS ord${scored ? `, bm25(${t}) AS score` : ''} FROM ${t} CROSS JOIN messages m ON m.ord = ${t}.rowid
        WHERE ${t} MATCH :match AND ${t}.rowid >= :lo AND ${t}.rowid < :upper AND m.account = :account${where}
        ORDER BY ${t}.rowid DESC LIMIT :n`;
      return prepared(sql)
        .all({ ...params, match: p.match, upper, n })
        .map((r) => ({ ord: Number(r.ord), score: scored ? Number(r.score) : null }));
    };

    let found: Candidate[];
    let next: string | null;
    if (plan.index === null) [found, next] = scan(hi);
    else if (query.order === 'newest') {
      found = candidates(plan, hi, query.limit + 1, false);
      next = found.length > query.limit ? `n_${found[query.limit - 1]!.ord}` : null;
      found = found.slice(0, query.limit);
    } else [found, next] = ranked(plan, hi, cursor?.after ?? null);

    const rows = new Map(byOrds.all(JSON.stringify(found.map((c) => c.ord))).map((r) => [Number(r.ord), r]));
    const marks = query.marks ?? DEFAULT_MARKS;
    const hits = found.flatMap((c) => {
      const row = rows.get(c.ord);
      if (!row) return [];
      const message = toMessage(row);
      return [{ message, snippet: snippet(message.body, plan.highlight, marks), score: c.score }];
    });
    return { hits, next };

    /** Relevance: each window of `rankWindow` matches sorted by bm25; the next page continues in it, then in the next older window. */
    function ranked(p: QueryPlan, upper: number, after: Cursor['after']): [Candidate[], string | null] {
      const limit = query.limit;
      const page: Candidate[] = [];
      for (;;) {
        const window = candidates(p, upper, rankWindow, true);
        const full = window.length === rankWindow;
        const lowest = window.at(-1)?.ord ?? 0;
        const sorted = [...window].sort((a, b) => a.score! - b.score! || b.ord - a.ord);
        const from = after;
        const rest = from ? sorted.filter((c) => c.score! > from.score || (c.score === from.score && c.ord < from.ord)) : sorted;
        const take = rest.slice(0, limit - page.length);
        page.push(...take);
        if (page.length === limit) {
          const last = take.at(-1);
          if (last && take.length < rest.length) return [page, `r_${upper}_${last.score}_${last.ord}`];
          return [page, full ? `r_${lowest}` : null];
        }
        if (!full) return [page, null];
        upper = lowest;
        after = null;
      }
    }

    /** No index can answer: read the newest `scanBudget` messages in scope and LIKE them. */
    function scan(upper: number): [Candidate[], string | null] {
      const scope = query.chatId !== undefined ? 'm.account = :account AND m.chat_id IN (SELECT value FROM json_each(:chats))' : '+m.account = :account';
      const scopeParams: Record<string, SQLInputValue> = { account, lo, upper, ...(params.chats !== undefined ? { chats: params.chats } : {}) };
      const slice = prepared(`
        SELECT count(*) AS n, min(ord) AS lowest FROM (
          SELECT m.ord FROM messages m WHERE ${scope} AND m.ord >= :lo AND m.ord < :upper ORDER BY m.ord DESC LIMIT :budget)`).get({ ...scopeParams, budget: scanBudget });
      const n = Number(slice?.n ?? 0);
      if (n === 0) return [[], null];
      const floor = Math.max(lo, Number(slice?.lowest));
      // The scope's chat condition is repeated in `where`: harmless, and one filter list for every shape.
      const rows = prepared(`
        SELECT m.ord FROM messages m WHERE ${scope} AND m.ord >= :lo AND m.ord < :upper${where}
        ORDER BY m.ord DESC LIMIT :n`).all({ ...params, lo: floor, upper, n: query.limit + 1 });
      const found = rows.slice(0, query.limit).map((r) => ({ ord: Number(r.ord), score: null }));
      if (rows.length > query.limit) return [found, `n_${found.at(-1)!.ord}`];
      return [found, n === scanBudget ? `n_${floor}` : null];
    }
  };
}
