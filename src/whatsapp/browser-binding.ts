import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import type { ConnectionTransport } from 'puppeteer-core';
import { AppError, describeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { chromeIsUsable, chromiumArgs, findChrome, runningAsRoot } from './browser.js';

/** The parts of a whatsapp-web.js Client these helpers touch. */
interface ClientWithBrowser {
  pupBrowser?: unknown;
  destroy(): Promise<void>;
}

export interface WebVersionOptions {
  webVersionCache: { type: 'local'; path: string; strict?: boolean };
  webVersion?: string;
}

/**
 * How whatsapp-web.js gets its browser. The default launches an installed Chrome over a
 * pipe; the desktop app binds Electron's own Chromium instead, by handing a `transport` that
 * reaches one page (whatsapp-web.js then connects to it rather than launching a browser).
 */
export interface BrowserBinding {
  /** Display name for the status object (`chrome_executable`). */
  readonly description: string | null;
  /**
   * Options handed to whatsapp-web.js as its `puppeteer` option, called once per browser
   * start; throws an AppError when unusable. With `transport`, the page is reached through it.
   */
  puppeteerOptions(): Record<string, unknown> & { transport?: ConnectionTransport };
  /** Forgets the logged-in page's storage when it lives outside `authDir` (Electron's partition). */
  clearStorage?(): Promise<void>;
}

/**
 * whatsapp-web.js connects to an existing browser only when `browserWSEndpoint` or
 * `browserURL` is set, while puppeteer.connect() wants exactly one of those or `transport`.
 * The marker endpoint satisfies the first check; whatsapp-web.js's own puppeteer instance (it
 * requires 'puppeteer', not our puppeteer-core) drops it again when a transport rides along.
 */
const IN_PROCESS_ENDPOINT = 'in-process://single-page-transport';

let transportConnectEnabled = false;
function enableTransportConnect(): void {
  if (transportConnectEnabled) return;
  const fromWwebjs = createRequire(createRequire(import.meta.url).resolve('whatsapp-web.js'));
  const puppeteer = fromWwebjs('puppeteer') as { connect(opts: Record<string, unknown>): Promise<unknown> };
  const connect = puppeteer.connect;
  puppeteer.connect = (opts) =>
    connect(opts.transport && opts.browserWSEndpoint === IN_PROCESS_ENDPOINT ? { ...opts, browserWSEndpoint: undefined } : opts);
  transportConnectEnabled = true;
}

/** The `puppeteer` option for whatsapp-web.js from a binding, with the transport marker when needed. */
export function puppeteerOptionsFor(binding: BrowserBinding): Record<string, unknown> {
  const options = binding.puppeteerOptions();
  if (!options.transport) return options;
  enableTransportConnect();
  return { ...options, browserWSEndpoint: IN_PROCESS_ENDPOINT };
}

/** Launches an installed Chrome, Chromium or Edge; CDP over a pipe, never a TCP port. */
export class LaunchedChrome implements BrowserBinding {
  readonly description: string | null;

  constructor(
    private readonly configured: string | null,
    private readonly headless: boolean,
  ) {
    this.description = configured ?? findChrome();
  }

  puppeteerOptions(): Record<string, unknown> {
    const executablePath = this.configured ?? findChrome();
    if (!executablePath) {
      throw new AppError(
        'BROWSER_UNAVAILABLE',
        'No Chrome, Chromium or Edge found on this machine. Install one, or set WHATSAPP_CHROME_EXECUTABLE to its executable.',
      );
    }
    if (!chromeIsUsable(executablePath)) {
      throw new AppError('BROWSER_UNAVAILABLE', `Chrome not found at ${executablePath}; set WHATSAPP_CHROME_EXECUTABLE to an installed Chrome, Chromium or Edge.`);
    }
    return {
      executablePath,
      headless: this.headless,
      pipe: true,
      defaultViewport: null,
      args: [...chromiumArgs({ noSandbox: runningAsRoot() }), `--user-agent=${desktopUserAgent(executablePath)}`],
    };
  }
}

/**
 * WhatsApp Web turns away headless and outdated browsers, so the page gets a normal
 * desktop user agent for the browser's real major version.
 */
export function desktopUserAgent(executablePath: string | null, platform: NodeJS.Platform = process.platform): string {
  const key = `${platform}:${executablePath ?? ''}`;
  let ua = userAgents.get(key);
  if (!ua) userAgents.set(key, (ua = buildUserAgent(executablePath, platform)));
  return ua;
}

/** `chrome --version` blocks for a moment: once per executable, not at every (re)launch. */
const userAgents = new Map<string, string>();

function buildUserAgent(executablePath: string | null, platform: NodeJS.Platform): string {
  let major = '140';
  if (executablePath && platform !== 'win32') {
    try {
      const out = execFileSync(executablePath, ['--version'], { timeout: 5000, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      major = /(\d+)\.\d+\.\d+/.exec(out)?.[1] ?? major;
    } catch {
      // Keep the default: a wrong minor detail in the UA is harmless, a crash here is not.
    }
  }
  const os =
    platform === 'win32' ? 'Windows NT 10.0; Win64; x64' : platform === 'darwin' ? 'Macintosh; Intel Mac OS X 10_15_7' : 'X11; Linux x86_64';
  return `Mozilla/5.0 (${os}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36`;
}

/**
 * puppeteer's PipeTransport drops its error listeners when it closes, so a pipe error from
 * the dying browser afterwards (ECONNRESET) would be an uncaught exception and end the
 * process. These listeners outlive the transport.
 */
export function guardPipes(client: ClientWithBrowser, log: Logger): void {
  const proc = (client.pupBrowser as { process?(): { stdio: readonly unknown[] } | null } | undefined)?.process?.();
  for (const stream of proc?.stdio ?? []) {
    const s = stream as { on?(event: 'error', fn: (err: Error) => void): void; __waGuarded?: boolean } | null;
    if (!s?.on || s.__waGuarded) continue;
    s.__waGuarded = true;
    s.on('error', (err) => log.debug({ err: err.message }, 'browser pipe error after close (ignored)'));
  }
}

export async function destroyQuietly(client: ClientWithBrowser, log: Logger): Promise<void> {
  guardPipes(client, log);
  try {
    await withTimeout(client.destroy(), 10_000);
  } catch (err) {
    log.warn({ err: describeError(err) }, 'browser did not close in time; killing it');
    (client.pupBrowser as { process?(): { kill(sig: string): void } | null } | undefined)?.process?.()?.kill('SIGKILL');
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(describeError(e)));
      },
    );
  });
}
