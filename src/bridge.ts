import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Config } from './core/config.js';
import { isLoopbackAddress } from './core/config.js';
import { describeError } from './core/errors.js';
import type { Logger } from './core/logger.js';
import { makePrivateDir } from './core/private-dir.js';
import { loadOrCreateToken } from './core/token.js';
import { appVersion } from './core/version.js';
import { buildApp } from './server/app.js';
import { listen } from './server/server.js';
import type { WhatsAppService } from './server/service.js';
import type { WhatsAppSession } from './whatsapp/session.js';
import type { BrowserBinding, WebVersionOptions } from './whatsapp/browser-binding.js';
import { WwebjsSession } from './whatsapp/wwebjs-session.js';

export interface BridgeOptions {
  config: Config;
  log: Logger;
  /** The desktop app binds Electron's Chromium here; headless launches an installed Chrome. */
  browser?: BrowserBinding;
  webVersion?: WebVersionOptions;
  /** Extra routes built for this session (the simulator's controls in demo mode). */
  extensions?: (session: WwebjsSession) => FastifyPluginAsync<{ service: WhatsAppService }>[];
}

export interface Bridge {
  readonly session: WwebjsSession;
  readonly app: FastifyInstance;
  readonly token: string;
  /** e.g. http://127.0.0.1:8790 */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * The composition root: token, WhatsApp session, HTTP server. Starts WhatsApp by itself
 * only when a linked session was saved; otherwise it waits for /api/auth/start.
 */
export async function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const { config, log } = opts;
  // Before anything else writes there (a configured token means no token file is made).
  makePrivateDir(config.dataDir);
  const token = loadOrCreateToken(config.dataDir, config.token);
  const session = new WwebjsSession({
    authDir: config.authDir,
    dataDir: config.dataDir,
    headless: config.headless,
    chromeExecutable: config.chromeExecutable,
    log: log.child({ module: 'session' }),
    ...(opts.browser ? { browser: opts.browser } : {}),
    ...(opts.webVersion ? { webVersion: opts.webVersion } : {}),
  });
  const app = await buildApp({
    session: session as WhatsAppSession,
    token,
    log: log.child({ module: 'http' }),
    version: appVersion(),
    extraHosts: isLoopbackAddress(config.host) || config.host === '0.0.0.0' || config.host === '::' ? [] : [config.host],
    sendPace: { perMinute: config.sendPerMinute, burst: config.sendBurst },
    mediaDirs: config.mediaDirs,
    extensions: opts.extensions?.(session) ?? [],
  });
  let url: string;
  try {
    ({ url } = await listen(app, config.host, config.port));
  } catch (err) {
    await app.close();
    throw err;
  }
  if (session.hasSavedSession()) {
    session.start().catch((err: unknown) => log.warn({ err: describeError(err) }, 'could not restore the saved WhatsApp session'));
  }
  return {
    session,
    app,
    token,
    url,
    async stop() {
      await app.close();
      await session.close();
    },
  };
}
