/**
 * Can several accounts share one browser process (issue 14)? A measurement, not a feature:
 * two whatsapp-web.js Clients on the simulator page, (a) each launching its own Chromium
 * with its own LocalAuth profile, as the bridge runs accounts, against (b) one Chromium
 * launched here through puppeteer-core, each Client connected to it (`browserWSEndpoint`)
 * with a browser context of its own (`browser.createBrowserContext()`), and (c) two Clients
 * in that browser's default context. For each: do both link as separate accounts, what is
 * the browsers' PSS at `ready`, and are both still linked after the browsers restart.
 *
 * whatsapp-web.js has no option for a context: connected, it opens its page with
 * `browser.newPage()` (the default context) and closes the whole browser on `destroy()` and
 * `logout()`. The measurement patches its puppeteer's `connect` so that a Client's browser
 * object opens its page in a new context and closes only that context.
 *
 * Run alone: `npx tsx bench/scenarios/shared-browser.ts` (BENCH_QUICK=1 for one round).
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteerCore, { type Browser, type Page } from 'puppeteer-core';
import wwebjs from 'whatsapp-web.js';
import type { Client as WwebjsClient } from 'whatsapp-web.js';
import { prepareSimulatorCache, SimulatorControl, type SimulatedPhone, type SimulatorCache } from '../../src/whatsapp/simulator/index.js';
import { removeDir, tempDir } from '../lib/launch.js';
import { parseOptions, type ScenarioContext } from '../lib/options.js';
import { treeBreakdown, treeMemory, treeUniqueMb, type TreeMemory } from '../lib/proc.js';
import { row, textTable, type Row } from '../lib/report.js';
import { barePuppeteerOptions } from '../lib/wwebjs.js';

const { Client, LocalAuth } = wwebjs;

/** Two simulated phones, so that two accounts that are really separate show two numbers. */
const PHONES: SimulatedPhone[] = [
  { user: '15550300001', pushname: 'Phone A' },
  { user: '15550300002', pushname: 'Phone B' },
];
const SETTLE_MS = 1500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How a Client gets its browser in this measurement. */
type Share = 'own-browser' | 'own-context' | 'default-context';

interface PuppeteerLike {
  connect(opts: Record<string, unknown>): Promise<Browser>;
}

/**
 * whatsapp-web.js requires 'puppeteer' (its own module instance, not our puppeteer-core).
 * While installed, a connect() whose options carry `shareAs` hands back the browser with
 * `newPage` opening the page in a context of its own (`own-context`) or the default one,
 * and `close` closing only that context and the connection, never the shared browser.
 */
function patchConnect(): () => void {
  const fromWwebjs = createRequire(createRequire(import.meta.url).resolve('whatsapp-web.js'));
  const puppeteer = fromWwebjs('puppeteer') as PuppeteerLike;
  const original = puppeteer.connect;
  puppeteer.connect = async (opts) => {
    const browser = await original.call(puppeteer, opts);
    const share = opts.shareAs as Share | undefined;
    if (!share) return browser;
    const context = share === 'own-context' ? await browser.createBrowserContext() : browser.defaultBrowserContext();
    const pages: Page[] = [];
    Object.assign(browser, {
      newPage: async () => {
        const page = await context.newPage();
        pages.push(page);
        return page;
      },
      close: async () => {
        if (share === 'own-context') await context.close().catch(() => undefined);
        else await Promise.all(pages.map((p) => p.close().catch(() => undefined)));
        await browser.disconnect();
      },
    });
    return browser;
  };
  return () => {
    puppeteer.connect = original;
  };
}

interface Started {
  client: WwebjsClient;
  /** The first of qr / ready after initialize: ready means it restored a link. */
  first: 'qr' | 'ready';
}

/** Starts a Client and waits for its first qr or ready. */
async function start(client: WwebjsClient): Promise<Started> {
  const first = new Promise<'qr' | 'ready'>((resolve) => {
    client.once('qr', () => resolve('qr'));
    client.once('ready', () => resolve('ready'));
  });
  await client.initialize();
  return { client, first: await withTimeout(first, 60_000, 'qr or ready') };
}

/** The simulated phone links a Client showing its QR code; resolves with the account's number once ready. */
async function link(client: WwebjsClient, phone: SimulatedPhone): Promise<string> {
  const ready = new Promise<void>((resolve) => client.once('ready', () => resolve()));
  await new SimulatorControl(client.pupPage as unknown as Page).link(phone);
  await withTimeout(ready, 60_000, 'ready');
  return client.info.wid.user;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
    }),
  ]);
}

