import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareSimulatorCache, type SimulatorCache } from '../../src/whatsapp/simulator/index.js';
import { buildCompiledCli, REPO_ROOT } from './build.js';
import { Watched } from './children.js';
import { BENCH_TOKEN } from './config.js';
import { barePuppeteerOptions } from './wwebjs.js';
import { bridgeFlags } from './config.js';

/** What the processes print when they reach each state. */
export const LINES = {
  listening: /REST API\s+(http:\/\/127\.0\.0\.1:\d+)\/api\/status/,
  bridgeQr: /session \w+ -> qr/,
  bridgeReady: /session \w+ -> ready/,
  bareQr: /^state qr$/,
  bareReady: /^state ready$/,
  bareBatch: /^batch done$/,
  fastifyListening: /^listening \d+$/,
};

/** `compiled`: this run's own tsc build under plain node; `launcher`: scripts/run.mjs, what `npm run demo` runs (it builds dist/ when stale). */
export type BridgeMode = 'compiled' | 'launcher';

let compiled: Promise<{ cli: string; buildS: number }> | null = null;
/** The compiled entry, built once per run. */
export function compiledCli(): Promise<{ cli: string; buildS: number }> {
  compiled ??= buildCompiledCli();
  return compiled;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 4 });
}

/** `npm run demo`'s process (scripts/run.mjs) or the compiled cli.js under plain node, on a free port. */
export async function launchBridge(mode: BridgeMode, dataDir: string): Promise<Watched> {
  const args = bridgeFlags(dataDir, 'info');
  const env = process.env;
  if (mode === 'compiled') {
    const { cli } = await compiledCli();
    return new Watched(process.execPath, [cli, ...args], { env, cwd: REPO_ROOT });
  }
  return new Watched(process.execPath, [path.join(REPO_ROOT, 'scripts', 'run.mjs'), ...args], { env, cwd: REPO_ROOT });
}

let bareCache: Promise<SimulatorCache> | null = null;

/** The bare whatsapp-web.js script (bench/bare/wwebjs-bare.mjs) under plain node. */
export async function launchBare(authDir: string, link: boolean): Promise<Watched> {
  bareCache ??= prepareSimulatorCache(tempDir('wa-bench-bare-cache-'));
  const cache = await bareCache;
  const script = path.join(REPO_ROOT, 'bench', 'bare', 'wwebjs-bare.mjs');
  return new Watched(process.execPath, [script], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      BARE_AUTH_DIR: authDir,
      BARE_CACHE: JSON.stringify(cache),
      BARE_PUPPETEER: JSON.stringify(barePuppeteerOptions()),
      BARE_LINK: link ? '1' : '0',
    },
  });
}

/** The bare several-accounts script (bench/bare/wwebjs-multi.mjs): Clients added and linked through its stdin. */
export async function launchBareMulti(authDir: string): Promise<Watched> {
  bareCache ??= prepareSimulatorCache(tempDir('wa-bench-bare-cache-'));
  const cache = await bareCache;
  return new Watched(process.execPath, [path.join(REPO_ROOT, 'bench', 'bare', 'wwebjs-multi.mjs')], {
    cwd: REPO_ROOT,
    env: { ...process.env, BARE_AUTH_DIR: authDir, BARE_CACHE: JSON.stringify(cache), BARE_PUPPETEER: JSON.stringify(barePuppeteerOptions()) },
  });
}

export function launchBareFastify(): Watched {
  return new Watched(process.execPath, [path.join(REPO_ROOT, 'bench', 'bare', 'fastify-listen.mjs')], { cwd: REPO_ROOT });
}

export async function post(url: string, json: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${BENCH_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(json),
  });
  const body = (await res.json()) as unknown;
  if (res.status !== 200) throw new Error(`POST ${url} answered ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

/** A bridge process from start to `ready`, linked through the simulator's controls. */
export async function linkBridge(w: Watched): Promise<string> {
  const url = (await w.waitFor(LINES.listening, 'bridge listening')).match[1]!;
  await post(`${url}/api/auth/start`, {});
  await w.waitFor(LINES.bridgeQr, 'bridge qr');
  await post(`${url}/api/simulator/link`, {});
  await w.waitFor(LINES.bridgeReady, 'bridge ready');
  return url;
}
