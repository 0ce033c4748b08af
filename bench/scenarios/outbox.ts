import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { silentLogger } from '../../src/core/logger.js';
import { openStore } from '../../src/store/index.js';
import { sqlite } from '../../src/store/sqlite.js';
import { removeDir, tempDir } from '../lib/launch.js';
import type { ScenarioContext } from '../lib/options.js';
import { row, type Row, type TargetRule } from '../lib/report.js';
import { LatencyRecorder, slope } from '../lib/stats.js';

type Sync = 'NORMAL' | 'FULL';
const SAMPLES = 10;
const CHAT = '15550100001@c.us';

interface Sample {
  sends: number;
  heapMb: number;
  rssMb: number;
}

interface RoundResult {
  msPerSend: number;
  p99: number;
  samples: Sample[];
}

/** A full collection before each memory sample, so the heap figure is what is still held. */
const gc: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

function sample(sends: number): Sample {
  gc();
  const m = process.memoryUsage();
  return { sends, heapMb: m.heapUsed / 2 ** 20, rssMb: m.rss / 2 ** 20 };
}

/** The outbox's bookkeeping for `n` sends, as the send path commits it: insert (with a key), → sending, → sent with the message id. */
function oursRound(n: number, synchronous: Sync): RoundResult {
  const dir = tempDir('wa-bench-outbox-');
  const store = openStore({ file: path.join(dir, 'whatsapp.db'), log: silentLogger(), synchronous });
  const lat = new LatencyRecorder(n);
  const samples = [sample(0)];
  const started = performance.now();
  let timed = 0;
  try {
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      const text = `Outbox bench message ${i}`;
      const { entry } = store.outbox.insert({ idempotencyKey: `bench-${i}`, requestHash: `hash-${i}`, kind: 'text', chatId: CHAT, payload: { text }, matchText: text });
      store.outbox.transition(entry.id, ['queued'], 'sending');
      store.outbox.transition(entry.id, ['sending'], 'sent', { messageId: `true_${CHAT}_3EB0${i}` });
      lat.record(performance.now() - t);
      if ((i + 1) % (n / SAMPLES) === 0) {
        const before = performance.now();
        samples.push(sample(i + 1));
        timed += performance.now() - before;
      }
    }
    return { msPerSend: (performance.now() - started - timed) / n, p99: lat.percentiles().p99, samples };
  } finally {
    store.close();
    removeDir(dir);
  }
}