/** What one arrangement gave. */
export interface Arrangement {
  /** The numbers the two Clients reported once linked (the same twice: they are one account). */
  numbers: string[];
  /** The second Client came up already linked, as the first's account, without its phone. */
  secondTookFirstsLink: boolean;
  /** Sum over the Chromium process trees, both Clients ready. */
  memory: TreeMemory;
  /** The browsers' pages, each counted once (null without root). */
  uniqueMb: number | null;
  /** PSS by kind of Chromium process (browser, renderer, gpu-process, utility:network, …), summed over the browsers. */
  byRole: Record<string, { processes: number; pssMb: number }>;
  /** Of the 2, how many came back linked when their browser(s) started again. */
  linkedAfterRestart: number;
  /** Files Chromium wrote into the LocalAuth profile folders. */
  profileFiles: number;
}

const sum = (a: TreeMemory[]): TreeMemory => ({
  rssMb: a.reduce((s, m) => s + m.rssMb, 0),
  pssMb: a.reduce((s, m) => s + m.pssMb, 0),
  rootRssMb: a.reduce((s, m) => s + m.rootRssMb, 0),
  processes: a.reduce((s, m) => s + m.processes, 0),
});

function countFiles(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
}

/** (a), (b) or (c): two Clients linked one after the other, measured, stopped, started again. */
async function arrangement(share: Share, root: string, cache: SimulatorCache): Promise<Arrangement> {
  const authDirs = [path.join(root, 'auth-a'), path.join(root, 'auth-b')];
  const profile = path.join(root, 'shared-profile');
  let browser: Browser | null = null;
  const launchShared = async () => {
    const opts = barePuppeteerOptions();
    // A WebSocket endpoint on 127.0.0.1 to connect to (not a pipe), and the flag whatsapp-web.js adds when it launches.
    const launched = await puppeteerCore.launch({ ...opts, pipe: false, userDataDir: profile, args: [...(opts.args as string[]), '--disable-blink-features=AutomationControlled'] });
    // The tab a launch opens would keep a renderer of its own: whatsapp-web.js launching a browser uses it, connected it opens new ones.
    for (const page of await launched.pages()) await page.close();
    browser = launched;
    return launched;
  };
  const make = (i: number): WwebjsClient =>
    new Client({
      ...cache,
      authStrategy: new LocalAuth({ dataPath: authDirs[i]! }),
      puppeteer: share === 'own-browser' ? barePuppeteerOptions() : { browserWSEndpoint: browser!.wsEndpoint(), shareAs: share },
    });
  const browserPids = (clients: WwebjsClient[]): number[] =>
    share === 'own-browser' ? clients.map((c) => c.pupBrowser!.process()!.pid!) : [(browser as Browser | null)!.process()!.pid!];
  const clients: WwebjsClient[] = [];
  try {
    if (share !== 'own-browser') await launchShared();
    const a = await start(make(0));
    clients.push(a.client);
    const numbers = [await link(a.client, PHONES[0]!)];
    const b = await start(make(1));
    clients.push(b.client);
    const secondTookFirstsLink = b.first === 'ready';
    numbers.push(secondTookFirstsLink ? b.client.info.wid.user : await link(b.client, PHONES[1]!));
    await sleep(SETTLE_MS);
    const pids = browserPids(clients);
    const memory = sum(pids.map((pid) => treeMemory(pid)));
    const uniqueMb = treeUniqueMb(...pids);
    const byRole: Arrangement['byRole'] = {};
    for (const [role, m] of pids.flatMap((pid) => Object.entries(treeBreakdown(pid)))) {
      const e = (byRole[role] ??= { processes: 0, pssMb: 0 });
      e.processes += m.processes;
      e.pssMb += m.pssMb;
    }
    // Stop everything, as a bridge stopping would, and start again on the same folders.
    for (const c of clients.splice(0)) await c.destroy();
    if (browser) await (browser as Browser).close();
    if (share !== 'own-browser') await launchShared();
    let linkedAfterRestart = 0;
    for (let i = 0; i < 2; i++) {
      const again = await start(make(i));
      clients.push(again.client);
      if (again.first === 'ready') linkedAfterRestart++;
    }
    return { numbers, secondTookFirstsLink, memory, uniqueMb, byRole, linkedAfterRestart, profileFiles: authDirs.reduce((s, d) => s + countFiles(d), 0) };
  } finally {
    for (const c of clients) await c.destroy().catch(() => undefined);
    if (browser) await (browser as Browser).close().catch(() => undefined);
  }
}

export interface SharedBrowserResult {
  rounds: { ownBrowser: Arrangement; ownContext: Arrangement; defaultContext: Arrangement }[];
}

