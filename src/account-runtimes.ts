import { rmSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AccountRuntimes } from './app/accounts.js';
import { createServices, type AppDeps, type AppServices } from './app/index.js';
import type { Keys } from './app/keys.js';
import type { Config } from './core/config.js';
import { DEFAULT_HISTORY_CHATS, DEFAULT_HISTORY_MESSAGES } from './core/config.js';
import { AppError, describeError } from './core/errors.js';
import type { Logger } from './core/logger.js';
import { makePrivateDir } from './core/private-dir.js';
import type { SessionSnapshot } from './core/status.js';
import type { HttpDeps } from './server/app.js';
import { buildApp } from './server/app.js';
import type { AccountRow, MediaSpool, Store } from './store/index.js';
import type { BrowserBinding, WebVersionOptions } from './whatsapp/browser-binding.js';
import { WwebjsSession } from './whatsapp/wwebjs-session.js';
import type { DemoHooks } from './bridge.js';

/** One account's running parts: its WhatsApp session, its services and its HTTP app. */
export interface AccountRuntime {
  readonly id: string;
  readonly session: WwebjsSession;
  readonly services: AppServices;
  readonly app: FastifyInstance;
  readonly demo: DemoHooks | null;
}

/** Where an account other than the default keeps its files: `<dataDir>/accounts/<id>`. */
export const accountDir = (dataDir: string, id: string): string => path.join(dataDir, 'accounts', id);

export interface RuntimesDeps {
  config: Config;
  log: Logger;
  store: Store;
  spool: MediaSpool;
  keys: Keys;
  /** The desktop app's browser; it hosts one account, so other accounts need `browserFor`. */
  browser?: BrowserBinding;
  browserFor?: (account: string) => BrowserBinding;
  /** Told when an account's session opens, before it starts. */
  onOpened?: (account: string, session: WwebjsSession) => void;
  /** Told when an account is deleted, once it takes no more requests. */
  onClosed?: (account: string) => void;
  /** The default account's WhatsApp Web page (the simulator in demo mode). */
  webVersion?: WebVersionOptions;
  /** Demo mode: each other account's own simulator page. */
  webVersionFor?: (account: AccountRow) => Promise<WebVersionOptions>;
  demo?: (session: WwebjsSession, account: AccountRow) => DemoHooks;
  webhooks?: AppDeps['webhooks'];
  /** What every account's app shares: token, version, hosts, the registry, the port. */
  http: Omit<HttpDeps, 'services' | 'log' | 'extensions' | 'serverFactory'>;
}

/** The services of one account, with the bridge's settings (pace, media folders, history import). */
export function accountServices(deps: Pick<RuntimesDeps, 'config' | 'log' | 'store' | 'spool' | 'keys' | 'webhooks'>, account: string, session: WwebjsSession): AppServices {
  const { config } = deps;
  return createServices({
    account,
    session,
    store: deps.store,
    spool: deps.spool,
    log: deps.log,
    keys: deps.keys,
    pace: { perMinute: config.sendPerMinute, burst: config.sendBurst },
    mediaDirs: config.mediaDirs,
    firstImport: { chats: config.historyChats ?? DEFAULT_HISTORY_CHATS, perChat: config.historyMessages ?? DEFAULT_HISTORY_MESSAGES },
    ...(deps.webhooks ? { webhooks: deps.webhooks } : {}),
    ...(config.approvalTimeoutSeconds !== undefined ? { approvalTimeoutMs: config.approvalTimeoutSeconds * 1000 } : {}),
  });
}

/**
 * The accounts other than the default one (issue 14), each with a browser profile of its
 * own (`<dataDir>/accounts/<id>/session`, a Chromium process of its own), its services and
 * a Fastify app that does not listen: the default account's server hands it the requests
 * that name it (server/accounts-front.ts). A browser that crashes or a phone that logs out
 * touches only its own account.
 */
export class OtherAccounts implements AccountRuntimes {
  private readonly running = new Map<string, AccountRuntime>();

  constructor(
    private readonly deps: RuntimesDeps,
    /** The default account's session, which the registry lists like the others. */
    private readonly defaultSession: WwebjsSession,
  ) {}

  get(id: string): AccountRuntime | null {
    return this.running.get(id) ?? null;
  }

  all(): AccountRuntime[] {
    return [...this.running.values()];
  }

  snapshot(id: string): SessionSnapshot | null {
    return id === 'default' ? this.defaultSession.snapshot() : (this.running.get(id)?.session.snapshot() ?? null);
  }

  async open(account: AccountRow, { link }: { link: boolean }): Promise<void> {
    if (this.running.has(account.id)) return;
    const { deps } = this;
    if (deps.browser && !deps.browserFor) {
      throw new AppError('BROWSER_UNAVAILABLE', 'This desktop app runs one WhatsApp account in its window for now: run the headless bridge (npm run headless) to use several accounts.');
    }
    const dir = accountDir(deps.config.dataDir, account.id);
    makePrivateDir(dir);
    const log = deps.log.child({ account: account.id });
    const webVersion = deps.webVersionFor ? await deps.webVersionFor(account) : undefined;
    const session = new WwebjsSession({
      authDir: path.join(dir, 'session'),
      dataDir: dir,
      headless: deps.config.headless,
      chromeExecutable: deps.config.chromeExecutable,
      log: log.child({ module: 'session' }),
      ...(deps.browserFor ? { browser: deps.browserFor(account.id) } : {}),
      ...(webVersion ? { webVersion } : {}),
    });
    const services = accountServices({ ...deps, log }, account.id, session);
    const demo = deps.demo?.(session, account) ?? null;
    const app = await buildApp({ ...deps.http, services, log: log.child({ module: 'http' }), extensions: demo?.routes ?? [] });
    try {
      await app.ready();
      await services.start();
    } catch (err) {
      services.close();
      await app.close();
      throw err;
    }
    this.running.set(account.id, { id: account.id, session, services, app, demo });
    deps.onOpened?.(account.id, session);
    // Linking a new account: answered once its WhatsApp Web is starting, so the next call finds it under way.
    if (link) await session.start().catch((err: unknown) => log.warn({ err: describeError(err) }, "could not start the account's WhatsApp session"));
    else if (session.hasSavedSession()) session.start().catch((err: unknown) => log.warn({ err: describeError(err) }, "could not restore the account's WhatsApp session"));
  }

  async discard(id: string): Promise<void> {
    const rt = this.running.get(id);
    // Out of the map first: from now on requests for it are answered ACCOUNT_NOT_FOUND.
    this.running.delete(id);
    this.deps.onClosed?.(id);
    if (rt) {
      // Stops taking requests and sends first, then unlinks the phone (a ready session) and closes the browser.
      await rt.app.close();
      rt.services.close();
      await rt.session.logout().catch((err: unknown) => this.deps.log.warn({ account: id, err: describeError(err) }, 'logout of a deleted account failed; its files are removed anyway'));
    }
    rmSync(accountDir(this.deps.config.dataDir, id), { recursive: true, force: true, maxRetries: 4 });
  }

  /** Stops every account (the bridge stops); their links are kept. */
  async closeAll(): Promise<void> {
    const all = this.all();
    this.running.clear();
    await Promise.all(all.map((rt) => this.stop(rt)));
  }

  private async stop(rt: AccountRuntime): Promise<void> {
    await rt.app.close();
    rt.services.close();
    await rt.session.close();
  }
}
