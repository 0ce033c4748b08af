import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { storeEventLog } from '../../src/app/event-store.js';
import { silentLogger } from '../../src/core/logger.js';
import { SSE_BACKLOG_LIMIT_BYTES } from '../../src/server/routes/events.js';
import { openStore, STORE_FILE } from '../../src/store/index.js';
import type { Watched } from '../lib/children.js';
import { corpus } from '../lib/corpus.js';
import { launchBridge, LINES, removeDir, tempDir } from '../lib/launch.js';
import type { ScenarioContext } from '../lib/options.js';
import { treeMemory } from '../lib/proc.js';
import { row, type Row, type TargetRule } from '../lib/report.js';
import { openSse } from '../lib/sse-client.js';

/** How fast the slow client reads: well below what the bridge writes a replay at. */
const SLOW_BYTES_PER_SECOND = 2 * 2 ** 20;
const SAMPLE_MS = 250;
const BATCH = 1_000;
const SETTLE_MS = 1_000;
const STALLED_CLIENTS = 10;
const STALL_MS = 3_000;

type Kind = 'slow' | 'fast';

interface Run {
  kind: Kind;
  seconds: number;
  bytes: number;
  connections: number;
  /** `dropped` events the bridge sent, and the reasons they gave. */
  drops: number;
  reasons: string[];
  /** RSS of the bridge's process (VmRSS from /proc), MB. */
  startMb: number;
  midMb: number;
  endMb: number;
  peakMb: number;
  samples: { s: number; events: number; rssMb: number }[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `n` message events in the event log, written as the bridge writes them (storeEventLog:
 * the message and its event together), `BATCH` to a transaction. Texts and chats from the
 * search benchmark's corpus, so an event is the size a real one is.
 */
function seedEventLog(file: string, n: number): void {
  const store = openStore({ file, log: silentLogger() });
  try {
    const log = storeEventLog(store);
    const c = corpus(n, 11);
    for (let done = 0; done < n; done += BATCH) {
      const batch = c.batch(Math.min(BATCH, n - done));
      store.transaction(() => {
        for (const { message, chatId } of batch) {
          const type = message.from_me ? ('message_create' as const) : ('message' as const);
          const timestamp = message.timestamp ?? 0;
          const event = { type, chatId: chatId!, at: timestamp * 1000, backfilled: false, data: { type, chat_id: chatId!, timestamp, message } };
          log.record('default', event, { message, source: message.from_me ? 'sent' : 'live' });
        }
      });
    }
  } finally {
    store.close();
  }
}

/** A fresh bridge (compiled, demo mode, not linked) on a copy of the seeded store, settled, for the length of `fn`. */
async function withBridge<T>(template: string, fn: (url: string, rss: () => number) => Promise<T>): Promise<T> {
  const dir = tempDir('wa-bench-sse-');
  let w: Watched | null = null;
  try {
    for (const suffix of ['', '-wal']) {
      if (existsSync(`${template}${suffix}`)) copyFileSync(`${template}${suffix}`, path.join(dir, `${STORE_FILE}${suffix}`));
    }
    w = await launchBridge('compiled', dir);
    const url = (await w.waitFor(LINES.listening, 'bridge listening')).match[1]!;
    await sleep(SETTLE_MS);
    const pid = w.pid;
    return await fn(url, () => treeMemory(pid).rootRssMb);
  } finally {
    await w?.stop();
    removeDir(dir);
  }
}

/**
 * One fresh bridge (compiled, demo mode, not linked: no browser, the figure is the bridge's
 * own process) with the seeded log, and one client replaying all of it from cursor 0:
 * `fast` reads as fast as it can, `slow` at SLOW_BYTES_PER_SECOND, pausing its socket
 * whenever it is ahead. When the bridge drops the client (it fell 1 MiB behind), the
 * client reconnects at once with Last-Event-ID, as EventSource does after its retry delay.
 * Checks that every event arrives once, in order.
 */
async function streamRun(template: string, total: number, kind: Kind): Promise<Run> {
  return withBridge(template, async (url, rss) => {
    const run: Run = { kind, seconds: 0, bytes: 0, connections: 0, drops: 0, reasons: [], startMb: rss(), midMb: 0, endMb: 0, peakMb: 0, samples: [] };
    let last = 0;
    let events = 0;
    let problem: string | null = null;
    const t0 = performance.now();
    const sampler = setInterval(() => run.samples.push({ s: (performance.now() - t0) / 1000, events, rssMb: rss() }), SAMPLE_MS);
    try {
      while (events < total) {
        run.connections++;
        const conn = await openSse(url, {
          after: last,
          ...(kind === 'slow' ? { bytesPerSecond: SLOW_BYTES_PER_SECOND } : {}),
          onFrame: (f, _at, close) => {
            if (f.event === 'dropped') {
              run.drops++;
              const reason = (JSON.parse(f.data) as { reason: string }).reason;
              if (!run.reasons.includes(reason)) run.reasons.push(reason);
              return;
            }
            if (f.id === null) return;
            if (f.id <= last) {
              problem ??= `event ${f.id} after ${last}: out of order or repeated`;
              close();
              return;
            }
            last = f.id;
            events++;
            if (events === Math.floor(total / 2)) run.midMb = rss();
            if (events === total) close();
          },
        });
        await conn.ended;
        run.bytes += conn.bytes;
        if (problem) throw new Error(`${kind} client: ${problem}`);
        if (events < total && run.connections > total) throw new Error(`${kind} client: ${events} of ${total} events after ${run.connections} connections`);
      }
    } finally {
      clearInterval(sampler);
    }
    run.seconds = (performance.now() - t0) / 1000;
    run.endMb = rss();
    run.peakMb = Math.max(run.endMb, ...run.samples.map((x) => x.rssMb));
    return run;
  });
}

interface StalledRun {
  startMb: number;
  /** While the stalled clients hold their streams open. */
  heldMb: number;
  /** Once they have read to the end and gone. */
  afterMb: number;
  /** What each read when it resumed: what the bridge (and the kernel's socket buffers) had queued for it. */
  queuedMiB: number[];
  dropped: number;
}

/**
 * STALLED_CLIENTS clients ask for the whole log (cursor 0) and read nothing for STALL_MS:
 * the replay must wait for each (it goes at the pace the client reads), holding no more
 * than its high-water mark per client, and drop none of them. Then they hang up.
 */
async function stalledRun(template: string): Promise<StalledRun> {
  return withBridge(template, async (url, rss) => {
    const startMb = rss();
    let dropped = 0;
    const conns = await Promise.all(
      Array.from({ length: STALLED_CLIENTS }, () => openSse(url, { after: 0, stalled: true, onFrame: (f) => void (f.event === 'dropped' && dropped++) })),
    );
    await sleep(STALL_MS);
    const heldMb = rss();
    for (const c of conns) c.close();
    await Promise.all(conns.map((c) => c.ended));
    await sleep(SETTLE_MS);
    if (dropped !== 0) throw new Error(`${dropped} of ${STALLED_CLIENTS} stalled clients were dropped during a replay, which should wait for them`);
    return { startMb, heldMb, afterMb: rss(), queuedMiB: conns.map((c) => c.bytes / 2 ** 20), dropped };
  });
}

/**
 * 10. SSE memory (issue 11): the bridge's RSS while `opts.sseEvents` events stream to a
 * client that reads slowly, against the same events to a client that reads as fast as it
 * can. The events come from the log (replayed from cursor 0): the simulator delivers a few
 * hundred messages a second at most, the log any number.
 */
export async function sseMemoryScenario(ctx: ScenarioContext): Promise<Row[]> {
  const { opts } = ctx;
  const total = opts.sseEvents;
  const root = tempDir('wa-bench-sse-log-');
  try {
    const template = path.join(root, 'template', STORE_FILE);
    mkdirSync(path.dirname(template), { recursive: true });
    const t = performance.now();
    seedEventLog(template, total);
    ctx.log(`sse-memory: ${total.toLocaleString('en-US')} events in the log in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const runs: Record<Kind, Run[]> = { slow: [], fast: [] };
    const stalled: StalledRun[] = [];
    for (let r = 0; r < opts.sseRounds; r++) {
      stalled.push(await stalledRun(template));
      const st = stalled.at(-1)!;
      ctx.log(`sse-memory round ${r + 1}: ${STALLED_CLIENTS} stalled clients, RSS ${st.startMb.toFixed(0)} → ${st.heldMb.toFixed(0)} → ${st.afterMb.toFixed(0)} MB, ${Math.max(...st.queuedMiB).toFixed(1)} MiB queued at most`);
      for (const kind of r % 2 === 0 ? (['slow', 'fast'] as const) : (['fast', 'slow'] as const)) {
        const run = await streamRun(template, total, kind);
        runs[kind].push(run);
        ctx.log(
          `sse-memory round ${r + 1} ${kind}: ${run.seconds.toFixed(1)} s, ${(run.bytes / 2 ** 20).toFixed(0)} MiB, ${run.drops} drops; RSS ${run.startMb.toFixed(0)} → ${run.midMb.toFixed(0)} → ${run.endMb.toFixed(0)} MB (peak ${run.peakMb.toFixed(0)})`,
        );
      }
    }
    ctx.raw.sseMemory = { events: total, slowBytesPerSecond: SLOW_BYTES_PER_SECOND, runs, stalled };

    const s = '10 SSE memory';
    const n = total.toLocaleString('en-US');
    const fast = 'the same events to a fast client';
    const pick = (kind: Kind, f: (x: Run) => number) => runs[kind].map(f);
    const flat: TargetRule = { text: 'growth ≤ 30 MB', test: (_r, o) => o.max <= 30 };
    const slow = `${SLOW_BYTES_PER_SECOND / 2 ** 20} MiB/s`;
    return [
      row(s, `bridge RSS growth while ${n} events stream to a slow client (reads ${slow}; end − start)`, 'MB', pick('slow', (x) => x.endMb - x.startMb), fast, pick('fast', (x) => x.endMb - x.startMb), flat),
      row(s, 'bridge RSS peak growth (peak − start)', 'MB', pick('slow', (x) => x.peakMb - x.startMb), fast, pick('fast', (x) => x.peakMb - x.startMb), flat),
      row(s, 'bridge RSS at start', 'MB', pick('slow', (x) => x.startMb), fast, pick('fast', (x) => x.startMb)),
      row(s, `bridge RSS after ${(total / 2).toLocaleString('en-US')} events`, 'MB', pick('slow', (x) => x.midMb), fast, pick('fast', (x) => x.midMb)),
      row(s, `bridge RSS after ${n} events`, 'MB', pick('slow', (x) => x.endMb), fast, pick('fast', (x) => x.endMb)),
      row(s, 'times the bridge dropped the client ("read too slowly", resumed with Last-Event-ID)', 'drops', pick('slow', (x) => x.drops), fast, pick('fast', (x) => x.drops)),
      row(s, `bridge RSS growth while ${STALLED_CLIENTS} clients replaying from cursor 0 read nothing for ${STALL_MS / 1000} s`, 'MB', stalled.map((x) => x.heldMb - x.startMb), fast, pick('fast', (x) => x.endMb - x.startMb), flat),
      row(s, `bridge RSS growth after the ${STALLED_CLIENTS} stalled clients hung up`, 'MB', stalled.map((x) => x.afterMb - x.startMb), fast, pick('fast', (x) => x.endMb - x.startMb), flat),
      row(s, 'events delivered per second', 'events/s', pick('slow', (x) => total / x.seconds), fast, pick('fast', (x) => total / x.seconds)),
    ];
  } finally {
    removeDir(root);
  }
}
