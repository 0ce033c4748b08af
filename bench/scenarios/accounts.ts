import type { Watched } from '../lib/children.js';
import { callJson } from '../lib/http-client.js';
import { launchBareMulti, launchBridge, linkBridge, removeDir, tempDir } from '../lib/launch.js';
import type { ScenarioContext } from '../lib/options.js';
import { cpuMs, quiesce, treeCpuMs, treeMemory, treeUniqueMb, type TreeMemory } from '../lib/proc.js';
import { row, type Row } from '../lib/report.js';
import { sharedBrowserScenario } from './shared-browser.js';

/** Memory is sampled with every account ready at these counts; start-up is timed for each account added. */
const COUNTS = [1, 2, 4] as const;
const MAX = 4;
const RECIPIENTS = ['15550100001', '15550100002', '15550100003', '15550100004', '15550100005'];
/** Time for the accounts' first history import and in-flight events to land before a sample or the next account. */
const SETTLE_MS = 1500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One account added to a running bridge (or one Client added to the bare script). */
interface Added {
  n: number;
  /** POST /api/accounts sent → the account's session `starting` (its app built, its browser launching); the bridge only. */
  startingMs?: number;
  /** POST /api/accounts sent (`add` written) → the account's `qr` state. */
  qrMs: number;
  /** The simulated phone's link sent → the account's `ready` state. */
  linkToReadyMs: number;
  /** POST /api/accounts sent → `ready`, the link included. */
  readyMs: number;
}

/** `senders` accounts sending `count` texts each, one at a time, all at once: messages per second, all of them. */
interface SendRound {
  senders: number;
  perSecond: number;
  /** CPU time per message of the whole tree (Node and every Chromium), ms. */
  cpuMsPerMsg: number;
  /** CPU time of the Node process over the round's wall time: 1 is one core busy throughout. */
  nodeBusy: number;
}

/** The process tree's memory, and its pages counted once each (`treeUniqueMb`; null without root). */
interface Sample extends TreeMemory {
  uniqueMb: number | null;
}

function sample(pid: number): Sample {
  return { ...treeMemory(pid), uniqueMb: treeUniqueMb(pid) };
}

interface Run {
  memory: Record<number, Sample>;
  added: Added[];
  sends: SendRound[];
}

/** Account n's id in the bridge: the default account, then acc2, acc3, … */
const accountId = (n: number) => (n === 1 ? 'default' : `acc${n}`);
const accountHeader = (n: number): Record<string, string> => (n === 1 ? {} : { 'x-account': accountId(n) });
const stateLine = (id: string, state: string) => new RegExp(`"account":"${id}".*"msg":"session \\w+ -> ${state}"`);

/**
 * The compiled bridge (demo mode, own process): the default account linked, then accounts
 * added one at a time through POST /api/accounts and linked through the simulator's route
 * with X-Account, timed from the request to the account's state change in the bridge's
 * log; the process tree's memory at 1, 2 and 4 accounts ready; then sends from 1 account
 * and from 2 at once.
 */
async function bridgeRun(ctx: ScenarioContext): Promise<Run> {
  const { opts } = ctx;
  const dir = tempDir('wa-bench-accounts-');
  let w: Watched | null = null;
  try {
    w = await launchBridge('compiled', dir);
    const url = await linkBridge(w);
    await sleep(SETTLE_MS);
    const memory: Record<number, Sample> = { 1: sample(w.pid) };
    const added: Added[] = [];
    for (let n = 2; n <= MAX; n++) {
      const id = accountId(n);
      const t0 = performance.now();
      await callJson(url, 'POST', '/api/accounts', { id });
      const starting = await w.waitFor(stateLine(id, 'starting'), `${id} starting`);
      const qr = await w.waitFor(stateLine(id, 'qr'), `${id} qr`);
      const t1 = performance.now();
      await callJson(url, 'POST', '/api/simulator/link', {}, accountHeader(n));
      const ready = await w.waitFor(stateLine(id, 'ready'), `${id} ready`);
      added.push({ n, startingMs: starting.at - t0, qrMs: qr.at - t0, linkToReadyMs: ready.at - t1, readyMs: ready.at - t0 });
      await sleep(SETTLE_MS);
      if ((COUNTS as readonly number[]).includes(n)) memory[n] = sample(w.pid);
    }
    let seq = 0;
    const sends = await sendRounds(ctx, w.pid, async (senders) => {
      const t = performance.now();
      await Promise.all(
        Array.from({ length: senders }, async (_, i) => {
          for (let j = 0; j < opts.accountsSends; j++) {
            const s = seq++;
            await callJson(url, 'POST', '/api/send', { phone_number: RECIPIENTS[s % RECIPIENTS.length], message: `Accounts run message ${s}` }, accountHeader(i + 1));
          }
        }),
      );
      return performance.now() - t;
    });
    return { memory, added, sends };
  } finally {
    await w?.stop();
    removeDir(dir);
  }
}

