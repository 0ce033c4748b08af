import { rm } from 'node:fs/promises';
import type { Browser, BrowserContext } from 'playwright-core';
import type { Bridge } from '../../src/bridge.js';
import { startDemoBridge, tempDataDir, waitForState, type Caller } from './bridge.js';
import { launchChromium } from './playwright.js';

/** The window sizes the dashboard's UI tests look at: 420 and 860 px, light and dark. */
export const UI_SIZES = [420, 860].flatMap((width) => (['light', 'dark'] as const).map((scheme) => [width, scheme] as const));

export interface LinkedDashboard {
  /** The bridge's data dir (a test may start the bridge again on it). */
  dir: string;
  /** The bridge running now: a test that restarts it puts the new one here, and `close` stops that. */
  bridge: Bridge & { call: Caller };
  browser: Browser;
  /** One browser context per size ("860-light"), each already signed in to the dashboard (its token cookie set). */
  contexts: Map<string, BrowserContext>;
  close(): Promise<void>;
}

async function post(bridge: Bridge & { call: Caller }, p: string): Promise<void> {
  const res = await bridge.call(p, { method: 'POST', json: {} });
  if (res.status !== 200) throw new Error(`${p} answered ${res.status}: ${JSON.stringify(res.body)}`);
}

/**
 * The demo bridge linked to its simulated phone, and a real Chromium signed in to its
 * dashboard at every UI size: what the dashboard's UI tests start from.
 */
export async function linkedDemoDashboard(prefix: string, opts: { clipboard?: boolean } = {}): Promise<LinkedDashboard> {
  const dir = tempDataDir(prefix);
  const bridge = await startDemoBridge(dir);
  let browser: Browser | null = null;
  const contexts = new Map<string, BrowserContext>();
  try {
    await post(bridge, '/api/auth/start');
    await waitForState(bridge.call, 'qr');
    await post(bridge, '/api/simulator/link');
    await waitForState(bridge.call, 'ready');
    browser = await launchChromium();
    for (const [width, scheme] of UI_SIZES) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
      if (opts.clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: bridge.url });
      const p = await context.newPage();
      await p.goto(`${bridge.url}/?token=${bridge.token}`);
      await p.close();
      contexts.set(`${width}-${scheme}`, context);
    }
  } catch (err) {
    // Nothing is left running when the set-up fails half-way.
    await browser?.close();
    await bridge.stop();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const opened = browser;
  const ui: LinkedDashboard = {
    dir,
    bridge,
    browser: opened,
    contexts,
    async close() {
      await opened.close();
      await ui.bridge.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return ui;
}
