import path from 'node:path';
import type { Client as WwebjsClient } from 'whatsapp-web.js';
import { prepareSimulatorCache, type SimulatorControl } from '../../src/whatsapp/simulator/index.js';
import type { Watched } from '../lib/children.js';
import { callJson } from '../lib/http-client.js';
import { launchBridge, linkBridge, removeDir, tempDir } from '../lib/launch.js';
import type { ScenarioContext } from '../lib/options.js';
import { quiesce, selfCpuMs, treeCpuMs } from '../lib/proc.js';
import { atLeast, atMost, row, type Row, type TargetRule } from '../lib/report.js';
import { median, timeCalls } from '../lib/stats.js';
import { startBareClient } from '../lib/wwebjs.js';

/** The bridge, in its own process as a user runs it, called over REST. */
interface Ours {
  url: string;
  pid: number;
  seed(chats: number, messagesPerChat: number): Promise<number>;
}
/** whatsapp-web.js called in this process, as a script using it directly would. */
interface Bare {
  client: WwebjsClient;
  sim: SimulatorControl;
}

type SendRound = { perSecond: number; cpuMsPerMsg: number };

const RECIPIENTS = ['15550100001', '15550100002', '15550100003', '15550100004', '15550100005'];

/**
 * 3 and 4 share one set-up: the compiled bridge (demo mode) in its own process, linked and
 * driven over REST from here, and a bare whatsapp-web.js Client in this process with its
 * own Chromium, each linked to its own simulator page.
 */
export async function browserScenarios(ctx: ScenarioContext): Promise<Row[]> {
  const root = tempDir('wa-bench-browser-');
  let bridge: Watched | null = null;
  let bare: Bare | null = null;
  try {
    const cache = await prepareSimulatorCache(path.join(root, 'bare-cache'));
    bridge = await launchBridge('compiled', path.join(root, 'bridge'));
    const url = await linkBridge(bridge);
    const ours: Ours = {
      url,
      pid: bridge.pid,
      seed: async (chats, messagesPerChat) => (await callJson(url, 'POST', '/api/simulator/seed', { chats, messages_per_chat: messagesPerChat })).chats as number,
    };
    bare = await startBareClient(path.join(root, 'bare'), cache);
    ctx.log('send/read: bridge and bare client linked');
    const rows: Row[] = [];
    if (ctx.opts.only.includes('send')) rows.push(...(await sendScenario(ctx, ours, bare)));
    if (ctx.opts.only.includes('read')) rows.push(...(await readScenario(ctx, ours, bare)));
    return rows;
  } finally {
    await bridge?.stop();
    await bare?.client.destroy();
    removeDir(root);
  }
}

/**
 * `count` sends, `inFlight` at a time: messages per second, and the CPU time per message
 * of every process involved (this one, which calls, plus `pid` and its children).
 */
async function sendAll(count: number, inFlight: number, send: (n: number) => Promise<void>, pid: number): Promise<SendRound> {
  let next = 0;
  const cpu = () => selfCpuMs() + treeCpuMs(pid);
  const cpu0 = cpu();
  const t = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) await send(next++);
    }),
  );
  const perSecond = count / ((performance.now() - t) / 1000);
  return { perSecond, cpuMsPerMsg: (cpu() - cpu0) / count };
}

/**
 * 3. End-to-end send: POST /api/send → service → adapter → whatsapp-web.js → Chromium →
 * simulator, vs client.sendMessage on the bare Client (with sendSeen: false, as the adapter
 * asks, so both do the same work in the page).
 */