/** The same with bare whatsapp-web.js Clients in one Node process (bench/bare/wwebjs-multi.mjs), driven through its stdin. */
async function bareRun(ctx: ScenarioContext): Promise<Run> {
  const { opts } = ctx;
  const dir = tempDir('wa-bench-accounts-');
  let w: Watched | null = null;
  try {
    w = await launchBareMulti(dir);
    const memory: Record<number, Sample> = {};
    const added: Added[] = [];
    for (let n = 1; n <= MAX; n++) {
      const t0 = performance.now();
      w.send(`add ${n}`);
      const qr = await w.waitFor(new RegExp(`^client ${n} qr$`), `bare client ${n} qr`);
      const t1 = performance.now();
      w.send(`link ${n}`);
      const ready = await w.waitFor(new RegExp(`^client ${n} ready$`), `bare client ${n} ready`);
      if (n > 1) added.push({ n, qrMs: qr.at - t0, linkToReadyMs: ready.at - t1, readyMs: ready.at - t0 });
      await sleep(SETTLE_MS);
      if ((COUNTS as readonly number[]).includes(n)) memory[n] = sample(w.pid);
    }
    const bare = w;
    const sends = await sendRounds(ctx, w.pid, async (senders) => {
      const from = bare.lineCount;
      bare.send(`send ${senders} ${opts.accountsSends}`);
      const done = await bare.waitFor(new RegExp(`^sent ${senders} ([\\d.]+)$`), `bare send ${senders}`, 120_000, from);
      return Number(done.match[1]);
    });
    return { memory, added, sends };
  } finally {
    await w?.stop();
    removeDir(dir);
  }
}

/** 1 sender, then 2 at once (the order alternating), `accountsSendRounds` times, after a warm-up of each. */
async function sendRounds(ctx: ScenarioContext, pid: number, run: (senders: number) => Promise<number>): Promise<SendRound[]> {
  const { opts } = ctx;
  const out: SendRound[] = [];
  for (const senders of [1, 2]) {
    await quiesce([pid]);
    await run(senders);
  }
  for (let r = 0; r < opts.accountsSendRounds; r++) {
    for (const senders of r % 2 === 0 ? [1, 2] : [2, 1]) {
      // The acks of the previous round arrive for a second or more: let them land.
      await quiesce([pid]);
      const node0 = cpuMs(pid);
      const tree0 = treeCpuMs(pid);
      const ms = await run(senders);
      const count = senders * opts.accountsSends;
      out.push({ senders, perSecond: count / (ms / 1000), cpuMsPerMsg: (treeCpuMs(pid) - tree0) / count, nodeBusy: (cpuMs(pid) - node0) / ms });
    }
  }
  return out;
}

/**
 * 11. Several accounts (issue 14): memory at 1, 2 and 4 accounts and start-up per added
 * account (the compiled bridge vs whatsapp-web.js Clients in one plain Node process, each
 * its own Chromium, as the bridge runs them), send throughput with 2 accounts sending at
 * once vs 1, and whether accounts could share one browser process (shared-browser.ts).
 */
