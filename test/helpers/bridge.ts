import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBridge, type Bridge } from '../../src/bridge.js';
import type { Config } from '../../src/core/config.js';
import { createLogger } from '../../src/core/logger.js';
import { demoBridgeOptions } from '../../src/demo.js';

export const CHROME = process.env.WHATSAPP_CHROME_EXECUTABLE ?? '/usr/bin/chromium';

export function tempDataDir(prefix = 'wa-e2e-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The real headless bridge in demo mode (whatsapp-web.js + Chromium + simulator) on a free port. */
export async function startDemoBridge(dataDir: string, overrides: Partial<Config> = {}): Promise<Bridge & { call: Caller }> {
  const config: Config = {
    host: '127.0.0.1',
    port: 0,
    dataDir,
    authDir: path.join(dataDir, 'session'),
    chromeExecutable: CHROME,
    headless: true,
    token: 'e2e-token-0123456789abcdef',
    demo: true,
    logLevel: 'silent',
    sendPerMinute: 6000,
    sendBurst: 10_000,
    mediaDirs: [],
    ...overrides,
  };
  const log = createLogger({ level: process.env.E2E_LOG_LEVEL ?? 'silent' });
  const bridge = await startBridge({ config, log, ...(await demoBridgeOptions(config, log)) });
  return Object.assign(bridge, { call: caller(bridge.url, bridge.token) });
}

export type Caller = (p: string, init?: { method?: string; json?: unknown }) => Promise<{ status: number; body: any }>;

function caller(url: string, token: string): Caller {
  return async (p, init = {}) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url + p, { method: init.method ?? 'GET', headers, ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}) });
    return { status: res.status, body: await res.json() };
  };
}

/** Polls /api/status until `state` (the bridge is event-driven; the test just watches it like a user). */
export async function waitForState(call: Caller, state: string, timeoutMs = 30_000): Promise<any> {
  const end = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < end) {
    last = (await call('/api/status')).body;
    if (last.state === state) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`state ${state} not reached within ${timeoutMs} ms; last status: ${JSON.stringify(last)}`);
}

/** Resolves once `check()` is true; polls, since the condition is observed from outside. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every state the session moves to from now on. */
export function recordStates(session: { on(event: 'status', fn: (c: { to: string }) => void): unknown }): string[] {
  const seen: string[] = [];
  session.on('status', (c) => seen.push(c.to));
  return seen;
}