async function sendScenario(ctx: ScenarioContext, ours: Ours, bare: Bare): Promise<Row[]> {
  const { opts } = ctx;
  let seq = 0;
  const viaRest = async (n: number) => {
    await callJson(ours.url, 'POST', '/api/send', { phone_number: RECIPIENTS[n % RECIPIENTS.length], message: `Benchmark message ${seq++}` });
  };
  const direct = async (n: number) => {
    await bare.client.sendMessage(`${RECIPIENTS[n % RECIPIENTS.length]}@c.us`, `Benchmark message ${seq++}`, { sendSeen: false });
  };
  const barePid = bare.client.pupBrowser?.process()?.pid ?? -1;
  const run = (kind: 'ours' | 'bare', count: number, inFlight: number) =>
    kind === 'ours' ? sendAll(count, inFlight, viaRest, ours.pid) : sendAll(count, inFlight, direct, barePid);
  const rows: Row[] = [];
  const raw: Record<string, { ours: SendRound[]; bare: SendRound[] }> = {};
  for (const inFlight of [1, 8]) {
    await run('ours', 50, inFlight);
    await run('bare', 50, inFlight);
    const runs = { ours: [] as SendRound[], bare: [] as SendRound[] };
    for (let r = 0; r < opts.rounds; r++) {
      for (const kind of r % 2 === 0 ? (['ours', 'bare'] as const) : (['bare', 'ours'] as const)) {
        // Acks of the previous round's messages arrive for a second or more: let them land.
        await quiesce([ours.pid, barePid]);
        runs[kind].push(await run(kind, opts.sendCount, inFlight));
      }
      ctx.log(`send ${inFlight} in flight round ${r + 1}: ours ${runs.ours.at(-1)!.perSecond.toFixed(0)} msg/s, direct ${runs.bare.at(-1)!.perSecond.toFixed(0)} msg/s`);
    }
    const label = inFlight === 1 ? 'one at a time' : `${inFlight} in flight`;
    raw[label] = runs;
    const base = 'client.sendMessage direct';
    rows.push(row('3 E2E send', `${opts.sendCount} texts through the outbox, ${label}`, 'msg/s', runs.ours.map((x) => x.perSecond), base, runs.bare.map((x) => x.perSecond), atLeast(0.9)));
    rows.push(row('3 E2E send', `${opts.sendCount} texts through the outbox, ${label}: CPU per message, all processes`, 'ms', runs.ours.map((x) => x.cpuMsPerMsg), base, runs.bare.map((x) => x.cpuMsPerMsg)));
  }
  ctx.raw.send = { count: opts.sendCount, runs: raw };
  return rows;
}

/**
 * 4. Reading at scale: GET /api/chats?limit=20 vs getChats() sorted and sliced to 20, and
 * GET /api/messages?limit=20 vs getChatById() + fetchMessages({ limit: 20 }) (what the
 * adapter itself calls), for a 3-message chat and a 10,000-message one, as the account
 * grows from 100 to 10,000 chats.
 */