export async function accountsScenario(ctx: ScenarioContext): Promise<Row[]> {
  const { opts } = ctx;
  const runs: { ours: Run[]; bare: Run[] } = { ours: [], bare: [] };
  for (let r = 0; r < opts.accountsRounds; r++) {
    for (const kind of r % 2 === 0 ? (['ours', 'bare'] as const) : (['bare', 'ours'] as const)) {
      const run = kind === 'ours' ? await bridgeRun(ctx) : await bareRun(ctx);
      runs[kind].push(run);
      const at = (f: (m: Sample) => number | null) => COUNTS.map((n) => f(run.memory[n]!)?.toFixed(0) ?? '-').join(' / ');
      const sends = (k: number) =>
        run.sends
          .filter((x) => x.senders === k)
          .map((x) => `${x.perSecond.toFixed(0)} msg/s (Node ${(x.nodeBusy * 100).toFixed(0)}% busy)`)
          .join(', ');
      ctx.log(
        `accounts round ${r + 1} ${kind}: at 1 / 2 / 4 accounts tree PSS ${at((m) => m.pssMb)} MB, unique ${at((m) => m.uniqueMb)} MB; ` +
          `added → starting ${run.added.map((a) => (a.startingMs === undefined ? '-' : Math.round(a.startingMs))).join(', ')} ms, → qr ${run.added.map((a) => Math.round(a.qrMs)).join(', ')} ms, → ready ${run.added.map((a) => Math.round(a.readyMs)).join(', ')} ms; ` +
          `1 sender ${sends(1)}; 2 senders ${sends(2)}`,
      );
    }
  }
  ctx.raw.accounts = { sendsPerAccount: opts.accountsSends, runs };

  const s = '11 Accounts';
  type Kind = 'ours' | 'bare';
  const label = (n: number) => `whatsapp-web.js, ${n} Client${n > 1 ? 's' : ''} in one process`;
  const perAccountLabel = 'whatsapp-web.js, per added Client';
  const mem = (kind: Kind, n: number, pick: (m: Sample) => number) => runs[kind].map((x) => pick(x.memory[n]!));
  const perAdded = (kind: Kind, to: number, pick: (m: Sample) => number) => runs[kind].map((x) => (pick(x.memory[to]!) - pick(x.memory[1]!)) / (to - 1));
  const pss = (m: Sample) => m.pssMb;
  const rss = (m: Sample) => m.rssMb;
  const unique = (m: Sample) => m.uniqueMb ?? Number.NaN;
  const node = (m: Sample) => m.rootRssMb;
  const timing = (kind: Kind, pick: (a: Added) => number) => runs[kind].flatMap((x) => x.added.map(pick));
  const send = (kind: Kind, senders: number, pick: (x: SendRound) => number) => runs[kind].flatMap((x) => x.sends.filter((y) => y.senders === senders).map(pick));
  const rate = (x: SendRound) => x.perSecond;
  const accounts = (n: number) => `${n} account${n > 1 ? 's' : ''}`;
  const count = opts.accountsSends.toLocaleString('en-US');
  const rows: Row[] = [
    ...COUNTS.map((n) => row(s, `tree PSS, ${accounts(n)} ready (Node + every Chromium)`, 'MB', mem('ours', n, pss), label(n), mem('bare', n, pss))),
    row(s, 'tree PSS per added account (1 → 2)', 'MB', perAdded('ours', 2, pss), perAccountLabel, perAdded('bare', 2, pss)),
    row(s, 'tree PSS per added account (1 → 4, mean of 3)', 'MB', perAdded('ours', 4, pss), perAccountLabel, perAdded('bare', 4, pss)),
  ];
  if (runs.ours.every((x) => x.memory[1]!.uniqueMb !== null)) {
    rows.push(
      row(s, `tree memory, each page once, ${accounts(MAX)} ready`, 'MB', mem('ours', MAX, unique), label(MAX), mem('bare', MAX, unique)),
      row(s, 'tree memory, each page once, per added account (1 → 2)', 'MB', perAdded('ours', 2, unique), perAccountLabel, perAdded('bare', 2, unique)),
      row(s, 'tree memory, each page once, per added account (1 → 4, mean of 3)', 'MB', perAdded('ours', 4, unique), perAccountLabel, perAdded('bare', 4, unique)),
    );
  }
  rows.push(
    row(s, `tree RSS, ${accounts(MAX)} ready`, 'MB', mem('ours', MAX, rss), label(MAX), mem('bare', MAX, rss)),
    row(s, 'tree RSS per added account (1 → 4, mean of 3)', 'MB', perAdded('ours', 4, rss), perAccountLabel, perAdded('bare', 4, rss)),
    row(s, `Node process RSS, ${accounts(MAX)} ready`, 'MB', mem('ours', MAX, node), label(MAX), mem('bare', MAX, node)),
    row(s, `Node process RSS, ${accounts(MAX)} ready vs 1`, 'MB', mem('ours', MAX, node), 'ours, 1 account ready', mem('ours', 1, node)),
    row(s, 'POST /api/accounts → its qr state, per added account', 'ms', timing('ours', (a) => a.qrMs), 'new Client + initialize → qr', timing('bare', (a) => a.qrMs)),
    row(s, 'POST /api/simulator/link (X-Account) → its ready state', 'ms', timing('ours', (a) => a.linkToReadyMs), 'simulator link → ready', timing('bare', (a) => a.linkToReadyMs)),
    row(s, 'POST /api/accounts → ready, linked, per added account', 'ms', timing('ours', (a) => a.readyMs), 'new Client → ready, linked', timing('bare', (a) => a.readyMs)),
    row(s, `POST /api/send, 1 account sending ${count} texts one at a time (${MAX} open)`, 'msg/s', send('ours', 1, rate), 'client.sendMessage, 1 Client', send('bare', 1, rate)),
    row(s, `POST /api/send, 2 accounts sending ${count} texts each at once: both together`, 'msg/s', send('ours', 2, rate), 'client.sendMessage, 2 Clients at once', send('bare', 2, rate)),
    row(s, 'send throughput, 2 accounts at once vs 1', 'msg/s', send('ours', 2, rate), 'ours, 1 account', send('ours', 1, rate)),
    row(s, '2 accounts sending at once: CPU per message, all processes', 'ms', send('ours', 2, (x) => x.cpuMsPerMsg), 'client.sendMessage, 2 Clients at once', send('bare', 2, (x) => x.cpuMsPerMsg)),
  );
  rows.push(...(await sharedBrowserScenario(ctx)));
  return rows;
}
