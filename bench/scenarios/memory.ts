import type { Watched } from '../lib/children.js';
import { launchBare, launchBridge, LINES, linkBridge, post, removeDir, tempDir } from '../lib/launch.js';
import type { ScenarioContext } from '../lib/options.js';
import { treeMemory, type TreeMemory } from '../lib/proc.js';
import { atMost, row, type Row, type TargetRule } from '../lib/report.js';
import { slope } from '../lib/stats.js';

const BATCHES = 10;
const RECIPIENTS = ['15550100001', '15550100002', '15550100003', '15550100004', '15550100005'];
const SENDERS = ['15550100002', '15550100003', '15550100004'];
/** Time for in-flight events (acks, incoming messages) to land before a sample. */
const SETTLE_MS = 500;

interface Sample extends TreeMemory {
  ops: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function sample(pid: number, ops: number): Promise<Sample> {
  await sleep(SETTLE_MS);
  return { ops, ...treeMemory(pid) };
}

/** The compiled bridge: linked, then sends through POST /api/send and incoming through the simulator route. */
async function bridgeRun(ops: number): Promise<Sample[]> {
  const dir = tempDir('wa-bench-mem-');
  let w: Watched | null = null;
  try {
    w = await launchBridge('compiled', dir);
    const url = await linkBridge(w);
    await sleep(1500);
    const samples = [await sample(w.pid, 0)];
    const per = ops / BATCHES;
    let n = 0;
    for (let b = 0; b < BATCHES; b++) {
      for (let i = 0; i < per; i++, n++) await post(`${url}/api/send`, { phone_number: RECIPIENTS[n % RECIPIENTS.length], message: `Memory run message ${n}` });
      for (let i = 0; i < per; i++, n++) await post(`${url}/api/simulator/incoming`, { phone_number: SENDERS[n % SENDERS.length], message: `Memory run incoming ${n}` });
      samples.push(await sample(w.pid, (b + 1) * per * 2));
    }
    return samples;
  } finally {
    await w?.stop();
    removeDir(dir);
  }
}

/** The bare whatsapp-web.js script doing the same through its stdin commands. */
async function bareRun(ops: number): Promise<Sample[]> {
  const dir = tempDir('wa-bench-mem-');
  let w: Watched | null = null;
  try {
    w = await launchBare(dir, true);
    await w.waitFor(LINES.bareReady, 'bare ready');
    await sleep(1500);
    const samples = [await sample(w.pid, 0)];
    const per = ops / BATCHES;
    for (let b = 0; b < BATCHES; b++) {
      const from = w.lineCount;
      w.send(`batch ${per} ${per}`);
      await w.waitFor(LINES.bareBatch, 'bare batch', 120_000, from);
      samples.push(await sample(w.pid, (b + 1) * per * 2));
    }
    return samples;
  } finally {
    await w?.stop();
    removeDir(dir);
  }
}

/** MB per 1,000 operations (sends + incoming), least squares over the samples after `ready`. */
const trend = (samples: Sample[], pick: (s: Sample) => number) =>
  slope(
    samples.map((s) => s.ops / 1000),
    samples.map(pick),
  );

/**
 * 6. Memory: RSS of the whole process tree (Node + every Chromium process, from /proc) at
 * `ready` and after `memoryOps` sends + `memoryOps` incoming messages, sampled after every
 * tenth, for the compiled bridge and the bare whatsapp-web.js script.
 */
export async function memoryScenario(ctx: ScenarioContext): Promise<Row[]> {
  const { opts } = ctx;
  const runs: { ours: Sample[][]; bare: Sample[][] } = { ours: [], bare: [] };
  for (let r = 0; r < opts.memoryRounds; r++) {
    for (const kind of r % 2 === 0 ? (['ours', 'bare'] as const) : (['bare', 'ours'] as const)) {
      const samples = kind === 'ours' ? await bridgeRun(opts.memoryOps) : await bareRun(opts.memoryOps);
      runs[kind].push(samples);
      ctx.log(
        `memory round ${r + 1} ${kind}: tree RSS ${samples[0]!.rssMb.toFixed(0)} → ${samples.at(-1)!.rssMb.toFixed(0)} MB, node ${samples[0]!.rootRssMb.toFixed(0)} → ${samples.at(-1)!.rootRssMb.toFixed(0)} MB, ${samples[0]!.processes} processes`,
      );
    }
  }
  ctx.raw.memory = { ops: opts.memoryOps, runs };

  const s = '6 Memory';
  const label = 'bare whatsapp-web.js script';
  const ops = `${opts.memoryOps.toLocaleString('en-US')} sends + ${opts.memoryOps.toLocaleString('en-US')} incoming`;
  const at = (kind: 'ours' | 'bare', i: 0 | -1, pick: (s: Sample) => number) => runs[kind].map((samples) => pick(i === 0 ? samples[0]! : samples.at(-1)!));
  const slopes = (kind: 'ours' | 'bare', pick: (s: Sample) => number) => runs[kind].map((samples) => trend(samples, pick));
  // The bridge has no growth of its own when its trend is the bare script's, within
  // 1 MB per 1,000 operations (the simulator page keeps every message in both).
  const noOwnGrowth: TargetRule = { text: 'Δ ≤ 1 MB/1k ops', test: (_r, ours, bare) => ours.median - bare.median <= 1 };
  return [
    row(s, 'tree RSS at ready', 'MB', at('ours', 0, (x) => x.rssMb), label, at('bare', 0, (x) => x.rssMb), atMost(1.1)),
    row(s, `tree RSS after ${ops}`, 'MB', at('ours', -1, (x) => x.rssMb), label, at('bare', -1, (x) => x.rssMb), atMost(1.1)),
    row(s, 'tree PSS at ready', 'MB', at('ours', 0, (x) => x.pssMb), label, at('bare', 0, (x) => x.pssMb)),
    row(s, `tree PSS after ${ops}`, 'MB', at('ours', -1, (x) => x.pssMb), label, at('bare', -1, (x) => x.pssMb)),
    row(s, 'Node process RSS at ready', 'MB', at('ours', 0, (x) => x.rootRssMb), label, at('bare', 0, (x) => x.rootRssMb)),
    row(s, `Node process RSS after ${ops}`, 'MB', at('ours', -1, (x) => x.rootRssMb), label, at('bare', -1, (x) => x.rootRssMb)),
    row(s, 'tree RSS trend over the run', 'MB/1k ops', slopes('ours', (x) => x.rssMb), label, slopes('bare', (x) => x.rssMb), noOwnGrowth),
    row(s, 'Node RSS trend over the run', 'MB/1k ops', slopes('ours', (x) => x.rootRssMb), label, slopes('bare', (x) => x.rootRssMb), noOwnGrowth),
  ];
}

