import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import { APP_DIR_NAME, appDataDir } from '../../core/config.js';
import { FAVICON_SVG } from '../../shared/favicon.js';
import type { DashboardConfig } from '../../shared/ipc.js';
import { DEFAULT_ACCOUNT } from '../../app/context.js';
import { accountInstall, accountMcpUrl } from '../../shared/account-install.js';
import type { StdioEntry } from '../../shared/mcp-install.js';
import { statesModule } from '../../shared/states.js';

/** The window's UI is plain web code in renderer/; the desktop app serves the same files. */
export function rendererDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'renderer');
    if (existsSync(path.join(candidate, 'index.html'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('renderer/index.html not found next to the application');
}

/** The checkout's root, where scripts/run.mjs is (from this file compiled into dist/ or run from src/); null in a packaged app. */
export function checkoutRoot(): string | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(path.join(dir, 'scripts', 'run.mjs')) && existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  return null;
}

/**
 * The flags that make the stdio entry find THIS bridge: `--demo`, and `--data-dir` when the
 * bridge's data dir is not the default one the entry would look in (the client's environment
 * is not the bridge's, so WHATSAPP_DATA_DIR cannot carry it).
 */
export function stdioDataArgs(opts: { demo: boolean; dataDir: string | null }): string[] {
  const defaultDir = path.join(appDataDir(), APP_DIR_NAME, ...(opts.demo ? ['demo'] : []));
  const dataDir = opts.dataDir === null ? defaultDir : path.resolve(opts.dataDir);
  return [...(opts.demo ? ['--demo'] : []), ...(dataDir === defaultDir ? [] : ['--data-dir', dataDir])];
}

/**
 * How an MCP client on this machine starts the stdio entry of this checkout: this very Node
 * with `scripts/run.mjs mcp` (absolute paths: a client starts it from anywhere). Null outside
 * a checkout (the desktop app passes its own entry).
 */
export function checkoutStdioEntry(opts: { demo: boolean; dataDir: string | null }): StdioEntry | null {
  const root = checkoutRoot();
  if (!root) return null;
  return { command: process.execPath, args: [path.join(root, 'scripts', 'run.mjs'), 'mcp', ...stdioDataArgs(opts)] };
}

export const RENDERER_FILE = /^[a-z][a-z0-9-]*\.(js|css|svg)$/;

export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * Files of the UI that are not in renderer/ but made from the shared modules, so the page
 * reads the same table of states as the tray and has the app's icon.
 */
const GENERATED: Record<string, () => string> = {
  'states.js': statesModule,
  'favicon.svg': () => FAVICON_SVG,
};

/**
 * One file of the UI by name (`index.html`, or a RENDERER_FILE name), with its content type;
 * null when there is no such file. The dashboard at `/` and the desktop app's app:// both serve through it.
 */
export async function rendererAsset(name: string): Promise<{ body: Buffer<ArrayBuffer> | string; type: string } | null> {
  if (name !== 'index.html' && !RENDERER_FILE.test(name)) return null;
  const type = TYPES[path.extname(name)] ?? 'application/octet-stream';
  const generated = GENERATED[name];
  if (generated) return { body: generated(), type };
  const file = path.join(rendererDir(), name);
  if (!existsSync(file)) return null;
  return { body: await readFile(file), type };
}

export interface DashboardOptions {
  token: string;
  /** How MCP clients here start the stdio entry (the Connect panel); default: this checkout's, for the default data dir. */
  stdio?: StdioEntry | null;
  /** The account this app serves: its MCP endpoint and set-up are the ones shown. */
  account?: string;
}

/**
 * The headless bridge's dashboard: the window's UI at `/` (token via `?token=` once, then the
 * cookie), its scripts under `/ui/`, and the API details it shows. The security plugin has
 * already checked Host, Origin and the token for every one of these. The page and its files
 * are not API: /docs leaves them out.
 */
export const dashboardRoutes: FastifyPluginAsync<DashboardOptions> = async (app, { token, stdio, account = DEFAULT_ACCOUNT }) => {
  const hide = { config: { scope: 'owner' as const }, schema: { hide: true } };
  const send = async (name: string, reply: import('fastify').FastifyReply) => {
    const asset = await rendererAsset(name);
    if (!asset) return reply.callNotFound();
    return reply.type(asset.type).header('Content-Security-Policy', DASHBOARD_CSP).send(asset.body);
  };

  app.get('/', hide, async (_req, reply) => send('index.html', reply));

  app.get<{ Params: { file: string } }>('/ui/:file', hide, async (req, reply) => send(req.params.file, reply));

  const configDocs = {
    // It holds the owner token.
    config: { scope: 'owner' as const },
    schema: {
      tags: ['dashboard'],
      summary: "The dashboard's own data: the API and MCP addresses, the token, one-click MCP set-up for this machine (none holds the token)",
      description: 'Read by the dashboard page at / (HTML); scripts already have what it holds.',
    },
  };
  app.get('/api/dashboard/config', configDocs, async (req): Promise<DashboardConfig> => {
    const apiUrl = `http://${req.headers.host ?? '127.0.0.1'}`;
    // Demo mode is the one that mounts the simulator's controls.
    const demo = app.hasRoute({ method: 'POST', url: '/api/simulator/link' });
    const entry = stdio === undefined ? checkoutStdioEntry({ demo, dataDir: null }) : stdio;
    // This account's set-up: /mcp and `whatsapp` for the default, /mcp/<id> and `whatsapp-<id>` (with --account) for another.
    if (!entry) return { api_url: apiUrl, mcp_url: accountMcpUrl(apiUrl, account), token, demo, install: [] };
    return { api_url: apiUrl, token, demo, ...accountInstall({ api_url: apiUrl }, entry, account) };
  });
};
