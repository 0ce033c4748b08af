import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Config } from './core/config.js';
import { isLoopbackAddress } from './core/config.js';
import { describeError } from './core/errors.js';
import type { Logger } from './core/logger.js';
import { makePrivateDir } from './core/private-dir.js';
import { removeRuntimeInfo, writeRuntimeInfo } from './core/runtime-file.js';
import { loadOrCreateToken } from './core/token.js';
import { appVersion } from './core/version.js';
import path from 'node:path';
import { createServices, type AppDeps, type AppServices } from './app/index.js';
import { buildApp } from './server/app.js';
import { checkoutStdioEntry } from './server/routes/dashboard.js';
import type { StdioEntry } from './shared/mcp-install.js';
import { listen } from './server/server.js';
import { createMediaSpool, openStore, STORE_FILE, type Store } from './store/index.js';
import type { BrowserBinding, WebVersionOptions } from './whatsapp/browser-binding.js';
import { WwebjsSession } from './whatsapp/wwebjs-session.js';

export interface BridgeOptions {
  config: Config;
  log: Logger;
  /** The desktop app binds Electron's Chromium here; headless launches an installed Chrome. */
  browser?: BrowserBinding;
  webVersion?: WebVersionOptions;
  /** What demo mode adds for this session: the simulator's routes, and its phone for the window. */
  demo?: (session: WwebjsSession) => DemoHooks;
  /** The webhook dispatcher's timing (retry schedule, poll interval); the product's defaults unless given (tests shorten them). */
  webhooks?: AppDeps['webhooks'];
  /** How MCP clients start the stdio entry (the desktop app's own executable); default: this checkout's scripts/run.mjs. */
  stdio?: StdioEntry;
}

export interface DemoHooks {
  routes: FastifyPluginAsync[];
  /** The simulated phone scans the QR code (or enters the pairing code). */
  linkPhone(): Promise<void>;
}

export interface Bridge {
  /** The application: what REST, MCP and the window call. */
  readonly services: AppServices;
  readonly session: WwebjsSession;
  readonly app: FastifyInstance;
  /** Demo mode only. */
  readonly demo: DemoHooks | null;
  readonly token: string;
  /** e.g. http://127.0.0.1:8790 */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * The composition root: token, store, WhatsApp session, the application, HTTP server. Starts
 * WhatsApp by itself only when a linked session was saved; otherwise it waits for a start.
 */
export async function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const { config, log } = opts;
  // Before anything else writes there (a configured token means no token file is made).
  makePrivateDir(config.dataDir);
  const token = loadOrCreateToken(config.dataDir, config.token);
  // The store first: a second bridge on this data dir stops here (STORE_LOCKED), before it touches the browser profile.
  const store: Store = openStore({ file: path.join(config.dataDir, STORE_FILE), log: log.child({ module: 'store' }) });
  const session = new WwebjsSession({
    authDir: config.authDir,
    dataDir: config.dataDir,
    headless: config.headless,
    chromeExecutable: config.chromeExecutable,
    log: log.child({ module: 'session' }),
    ...(opts.browser ? { browser: opts.browser } : {}),
    ...(opts.webVersion ? { webVersion: opts.webVersion } : {}),
  });
  const services = createServices({
    session,
    store,
    spool: createMediaSpool(config.dataDir),
    log,
    pace: { perMinute: config.sendPerMinute, burst: config.sendBurst },
    mediaDirs: config.mediaDirs,
    ...(opts.webhooks ? { webhooks: opts.webhooks } : {}),
    ...(config.approvalTimeoutSeconds !== undefined ? { approvalTimeoutMs: config.approvalTimeoutSeconds * 1000 } : {}),
  });
  const demo = opts.demo?.(session) ?? null;
  const app = await buildApp({
    services,
    token,
    log: log.child({ module: 'http' }),
    version: appVersion(),
    extraHosts: isLoopbackAddress(config.host) || config.host === '0.0.0.0' || config.host === '::' ? [] : [config.host],
    extensions: demo?.routes ?? [],
    stdio: opts.stdio ?? checkoutStdioEntry({ demo: config.demo, dataDir: config.dataDir }),
  });
  let url: string;
  try {
    ({ url } = await listen(app, config.host, config.port));
  } catch (err) {
    await app.close();
    store.close();
    throw err;
  }
  await services.start();
  writeRuntimeInfo(config.dataDir, { url, pid: process.pid, token });
  if (session.hasSavedSession()) {
    session.start().catch((err: unknown) => log.warn({ err: describeError(err) }, 'could not restore the saved WhatsApp session'));
  }
  return {
    services,
    session,
    app,
    demo,
    token,
    url,
    async stop() {
      removeRuntimeInfo(config.dataDir);
      await app.close();
      services.close();
      await session.close();
      store.close();
    },
  };
}
