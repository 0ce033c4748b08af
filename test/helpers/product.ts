import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CHROME } from './bridge.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface Product {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  /** The HOME the product was started with: `~` in the README's commands. */
  home: string;
  /** Everything the product printed so far (stdout and stderr). */
  output(): string;
  /** Ctrl+C in the terminal: SIGINT to the whole process group; resolves with how npm ended. */
  interrupt(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Command lines of this product's processes still running (the bridge, its browser). */
  leftovers(): string[];
  /** Kills whatever is left (the test's clean-up). */
  kill(): void;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts the product exactly as the README says (`npm run demo`, `npm run headless`) as a
 * child process in its own process group, with a fresh HOME (so the default data dir is
 * `~/.config/whatsapp-mcp-desktop` as documented) and a free port; resolves once /health answers and the start-up banner is out.
 */
export async function startProduct(script: 'demo' | 'headless', env: Record<string, string> = {}): Promise<Product> {
  const home = mkdtempSync(path.join(os.tmpdir(), `wa-product-${script}-`));
  const port = await freePort();
  const { XDG_CONFIG_HOME: _x, WHATSAPP_DATA_DIR: _d, WHATSAPP_MCP_TOKEN: _t, WHATSAPP_AUTH_DIR: _a, ...inherited } = process.env;
  const child: ChildProcess = spawn('npm', ['run', '-s', script], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...inherited, HOME: home, WHATSAPP_MCP_PORT: String(port), WHATSAPP_CHROME_EXECUTABLE: CHROME, ...env },
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://127.0.0.1:${port}`;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // already gone
    }
  };
  const product: Product = {
    url,
    port,
    home,
    output: () => out,
    interrupt: async () => {
      signal('SIGINT');
      return exited;
    },
    kill: () => signal('SIGKILL'),
    leftovers: () => {
      const r = spawnSync('pgrep', ['-af', home], { encoding: 'utf8' });
      return r.stdout.split('\n').filter((l) => l.trim() && !l.includes('pgrep'));
    },
  };
  // A first run builds the bridge (a few seconds) before it listens.
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (gone) throw new Error(`npm run ${script} exited before listening:\n${out}`);
    // Listening comes a moment before the start-up banner is printed: wait for both.
    const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (ok && out.includes('Send the token as')) return product;
    if (Date.now() > deadline) {
      product.kill();
      throw new Error(`npm run ${script} did not answer /health within 90 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The fenced ```sh block of README.md that follows the line containing `marker`. */
export function readmeBlock(marker: string): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf(marker);
  if (at < 0) throw new Error(`README.md has no "${marker}"`);
  const m = /```sh\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!m?.[1]) throw new Error(`no sh block after "${marker}" in README.md`);
  return m[1];
}

export interface CurlCall {
  command: string;
  status: number;
  body: string;
}

/**
 * Runs a README shell block as written, in bash with the product's HOME, the documented
 * port replaced by the product's. `curl` is wrapped only to record each call's HTTP status
 * and body; its arguments are the README's.
 */
export async function runReadmeBlock(block: string, product: Product): Promise<{ calls: CurlCall[]; stderr: string; code: number | null }> {
  const script = [
    'set -u',
    '__n=0',
    `curl() { __n=$((__n+1)); { printf '%s\\n' "$*" > "$__OUT/cmd.$__n"; command curl -sS -o "$__OUT/body.$__n" -w '%{http_code}' "$@" > "$__OUT/status.$__n"; }; }`,
    block.replaceAll('127.0.0.1:8790', `127.0.0.1:${product.port}`),
  ].join('\n');
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'wa-readme-'));
  const child = spawn('bash', ['-c', script], { cwd: product.home, env: { ...process.env, HOME: product.home, __OUT: outDir }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const calls: CurlCall[] = [];
  const read = (name: string): string | null => {
    try {
      return readFileSync(path.join(outDir, name), 'utf8');
    } catch {
      return null;
    }
  };
  for (let i = 1; read(`cmd.${i}`) !== null; i++) {
    calls.push({ command: read(`cmd.${i}`)!.trim(), status: Number(read(`status.${i}`) ?? 0), body: read(`body.${i}`) ?? '' });
  }
  return { calls, stderr, code };
}
