import { statSync } from 'node:fs';
import path from 'node:path';
import { silentLogger } from '../../src/core/logger.js';
import { openStore, type SearchQuery, type Store } from '../../src/store/index.js';
import { sqlite } from '../../src/store/sqlite.js';
import { corpus, querySets, type Corpus } from '../lib/corpus.js';
import { removeDir, tempDir } from '../lib/launch.js';
import type { ScenarioContext } from '../lib/options.js';
import { row, type Row, type TargetRule } from '../lib/report.js';
import { quantile } from '../lib/stats.js';

/** Messages per upsertMany call: one transaction each, as a history import writes them. */
const BATCH = 1_000;
/** The import is timed in this many equal parts, to show the rate as the store grows. */
const PARTS = 10;
const QUERIES_PER_SET = 60;
/** The LIKE baseline reads the whole table per query: a few queries are enough to show it. */
const BASELINE_QUERIES = 4;

const p95 = (xs: number[]) => quantile(Float64Array.from(xs).sort(), 0.95);
const mb = (bytes: number) => bytes / 2 ** 20;

function time(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

/** History import through the store (batches of upserts: merge, row, both FTS indexes), rate per part. */
async function importHistory(ctx: ScenarioContext, store: Store, c: Corpus, total: number): Promise<{ rates: number[]; textBytes: number }> {
  const rates: number[] = [];
  let textBytes = 0;
  const part = total / PARTS;
  for (let p = 0; p < PARTS; p++) {
    let busy = 0;
    for (let done = 0; done < part; done += BATCH) {
      const batch = c.batch(Math.min(BATCH, part - done));
      for (const m of batch) textBytes += Buffer.byteLength(m.message.body);
      busy += time(() => store.messages.upsertMany('default', batch, 'history'));
    }
    rates.push(part / (busy / 1000));
    ctx.log(`search: imported ${((p + 1) * part).toLocaleString('en-US')} messages (${Math.round(rates.at(-1)!).toLocaleString('en-US')} messages/s)`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { rates, textBytes };
}

/** The floor: the same rows as bare INSERTs (no merge, no full-text index) into a table with the unique key. */
function bareImport(c: Corpus, n: number): number {
  const dir = tempDir('wa-bench-search-bare-');
  const db = new (sqlite().DatabaseSync)(path.join(dir, 'bare.db'));
  try {
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
    db.exec('CREATE TABLE messages (ord INTEGER PRIMARY KEY, account TEXT, id TEXT, chat_id TEXT, body TEXT, timestamp INTEGER, raw TEXT, UNIQUE (account, id))');
    const insert = db.prepare('INSERT INTO messages (account, id, chat_id, body, timestamp, raw) VALUES (?, ?, ?, ?, ?, ?)');
    let busy = 0;
    for (let done = 0; done < n; done += BATCH) {
      const batch = c.batch(BATCH);
      busy += time(() => {
        db.exec('BEGIN');
        for (const m of batch) insert.run('default', m.message.id, m.chatId ?? null, m.message.body, m.message.timestamp, JSON.stringify(m.message));
        db.exec('COMMIT');
      });
    }
    return n / (busy / 1000);
  } finally {
    db.close();
    removeDir(dir);
  }
}

/** The on-disk size of the store and of its parts (SQLite's dbstat), after a checkpoint. */
function sizes(file: string): { total: number; messages: number; trigram: number; words: number } {
  const db = new (sqlite().DatabaseSync)(file, { readOnly: true });
  try {
    const rows = db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all();
    const sum = (test: (name: string) => boolean) => rows.filter((r) => test(String(r.name))).reduce((a, r) => a + Number(r.bytes), 0);
    return {
      total: statSync(file).size,
      messages: sum((n) => n === 'messages' || n.startsWith('sqlite_autoindex_messages') || n === 'messages_chat'),
      trigram: sum((n) => n.startsWith('messages_trigram')),
      words: sum((n) => n.startsWith('messages_words')),
    };
  } finally {
    db.close();
  }
}

/** Latency of each query, in ms, first page of 20 as the API asks for it. */
function run(store: Store, queries: string[], extra: Partial<SearchQuery> = {}): number[] {
  return queries.map((q) => time(() => store.messages.search('default', { q, limit: 20, ...extra })));
}

/** What searching costs without an index: a LIKE over every body, newest first. */
function likeBaseline(file: string, queries: string[]): number[] {
  const db = new (sqlite().DatabaseSync)(file, { readOnly: true });
  try {
    const stmt = db.prepare('SELECT ord FROM messages WHERE body LIKE ? ORDER BY ord DESC LIMIT 20');
    return queries.map((q) => time(() => stmt.all(`%${q.replaceAll('"', '')}%`)));
  } finally {
    db.close();
  }
}

const within50: TargetRule = { text: 'p95 ≤ 50 ms', test: (_r, ours) => ours.median <= 50 };

/**
 * 8. Listening (issue 11): history import into the store (messages/s), search over
 * `opts.searchMessages` stored messages (p95 of word and phrase queries, target ≤ 50 ms),
 * the store's size on disk. Queries run in rounds over the same corpus.
 */
export async function searchScenario(ctx: ScenarioContext): Promise<Row[]> {
  const { opts } = ctx;
  const total = opts.searchMessages;
  const dir = tempDir('wa-bench-search-');
  const file = path.join(dir, 'whatsapp.db');
  const store = openStore({ file, log: silentLogger() });
  try {
    const c = corpus(total);
    const imported = await importHistory(ctx, store, c, total);
    const bareRate = bareImport(corpus(total, 99), Math.min(total, 200_000));
    ctx.log(`search: bare INSERT ${Math.round(bareRate).toLocaleString('en-US')} rows/s`);
    const sets = querySets(c, QUERIES_PER_SET);
    const chatFilter = { chatId: c.busiestChat };
    const dateRange = { since: c.timeAt(0.3), until: c.timeAt(0.6) };

    const rounds = { words: [] as number[][], phrases: [] as number[][], prefixes: [] as number[][], chat: [] as number[][], range: [] as number[][], newest: [] as number[][] };
    run(store, [...sets.words, ...sets.phrases]); // warm-up: statements prepared, pages read once
    for (let r = 0; r < opts.rounds; r++) {
      rounds.words.push(run(store, sets.words));
      rounds.phrases.push(run(store, sets.phrases));
      rounds.prefixes.push(run(store, sets.prefixes));
      rounds.chat.push(run(store, sets.words, chatFilter));
      rounds.range.push(run(store, sets.words, dateRange));
      rounds.newest.push(run(store, sets.words, { order: 'newest' }));
      ctx.log(`search round ${r + 1}: words p95 ${p95(rounds.words.at(-1)!).toFixed(1)} ms, phrases p95 ${p95(rounds.phrases.at(-1)!).toFixed(1)} ms`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const hits = sets.words.map((q) => store.messages.search('default', { q, limit: 20 }).hits.length);
    store.close();
    const size = sizes(file);
    const baseline = {
      words: likeBaseline(file, sets.words.slice(0, BASELINE_QUERIES)),
      phrases: likeBaseline(file, sets.phrases.slice(0, BASELINE_QUERIES)),
    };
    ctx.raw.search = { messages: total, imported, bareRate, sets, rounds, baseline, size, wordQueriesWithHits: hits.filter((h) => h > 0).length };

    const s = '8 Search';
    const n = `${(total / 1e6).toLocaleString('en-US')}M messages`;
    const like = `LIKE scan, no index (${BASELINE_QUERIES} queries)`;
    const p95s = (rs: number[][]) => rs.map(p95);
    const p50s = (rs: number[][]) => rs.map((x) => quantile(Float64Array.from(x).sort(), 0.5));
    return [
      row(s, `history import (upsertMany, ${BATCH} per transaction)`, 'messages/s', imported.rates, 'bare INSERT, same rows, no FTS', [bareRate]),
      row(s, `word query p95 (${QUERIES_PER_SET} words, all frequencies, 7 languages), ${n}`, 'ms', p95s(rounds.words), like, [p95(baseline.words)], within50),
      row(s, `phrase query p95 (${QUERIES_PER_SET} phrases), ${n}`, 'ms', p95s(rounds.phrases), like, [p95(baseline.phrases)], within50),
      row(s, 'word query p50', 'ms', p50s(rounds.words), like, [quantile(Float64Array.from(baseline.words).sort(), 0.5)]),
      row(s, 'prefix query (word*) p95', 'ms', p95s(rounds.prefixes), like, [p95(baseline.words)]),
      row(s, 'word query in the busiest chat p95', 'ms', p95s(rounds.chat), like, [p95(baseline.words)]),
      row(s, 'word query over a date range p95', 'ms', p95s(rounds.range), like, [p95(baseline.words)]),
      row(s, 'word query, newest first p95', 'ms', p95s(rounds.newest), like, [p95(baseline.words)]),
      row(s, 'store size on disk', 'MB', [mb(size.total)], 'the message texts alone', [mb(imported.textBytes)]),
      row(s, 'of which: messages table + indexes', 'MB', [mb(size.messages)], 'the message texts alone', [mb(imported.textBytes)]),
      row(s, 'of which: trigram index', 'MB', [mb(size.trigram)], 'the message texts alone', [mb(imported.textBytes)]),
      row(s, 'of which: word index', 'MB', [mb(size.words)], 'the message texts alone', [mb(imported.textBytes)]),
    ];
  } finally {
    store.close();
    removeDir(dir);
  }
}