/** Every arrangement `rounds` times, alternating the order of (a) and (b). */
export async function measureSharedBrowser(rounds: number, log: (m: string) => void): Promise<SharedBrowserResult> {
  const unpatch = patchConnect();
  const root = tempDir('wa-bench-shared-browser-');
  try {
    const cache = await prepareSimulatorCache(path.join(root, 'cache'));
    const out: SharedBrowserResult['rounds'] = [];
    for (let r = 0; r < rounds; r++) {
      const run = (share: Share) => arrangement(share, path.join(root, `${r}-${share}`), cache);
      let ownBrowser: Arrangement;
      let ownContext: Arrangement;
      if (r % 2 === 0) {
        ownBrowser = await run('own-browser');
        ownContext = await run('own-context');
      } else {
        ownContext = await run('own-context');
        ownBrowser = await run('own-browser');
      }
      const defaultContext = await run('default-context');
      out.push({ ownBrowser, ownContext, defaultContext });
      const say = (name: string, x: Arrangement) =>
        `${name}: accounts ${x.numbers.join(' + ')}${x.secondTookFirstsLink ? ' (the second came up as the first, unlinked by its phone)' : ''}, PSS ${x.memory.pssMb.toFixed(0)} MB / each page once ${x.uniqueMb?.toFixed(0) ?? '-'} MB / RSS ${x.memory.rssMb.toFixed(0)} MB in ${x.memory.processes} processes, ${x.linkedAfterRestart}/2 linked after a restart, ${x.profileFiles} files in the LocalAuth folders`;
      log(`shared browser round ${r + 1}: ${say('2 browsers', ownBrowser)}`);
      log(`shared browser round ${r + 1}: ${say('1 browser, 2 contexts', ownContext)}`);
      log(`shared browser round ${r + 1}: ${say('1 browser, default context', defaultContext)}`);
      const roles = (x: Arrangement) => Object.entries(x.byRole).map(([k, v]) => `${k} ${v.processes}× ${v.pssMb.toFixed(0)}`).join(', ');
      log(`shared browser round ${r + 1}: PSS MB by process, 2 browsers: ${roles(ownBrowser)}; 1 browser, 2 contexts: ${roles(ownContext)}`);
    }
    return { rounds: out };
  } finally {
    unpatch();
    removeDir(root);
  }
}

/** The table rows for the accounts scenario. */
export function sharedBrowserRows(s: string, result: SharedBrowserResult): Row[] {
  const pick = (k: keyof SharedBrowserResult['rounds'][number], f: (a: Arrangement) => number) => result.rounds.map((r) => f(r[k]));
  const base = '2 Chromiums, a LocalAuth profile each (as the bridge)';
  return [
    row(s, 'browsers PSS, 2 accounts ready: 1 Chromium, a browser context each', 'MB', pick('ownContext', (a) => a.memory.pssMb), base, pick('ownBrowser', (a) => a.memory.pssMb)),
    ...(result.rounds.every((r) => r.ownContext.uniqueMb !== null)
      ? [row(s, 'browsers memory, each page once, 2 accounts ready: 1 Chromium, a context each', 'MB', pick('ownContext', (a) => a.uniqueMb!), base, pick('ownBrowser', (a) => a.uniqueMb!))]
      : []),
    row(s, 'browsers RSS, 2 accounts ready: 1 Chromium, a browser context each', 'MB', pick('ownContext', (a) => a.memory.rssMb), base, pick('ownBrowser', (a) => a.memory.rssMb)),
    row(s, 'accounts still linked after the browser restarts: 1 Chromium, a context each', 'of 2', pick('ownContext', (a) => a.linkedAfterRestart), base, pick('ownBrowser', (a) => a.linkedAfterRestart)),
    row(s, 'separate accounts: 1 Chromium, both in its default context (one profile)', 'of 2', pick('defaultContext', (a) => new Set(a.numbers).size), base, pick('ownBrowser', (a) => new Set(a.numbers).size)),
  ];
}

export async function sharedBrowserScenario(ctx: ScenarioContext): Promise<Row[]> {
  const result = await measureSharedBrowser(ctx.opts.quick ? 1 : 2, ctx.log);
  ctx.raw.sharedBrowser = result;
  return sharedBrowserRows('11 Accounts', result);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const opts = parseOptions([], process.env);
  const result = await measureSharedBrowser(opts.quick ? 1 : 2, (m) => process.stderr.write(`${m}\n`));
  process.stdout.write(`${textTable(sharedBrowserRows('shared browser', result))}\n`);
  process.exit(0);
}
