import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROME, type Caller } from './bridge.js';
import type { BridgeOptions } from '../../src/bridge.js';
import type { ChildMessage, ChildRequest } from './bridge-child.js';
import { freePort, ROOT } from './product.js';

const CHILD = fileURLToPath(new URL('./bridge-child.ts', import.meta.url));
export const CRASH_TOKEN = 'crash-token-0123456789abcdef';

export interface ChildBridge {
  url: string;
  pid: number;
  call: Caller;
  /** Everything the bridge printed so far. */
  output(): string;
  /** Asks the bridge process for what has no REST route (see bridge-child.ts). */
  ask<T = unknown>(op: ChildRequest['op']): Promise<T>;
  /** `kill -9` of the bridge process; resolves once it is gone. */
  kill9(): Promise<void>;
}

/**
 * The bridge as its own process on `dataDir` and `port`, configured through the environment
 * like `npm run demo`; resolves once it listens. Log lines go to `output()`.
 */
export async function startChildBridge(dataDir: string, port: number, env: Record<string, string> = {}): Promise<ChildBridge> {
  const child: ChildProcess = fork(CHILD, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: {
      ...process.env,
      WHATSAPP_DATA_DIR: dataDir,
      WHATSAPP_MCP_PORT: String(port),
      WHATSAPP_MCP_TOKEN: CRASH_TOKEN,
      WHATSAPP_CHROME_EXECUTABLE: CHROME,
      WHATSAPP_SEND_PER_MINUTE: '6000',
      WHATSAPP_SEND_BURST: '10000',
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'info',
      ...env,
    },
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let seq = 0;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  child.on('message', (m: ChildMessage) => {
    if (m.type !== 'reply') return;
    const p = pending.get(m.seq);
    pending.delete(m.seq);
    if (m.error !== undefined) p?.reject(new Error(m.error));
    else p?.resolve(m.value);
  });
  void exited.then(() => {
    for (const p of pending.values()) p.reject(new Error('the bridge process exited'));
    pending.clear();
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.on('message', (m: ChildMessage) => m.type === 'listening' && resolve(m.url));
    void exited.then(() => reject(new Error(`the bridge exited before listening:\n${out}`)));
  });
  return {
    url,
    pid: child.pid!,
    call: caller(url, CRASH_TOKEN),
    output: () => out,
    ask: <T>(op: ChildRequest['op']) =>
      new Promise<T>((resolve, reject) => {
        const n = ++seq;
        pending.set(n, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ seq: n, op } satisfies ChildRequest);
      }),
    kill9: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** The environment that gives a child bridge this webhook dispatcher timing (bridge-child.ts). */
export function webhookTimingEnv(timing: NonNullable<BridgeOptions['webhooks']>): Record<string, string> {
  return { BRIDGE_CHILD_WEBHOOKS: JSON.stringify(timing) };
}

function caller(url: string, token: string): Caller {
  return async (p, init = {}) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url + p, { method: init.method ?? 'GET', headers, ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}) });
    return { status: res.status, body: await res.json() };
  };
}

/** Pids of processes whose command line mentions `dir` (a bridge's Chromium uses its profile there). */
export function processesUsing(dir: string): number[] {
  const r = spawnSync('pgrep', ['-f', dir], { encoding: 'utf8' });
  return r.stdout
    .split('\n')
    .map(Number)
    .filter((pid) => pid > 0 && pid !== process.pid);
}

/** `kill -9` of each pid (or, negative, process group) that still runs. */
export function killAll(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export interface Delivered {
  key: string;
  text: string;
  chatId: string;
  /** The 200 answer's body. */
  answer: { message_id: string | null; outbox_id: string; status: string };
  /** Every answer before the 200 (repeats folded): HTTP status and error code, or the network error. */
  failures: string[];
}

/**
 * A careful client: POST /api/send with an Idempotency-Key, and after every error, 202 or
 * dropped connection the same request with the same key again, until a 200. The pause
 * between tries is the client's politeness, not something the test waits on.
 */
export async function sendUntil200(url: string, phone: string, text: string, key: string, giveUpMs = 75_000): Promise<Delivered> {
  const failures: string[] = [];
  const end = Date.now() + giveUpMs;
  for (;;) {
    try {
      const res = await fetch(`${url}/api/send`, {
        method: 'POST',
        headers: { authorization: `Bearer ${CRASH_TOKEN}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ phone_number: phone, message: text }),
      });
      const body = (await res.json()) as { error?: { code: string } } & Delivered['answer'];
      if (res.status === 200) return { key, text, chatId: `${phone}@c.us`, answer: body, failures };
      note(failures, `${res.status} ${body.error?.code ?? body.status}`);
    } catch (err) {
      note(failures, `network: ${(err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message}`);
    }
    if (Date.now() > end) throw new Error(`${key}: no 200 within ${giveUpMs} ms; answers: ${failures.join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Appends `what`, folding repeats: "409 WA_NOT_STARTED ×12". */
function note(failures: string[], what: string): void {
  const last = failures.at(-1);
  const m = last === undefined ? null : /^(.*?)(?: ×(\d+))?$/.exec(last);
  if (m?.[1] === what) failures[failures.length - 1] = `${what} ×${Number(m[2] ?? 1) + 1}`;
  else failures.push(what);
}

export interface ChatMessage {
  id: string;
  body: string;
  from_me: boolean;
}

/** Every message of a chat as the bridge reads it from WhatsApp, paging back to the start. */
export async function wholeChat(call: Caller, chatId: string): Promise<ChatMessage[]> {
  const all: ChatMessage[] = [];
  let before: string | null = null;
  do {
    const res = await call(`/api/chats/${chatId}/messages?limit=100${before ? `&before=${encodeURIComponent(before)}` : ''}`);
    if (res.status !== 200) throw new Error(`reading ${chatId}: ${res.status} ${JSON.stringify(res.body)}`);
    all.unshift(...(res.body.messages as ChatMessage[]));
    before = res.body.next_before as string | null;
  } while (before);
  return all;
}

/**
 * `npm run -s demo` as a user starts it (fresh HOME, own process group), for a start that is
 * expected to stop by itself: resolves with how it ended and what it printed, or kills it
 * and fails if it is still running after `timeoutMs` (e.g. stuck, or restarting in a loop).
 */
export async function runDemoUntilExit(env: Record<string, string>, timeoutMs = 90_000): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'wa-product-exit-'));
  const { XDG_CONFIG_HOME: _x, WHATSAPP_DATA_DIR: _d, WHATSAPP_MCP_TOKEN: _t, WHATSAPP_AUTH_DIR: _a, ...inherited } = process.env;
  const child = spawn('npm', ['run', '-s', 'demo'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...inherited, HOME: home, WHATSAPP_MCP_PORT: String(await freePort()), WHATSAPP_CHROME_EXECUTABLE: CHROME, ...env },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const timer = setTimeout(() => killAll([-child.pid!]), timeoutMs);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  if (signal === 'SIGKILL') throw new Error(`npm run demo was still running after ${timeoutMs} ms:\n${output}`);
  return { code, signal, output };
}
