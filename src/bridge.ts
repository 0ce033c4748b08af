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
import { Accounts } from './app/accounts.js';
import { DEFAULT_ACCOUNT } from './app/context.js';
import type { AppDeps, AppServices } from './app/index.js';
import { Keys } from './app/keys.js';
import { accountServices, OtherAccounts, type AccountRuntime } from './account-runtimes.js';
import { accountsServerFactory } from './server/accounts-front.js';
import { boundPort } from './server/addresses.js';
import { buildApp } from './server/app.js';
import { checkoutStdioEntry } from './server/routes/dashboard.js';
import type { StdioEntry } from './shared/mcp-install.js';
import { listen } from './server/server.js';
import { createMediaSpool, openStore, STORE_FILE, type AccountRow, type Store } from './store/index.js';
import type { BrowserBinding, WebVersionOptions } from './whatsapp/browser-binding.js';
import { WwebjsSession } from './whatsapp/wwebjs-session.js';

export interface BridgeOptions {
  config: Config;
  log: Logger;
  /** The desktop app binds Electron's Chromium here; headless launches an installed Chrome. */
  browser?: BrowserBinding;
  /** A browser for each account other than the default (the desktop app: a window per account). Headless: not needed. */
  browserFor?: (account: string) => BrowserBinding;
  /** Told when another account's session opens (the desktop app follows its status in the tray). */
  onAccountOpened?: (account: string, session: WwebjsSession) => void;
  /** Told when another account is deleted (however it was: REST, the dashboard, the window). */
  onAccountClosed?: (account: string) => void;
  webVersion?: WebVersionOptions;
  /** Demo mode: the simulator page of each account other than the default (each its own phone). */
  webVersionFor?: (account: AccountRow) => Promise<WebVersionOptions>;
  /** What demo mode adds for an account's session: the simulator's routes, and its phone for the window. */
  demo?: (session: WwebjsSession, account: AccountRow) => DemoHooks;
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
  /** The application of the default account: what REST, MCP and the window call. */
  readonly services: AppServices;
  readonly session: WwebjsSession;
  readonly app: FastifyInstance;
  /** Demo mode only. */
  readonly demo: DemoHooks | null;
  readonly token: string;
  /** e.g. http://127.0.0.1:8790 */
  readonly url: string;
  /** The account registry (issue 14). */
  readonly accounts: Accounts;
  /** An account other than the default, while it runs; null otherwise. */
  account(id: string): AccountRuntime | null;
  stop(): Promise<void>;
}

/**
 * The composition root: token, store, the accounts (each a WhatsApp session, services and an
 * HTTP app), one listening server. Starts an account's WhatsApp by itself only when a linked
 * session was saved; otherwise it waits for a start.
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
  const spool = createMediaSpool(config.dataDir);
  // One set of client keys for every account; a key may be limited to some of them.
  let accounts: Accounts | null = null;
  const keys = new Keys({ account: DEFAULT_ACCOUNT, store, log: log.child({ module: 'keys' }), accountExists: (id) => accounts?.exists(id) ?? id === DEFAULT_ACCOUNT });
  const services = accountServices({ config, log, store, spool, keys, ...(opts.webhooks ? { webhooks: opts.webhooks } : {}) }, DEFAULT_ACCOUNT, session);
  const defaultRow = store.accounts.get(DEFAULT_ACCOUNT)!;
  const demo = opts.demo?.(session, defaultRow) ?? null;
  let app: FastifyInstance | null = null;
  const port = (): number => boundPort(app!.server);
  const http = {
    token,
    version: appVersion(),
    extraHosts: isLoopbackAddress(config.host) || config.host === '0.0.0.0' || config.host === '::' ? [] : [config.host],
    port,
    // Every account's dashboard offers the same stdio entry (with --account for another).
    stdio: opts.stdio ?? checkoutStdioEntry({ demo: config.demo, dataDir: config.dataDir }),
    // A tool call on any account's MCP session may name another account.
    servicesOf: (id: string): AppServices | null => (id === DEFAULT_ACCOUNT ? services : (others.get(id)?.services ?? null)),
  };
  const others = new OtherAccounts(
    {
      config,
      log,
      store,
      spool,
      keys,
      http: { ...http, get accounts() { return accounts!; } },
      ...(opts.browser ? { browser: opts.browser } : {}),
      ...(opts.browserFor ? { browserFor: opts.browserFor } : {}),
      ...(opts.onAccountOpened ? { onOpened: opts.onAccountOpened } : {}),
      ...(opts.onAccountClosed ? { onClosed: opts.onAccountClosed } : {}),
      ...(opts.webVersionFor ? { webVersionFor: opts.webVersionFor } : {}),
      ...(opts.demo ? { demo: opts.demo } : {}),
      ...(opts.webhooks ? { webhooks: opts.webhooks } : {}),
    },
    session,
  );
  const registry = new Accounts(store, others, log.child({ module: 'accounts' }));
  accounts = registry;
  app = await buildApp({
    ...http,
    services,
    accounts: registry,
    log: log.child({ module: 'http' }),
    extensions: demo?.routes ?? [],
    serverFactory: accountsServerFactory((id) => others.get(id)?.app ?? null),
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
  for (const account of registry.others()) {
    await others.open(account, { link: false }).catch((err: unknown) => log.warn({ account: account.id, err: describeError(err) }, 'could not open the account'));
  }
  const listening = app;
  return {
    services,
    session,
    app: listening,
    demo,
    token,
    url,
    accounts: registry,
    account: (id) => others.get(id),
    async stop() {
      removeRuntimeInfo(config.dataDir);
      await listening.close();
      await others.closeAll();
      services.close();
      await session.close();
      store.close();
    },
  };
}