async function readScenario(ctx: ScenarioContext, ours: Ours, bare: Bare): Promise<Row[]> {
  const { opts } = ctx;
  // seed() numbers its contacts 1, 2, ... as 49151 + 8 digits, identically on both pages.
  const BIG = '4915100000001';
  const SMALL = '4915100000002';
  const seedBoth = async (chats: number, messagesPerChat: number) => {
    const oursChats = await ours.seed(chats, messagesPerChat);
    await bare.sim.seed({ chats, messagesPerChat });
    const bareChats = (await bare.sim.snapshot()).accountChats;
    if (oursChats !== bareChats) throw new Error(`the two accounts differ: ${oursChats} vs ${bareChats} chats`);
    return bareChats;
  };
  await seedBoth(1, opts.bigChatMessages);
  let chats = await seedBoth(1, 3);
  const ops = {
    chats: {
      ours: async () => {
        const body = await callJson(ours.url, 'GET', '/api/chats?limit=20');
        if (body.count !== 20) throw new Error(`GET /api/chats returned ${body.count} chats`);
      },
      bare: async () => {
        const chats = await bare.client.getChats();
        if (chats.sort((a, b) => b.timestamp - a.timestamp).slice(0, 20).length !== 20) throw new Error('getChats() returned fewer than 20 chats');
      },
    },
    small: messagesOps(ours, bare, SMALL, 3),
    big: messagesOps(ours, bare, BIG, 20),
  };
  const labels = { chats: ['GET /api/chats?limit=20', 'getChats() + sort + slice(20)'], small: ['GET /api/messages?limit=20, 3-message chat', 'getChatById + fetchMessages(20)'], big: [`GET /api/messages?limit=20, ${opts.bigChatMessages.toLocaleString('en-US')}-message chat`, 'getChatById + fetchMessages(20)'] } as const;

  const bySize: Record<number, Record<keyof typeof ops, { ours: number[]; bare: number[] }>> = {};
  const rows: Row[] = [];
  for (const size of opts.readSizes) {
    if (size > chats) chats = await seedBoth(size - chats, 3);
    const at = (bySize[size] = {} as (typeof bySize)[number]);
    for (const key of Object.keys(ops) as (keyof typeof ops)[]) {
      const op = ops[key];
      await timeCalls(op.ours, { minCalls: 2, maxCalls: 2, budgetMs: 0 });
      await timeCalls(op.bare, { minCalls: 1, maxCalls: 2, budgetMs: 500 });
      const runs = { ours: [] as number[], bare: [] as number[] };
      for (let r = 0; r < opts.rounds; r++) {
        for (const kind of r % 2 === 0 ? (['ours', 'bare'] as const) : (['bare', 'ours'] as const)) {
          // A round is the median of as many calls as fit in 0.5 s (at least one).
          runs[kind].push(median(await timeCalls(op[kind], { minCalls: 1, maxCalls: 200, budgetMs: 500 })));
        }
      }
      at[key] = runs;
      const target = key === 'chats' && size === Math.max(...opts.readSizes) ? atMost(0.1) : undefined;
      rows.push(row('4 Read', `${labels[key][0]} @ ${size.toLocaleString('en-US')} chats`, 'ms', runs.ours, labels[key][1], runs.bare, target));
    }
    ctx.log(`read @ ${size} chats: chats ${median(at.chats.ours).toFixed(1)} vs ${median(at.chats.bare).toFixed(1)} ms; big chat ${median(at.big.ours).toFixed(1)} vs ${median(at.big.bare).toFixed(1)} ms`);
  }
  // Flat: the latency at the largest account within 1.5× of the smallest (100× the chats).
  const flat: TargetRule = { text: '≤ 1.5× (flat)', test: (r) => r <= 1.5 };
  const small = Math.min(...opts.readSizes);
  const large = Math.max(...opts.readSizes);
  for (const key of Object.keys(ops) as (keyof typeof ops)[]) {
    rows.push(row('4 Read', `${labels[key][0]}: ${large.toLocaleString('en-US')} vs ${small} chats`, 'ms', bySize[large]![key].ours, `ours @ ${small} chats`, bySize[small]![key].ours, flat));
  }
  rows.push(row('4 Read', `getChats() + slice(20): ${large.toLocaleString('en-US')} vs ${small} chats (for scale)`, 'ms', bySize[large]!.chats.bare, `getChats() @ ${small} chats`, bySize[small]!.chats.bare));
  ctx.raw.read = { sizes: opts.readSizes, bigChatMessages: opts.bigChatMessages, ms: bySize };
  return rows;
}

function messagesOps(ours: Ours, bare: Bare, phone: string, expected: number) {
  return {
    ours: async () => {
      const body = await callJson(ours.url, 'GET', `/api/messages?phone_number=${phone}&limit=20`);
      if (body.count !== expected) throw new Error(`GET /api/messages returned ${body.count} messages, expected ${expected}`);
    },
    bare: async () => {
      const chat = await bare.client.getChatById(`${phone}@c.us`);
      const messages = await chat.fetchMessages({ limit: 20 });
      if (messages.length !== expected) throw new Error(`fetchMessages returned ${messages.length} messages, expected ${expected}`);
    },
  };
}