/** The floor: the same three writes as bare statements on node:sqlite, one table with only its key, same file settings. */
function bareRound(n: number, synchronous: Sync): RoundResult {
  const dir = tempDir('wa-bench-outbox-bare-');
  const db = new (sqlite().DatabaseSync)(path.join(dir, 'bare.db'));
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${synchronous};`);
  db.exec('CREATE TABLE outbox (id TEXT PRIMARY KEY, payload TEXT, status TEXT, message_id TEXT)');
  const insert = db.prepare("INSERT INTO outbox (id, payload, status) VALUES (?, ?, 'queued')");
  const sending = db.prepare("UPDATE outbox SET status = 'sending' WHERE id = ?");
  const sent = db.prepare("UPDATE outbox SET status = 'sent', message_id = ? WHERE id = ?");
  const lat = new LatencyRecorder(n);
  const samples = [sample(0)];
  const started = performance.now();
  let timed = 0;
  try {
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      const id = `ob_${i}`;
      insert.run(id, JSON.stringify({ text: `Outbox bench message ${i}` }));
      sending.run(id);
      sent.run(`true_${CHAT}_3EB0${i}`, id);
      lat.record(performance.now() - t);
      if ((i + 1) % (n / SAMPLES) === 0) {
        const before = performance.now();
        samples.push(sample(i + 1));
        timed += performance.now() - before;
      }
    }
    return { msPerSend: (performance.now() - started - timed) / n, p99: lat.percentiles().p99, samples };
  } finally {
    db.close();
    removeDir(dir);
  }
}

const underOneMs: TargetRule = { text: '< 1 ms', test: (_r, ours) => ours.median < 1 };
/** Flat: what is held after the run is what was held before it, within 1 MB. */
const flat: TargetRule = { text: 'Δ ≤ 1 MB', test: (_r, after, before) => after.median - before.median <= 1 };
/** MB per 1,000 sends, least squares over the samples. */
const trend = (samples: Sample[], pick: (s: Sample) => number) => slope(samples.map((s) => s.sends / 1000), samples.map(pick));

/**
 * 7. Outbox bookkeeping alone (issue 10: under 1 ms per send, memory flat over 10,000
 * sends): `opts.outboxSends` sends through src/store on disk in WAL, against the same three
 * writes as bare node:sqlite statements. synchronous=FULL (power-cut durable) is measured
 * over a tenth of the sends: each commit then waits for the disk.
 */
export async function outboxScenario(ctx: ScenarioContext): Promise<Row[]> {
  const { opts } = ctx;
  const n = opts.outboxSends;
  const nFull = n / 10;
  const runs = { ours: [] as RoundResult[], bare: [] as RoundResult[], oursFull: [] as RoundResult[], bareFull: [] as RoundResult[] };
  for (let r = 0; r < opts.rounds; r++) {
    // Alternate who goes first, so neither always runs on a warmer process.
    const pair = r % 2 === 0 ? (['ours', 'bare'] as const) : (['bare', 'ours'] as const);
    for (const kind of pair) runs[kind].push(kind === 'ours' ? oursRound(n, 'NORMAL') : bareRound(n, 'NORMAL'));
    runs.oursFull.push(oursRound(nFull, 'FULL'));
    runs.bareFull.push(bareRound(nFull, 'FULL'));
    const o = runs.ours.at(-1)!;
    ctx.log(`outbox round ${r + 1}: ${o.msPerSend.toFixed(3)} ms/send (bare ${runs.bare.at(-1)!.msPerSend.toFixed(3)}), FULL ${runs.oursFull.at(-1)!.msPerSend.toFixed(3)} ms/send; heap ${o.samples[0]!.heapMb.toFixed(1)} → ${o.samples.at(-1)!.heapMb.toFixed(1)} MB, RSS ${o.samples[0]!.rssMb.toFixed(0)} → ${o.samples.at(-1)!.rssMb.toFixed(0)} MB`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  ctx.raw.outbox = { sends: n, sendsFull: nFull, runs };

  const s = '7 Outbox';
  const bare = 'bare node:sqlite, same 3 writes';
  const sends = `${n.toLocaleString('en-US')} sends`;
  const per = (rs: RoundResult[]) => rs.map((x) => x.msPerSend);
  const p99 = (rs: RoundResult[]) => rs.map((x) => x.p99);
  const first = (pick: (s: Sample) => number) => runs.ours.map((x) => pick(x.samples[0]!));
  const last = (pick: (s: Sample) => number) => runs.ours.map((x) => pick(x.samples.at(-1)!));
  return [
    row(s, 'bookkeeping per send (insert + sending + sent), WAL, synchronous=NORMAL', 'ms', per(runs.ours), bare, per(runs.bare), underOneMs),
    row(s, 'bookkeeping per send, p99', 'ms', p99(runs.ours), bare, p99(runs.bare)),
    row(s, `bookkeeping per send, synchronous=FULL (${nFull.toLocaleString('en-US')} sends)`, 'ms', per(runs.oursFull), bare, per(runs.bareFull)),
    row(s, `heap used after ${sends}`, 'MB', last((x) => x.heapMb), 'before the first send', first((x) => x.heapMb), flat),
    row(s, `process RSS after ${sends}`, 'MB', last((x) => x.rssMb), 'before the first send', first((x) => x.rssMb)),
    // RSS moves in whole pages and by the allocator's mood: its before/after above says more than a slope.
    row(s, 'heap trend over the run', 'MB/1k sends', runs.ours.map((x) => trend(x.samples, (y) => y.heapMb)), bare, runs.bare.map((x) => trend(x.samples, (y) => y.heapMb))),
  ];
}
