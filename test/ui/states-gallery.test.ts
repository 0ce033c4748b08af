import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TOKEN, type TestServer } from '../helpers/http.js';
import { chromiumPath, launchChromium, SCREENSHOT_DIR } from '../helpers/playwright.js';
import { seriousViolations } from './axe.js';

/**
 * Every state a person can meet, in the dashboard at `/` (the real bridge's HTTP surface over
 * an in-memory session), at the window's sizes (420 px minimum, 860 default, 1280 wide), light
 * and dark: nothing wider than the window, no serious accessibility problem, and a screenshot
 * of each for review (UI_SHOTS_DIR, else test-results/screenshots/states).
 */
const SHOTS = process.env.UI_SHOTS_DIR ?? path.join(SCREENSHOT_DIR, 'states');

/** The bridge's own words for these causes (src/whatsapp/wwebjs-session.ts); the demo e2e test pins them. */
const ERRORS = {
  reconnecting: 'WhatsApp disconnected (NAVIGATION); reconnecting in 4 s (attempt 2).',
  gaveUp: 'WhatsApp disconnected (NAVIGATION); gave up reconnecting after 10 attempts. Call POST /api/auth/start.',
  conflict: 'WhatsApp Web was opened on another computer or browser. Call POST /api/auth/start to use it here again.',
  phoneLogout: 'The phone logged this device out (Linked devices). Link again with POST /api/auth/start.',
  authFailure: 'WhatsApp rejected the saved session: UNPAIRED',
  noChrome: 'No Chrome, Chromium or Edge found on this machine. Install one, or set WHATSAPP_CHROME_EXECUTABLE to its executable.',
};

interface Scene {
  name: string;
  title: string | RegExp;
  setUp(srv: TestServer, page: Page): Promise<void>;
}

const QR = '2@gallery-ref,key,identity,secret';

const SCENES: Scene[] = [
  { name: 'stopped', title: 'Not linked', setUp: async (s) => s.session.set('stopped', { lastError: null }) },
  { name: 'starting', title: 'Starting WhatsApp Web…', setUp: async (s) => s.session.set('starting', { lastError: null }) },
  { name: 'qr', title: 'Waiting for your phone', setUp: async (s) => s.session.set('qr', { qr: QR, lastError: null }) },
  {
    name: 'pairing-code',
    title: 'Waiting for your phone',
    setUp: async (s, page) => {
      s.session.set('qr', { qr: QR, lastError: null });
      await page.goto(`${s.url}/`);
      await page.getByLabel('Your WhatsApp number, with country code').fill('+44 7700 900123');
      await page.getByRole('button', { name: 'Get a pairing code' }).click();
      await expect.poll(() => page.locator('#pair-code').textContent()).toBe('ABCD-1234');
    },
  },
  { name: 'authenticated', title: 'Phone linked', setUp: async (s) => s.session.set('authenticated') },
  {
    name: 'ready',
    title: 'Linked as Maximiliana Oberhausener (+447700900123)',
    // 25 characters: the longest names must wrap inside the card, not widen the page.
    setUp: async (s) => s.session.link({ wid: '447700900123@c.us', pushname: 'Maximiliana Oberhausener', platform: 'android' }),
  },
  { name: 'reconnecting', title: 'Reconnecting…', setUp: async (s) => s.session.set('disconnected', { lastError: ERRORS.reconnecting, reconnecting: true }) },
  { name: 'disconnected', title: 'Disconnected', setUp: async (s) => s.session.set('disconnected', { lastError: ERRORS.gaveUp }) },
  { name: 'conflict', title: 'WhatsApp is open in another window', setUp: async (s) => s.session.set('disconnected', { lastError: ERRORS.conflict }) },
  { name: 'phone-logout', title: 'Unlinked from your phone', setUp: async (s) => s.session.set('disconnected', { lastError: ERRORS.phoneLogout }) },
  { name: 'auth-failure', title: 'Linking failed', setUp: async (s) => s.session.set('auth_failure', { lastError: ERRORS.authFailure }) },
  { name: 'chrome-not-found', title: 'WhatsApp Web could not start', setUp: async (s) => s.session.set('stopped', { lastError: ERRORS.noChrome }) },
  {
    name: 'connection-lost',
    title: 'Connection lost',
    setUp: async (s, page) => {
      s.session.link();
      // The bridge stops answering: the event stream and the status are refused.
      await page.route(/\/api\/(events|status)/, (route) => route.abort('connectionrefused'));
      await page.goto(`${s.url}/`);
    },
  },
];

/**
 * The narrowest window in light and the default one in dark on every run; all sizes in both
 * schemes when screenshots are asked for (UI_SHOTS_DIR).
 */
const SIZES: (readonly [number, 'light' | 'dark'])[] = process.env.UI_SHOTS_DIR
  ? [420, 860, 1280].flatMap((w) => (['light', 'dark'] as const).map((s) => [w, s] as const))
  : [
      [420, 'light'],
      [860, 'dark'],
    ];

describe.skipIf(!chromiumPath)('every state of the dashboard, at every window size, light and dark', () => {
  let srv: TestServer;
  let browser: Browser;
  const contexts = new Map<string, BrowserContext>();

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    srv = await startTestServer();
    browser = await launchChromium();
    for (const [width, scheme] of SIZES) {
      const context = await browser.newContext({ viewport: { width, height: 800 }, colorScheme: scheme });
      const page = await context.newPage();
      await page.goto(`${srv.url}/?token=${TOKEN}`);
      await page.close();
      contexts.set(`${width}-${scheme}`, context);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });

  describe.each([
    ['the /qr page', '/qr', 'qr-page'],
    ['/qr once linked', '/qr', 'qr-page-linked'],
    ['the token page', '/?token=wrong', 'token-page'],
  ])('%s', (_name, address, shot) => {
    it.each(SIZES)('at %i px, %s: fits the window, screenshot taken', async (width, scheme) => {
      if (shot === 'qr-page-linked') srv.session.link();
      else srv.session.set('qr', { qr: QR, lastError: null });
      const page = await contexts.get(`${width}-${scheme}`)!.newPage();
      await page.goto(`${srv.url}${address}`);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).isVisible()).toBe(true);
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
      expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
      await page.screenshot({ path: path.join(SHOTS, `${shot}-${width}-${scheme}.png`), fullPage: true });
      await page.close();
    });
  });

  describe.each(SCENES)('$name', (scene) => {
    it.each(SIZES)('at %i px, %s: fits the window, passes axe, screenshot taken', async (width, scheme) => {
      const page = await contexts.get(`${width}-${scheme}`)!.newPage();
      await scene.setUp(srv, page);
      if (page.url() !== `${srv.url}/`) await page.goto(`${srv.url}/`);
      await expect.poll(() => page.locator('#status-title').textContent(), { timeout: 10_000 }).toEqual(scene.title instanceof RegExp ? expect.stringMatching(scene.title) : scene.title);
      if (scene.name === 'qr') await expect.poll(() => page.getByRole('img', { name: /QR code/ }).isVisible()).toBe(true);
      // Every client snippet open: the widest the page gets.
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
      expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
      if (width !== 1280) expect(await seriousViolations(page)).toEqual([]);
      await page.evaluate(() => document.querySelectorAll('details').forEach((d, i) => (d.open = i === 0)));
      await page.screenshot({ path: path.join(SHOTS, `${scene.name}-${width}-${scheme}.png`), fullPage: true });
      await page.close();
    });
  });
});
