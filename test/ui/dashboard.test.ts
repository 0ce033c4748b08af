import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { buildApp } from '../../src/server/app.js';
import { qrImage } from '../../src/app/qr.js';
import { startServices } from '../helpers/services.js';
import { startTestServer, TOKEN, type TestServer } from '../helpers/http.js';
import { chromiumPath, launchChromium, screenshot } from '../helpers/playwright.js';
import { seriousViolations } from './axe.js';

/**
 * The pages the bridge serves to a person — the dashboard at `/`, the link page at `/qr`, the
 * token page and /docs — from the real HTTP server over an in-memory session, in real Chromium.
 */
const title = (page: Page) => page.locator('#status-title').textContent();
/** The longest wait between two reconnect attempts of the page's event stream (retryDelay in renderer/event-stream.js). */
const RETRY_MAX_MS = 3000;
/** While disconnected the page re-reads the status this often (DISCONNECTED_RECHECK_MS in renderer/backend.js). */
const DISCONNECTED_RECHECK_MS = 5000;
const QR_A = '2@first-ref,key,identity,secret';
const QR_B = '2@second-ref,key,identity,secret';

describe.skipIf(!chromiumPath)('the pages the bridge serves to a person, in real Chromium', () => {
  let srv: TestServer;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    srv = await startTestServer();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 860, height: 760 } });
    const page = await context.newPage();
    await page.goto(`${srv.url}/?token=${TOKEN}`);
    await page.close();
  });

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });

  it('regression: an open dashboard kept showing "Linked" after the bridge stopped', async () => {
    const own = await startTestServer();
    const port = Number(new URL(own.url).port);
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(`${own.url}/?token=${TOKEN}`);
    await expect.poll(() => title(page)).toBe('Not linked');
    // The event stream says the state changed: no poll, no clock needed.
    own.session.link();
    await expect.poll(() => title(page)).toBe('Linked as Test Me (+15550000000)');

    // The stream ends with the bridge; the page's immediate reconnect is refused, and it says so at once.
    await own.close();
    await expect.poll(() => title(page)).toBe('Connection lost');
    expect(await page.locator('#status-text').textContent()).toMatch(/cannot reach WhatsApp MCP Desktop/);
    expect(await page.locator('#status-dot').getAttribute('class')).toBe('dot error');
    expect(await page.title()).toBe('Connection lost — WhatsApp MCP Desktop');
    expect(await page.getByRole('button', { name: /Log out/ }).count()).toBe(0);
    await screenshot(page, 'dashboard-connection-lost');

    // The bridge comes back on the same port (same token, so the cookie still opens it).
    const { services, dispose } = await startServices(own.session);
    const again = await buildApp({ services, token: TOKEN, log: silentLogger(), version: '0.0.0-test' });
    await again.listen({ host: '127.0.0.1', port });
    try {
      await page.clock.runFor(RETRY_MAX_MS);
      await expect.poll(() => title(page)).toBe('Linked as Test Me (+15550000000)');
      expect(await page.locator('#announcer').textContent()).toBe('Connected again.');
    } finally {
      await page.close();
      await again.close();
      dispose();
    }
  });

  it('a reconnect that gives up (still "disconnected", so no event in the log) still reaches the page', async () => {
    const page = await context.newPage();
    await page.clock.install();
    srv.session.link();
    await page.goto(`${srv.url}/`);
    await expect.poll(() => title(page)).toMatch(/^Linked as/);
    srv.session.set('disconnected', { lastError: 'WhatsApp disconnected (NAVIGATION); reconnecting in 4 s (attempt 2).', reconnecting: true });
    await expect.poll(() => title(page)).toBe('Reconnecting…');
    srv.session.set('disconnected', { lastError: 'WhatsApp disconnected (NAVIGATION); gave up reconnecting after 10 attempts: start again.', reconnecting: false });
    await page.clock.runFor(DISCONNECTED_RECHECK_MS);
    await expect.poll(() => title(page)).toBe('Disconnected');
    await page.close();
  });

  describe('regression: /qr reloaded itself every 5 s (axe: meta-refresh), could show a code 5 s stale, and had no way to the dashboard', () => {
    it('replaces the code in place when WhatsApp rotates it, and follows the state without reloading', async () => {
      srv.session.set('qr', { qr: QR_A, lastError: null });
      const page = await context.newPage();
      await page.clock.install();
      await page.goto(`${srv.url}/qr`);
      expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
      const img = page.getByRole('img', { name: /QR code to link WhatsApp/ });
      expect(await img.getAttribute('src')).toBe(await qrImage(QR_A));
      expect(await page.title()).toBe('Waiting for your phone — Link WhatsApp — WhatsApp MCP Desktop');
      expect(await page.locator('main').innerText()).toMatch(/changes about every 20 seconds/);
      expect(await page.locator('main').innerText()).toContain('Menu ⋮ on Android or Settings on iPhone');
      expect(await page.locator('body').innerText()).not.toMatch(/tray/i);
      await page.evaluate(() => ((window as unknown as { __samePage: boolean }).__samePage = true));

      srv.session.set('qr', { qr: QR_B });
      await page.clock.runFor(1000);
      await expect.poll(async () => (await img.getAttribute('src')) === (await qrImage(QR_B))).toBe(true);

      srv.session.link();
      await expect.poll(() => title(page)).toBe('Linked as Test Me (+15550000000)');
      expect(await img.isVisible()).toBe(false);
      expect(await page.title()).toBe('Linked — Link WhatsApp — WhatsApp MCP Desktop');
      expect(await page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage)).toBe(true);

      await page.getByRole('link', { name: 'Open the dashboard' }).click();
      await page.waitForURL(`${srv.url}/`);
      await expect.poll(() => title(page)).toMatch(/^Linked as/);
      await page.close();
    });

    it('the code has the 4-module white border phones need', async () => {
      srv.session.set('qr', { qr: QR_A, lastError: null });
      const page = await context.newPage();
      await page.goto(`${srv.url}/qr`);
      // scale 8: one module is 8 px, so the first dark pixel is 32 px in from each edge.
      const border = await page.getByRole('img', { name: /QR code/ }).evaluate(async (img: HTMLImageElement) => {
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.naturalWidth;
        canvas.height = img.naturalHeight;
        const c = canvas.getContext('2d')!;
        c.drawImage(img, 0, 0);
        const { data, width, height } = c.getImageData(0, 0, canvas.width, canvas.height);
        let top = height;
        let left = width;
        for (let y = 0; y < height; y++) {
          for (let x = 0; x < width; x++) {
            if (data[(y * width + x) * 4]! < 128) {
              top = Math.min(top, y);
              left = Math.min(left, x);
            }
          }
        }
        return { top, left };
      });
      expect(border).toEqual({ top: 32, left: 32 });
      await page.close();
    });
  });

  describe('regression: the token page said the same for a wrong and a missing token, and had no field to paste one', () => {
    it('says which it is, and the pasted token opens the page that was asked for', async () => {
      const fresh = await browser.newContext();
      const page = await fresh.newPage();
      const missing = await page.goto(`${srv.url}/qr`);
      expect(missing?.status()).toBe(401);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Token required');
      expect(await page.title()).toBe('Token required — WhatsApp MCP Desktop');
      await screenshot(page, 'token-page-missing');

      await page.getByLabel('API token').fill('not-the-token');
      await page.getByRole('button', { name: 'Open' }).click();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('That token does not match');

      await page.getByLabel('API token').fill(TOKEN);
      await page.getByRole('button', { name: 'Open' }).click();
      await page.waitForURL(`${srv.url}/qr`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Link WhatsApp');
      await fresh.close();
    });
  });

  describe('axe-core: no serious or critical problem, light and dark, at 420 and 860 px', () => {
    const SIZES = [420, 860].flatMap((width) => (['light', 'dark'] as const).map((scheme) => [width, scheme] as const));

    it.each(SIZES)('the dashboard, /qr and the token page at %i px, %s', async (width, scheme) => {
      const ctx = await browser.newContext({ viewport: { width, height: 800 }, colorScheme: scheme });
      const page = await ctx.newPage();
      const found: Record<string, unknown> = {};

      await page.goto(`${srv.url}/`);
      expect(await page.getByRole('heading', { name: 'Token required' }).isVisible()).toBe(true);
      found['token page'] = await seriousViolations(page);

      await page.goto(`${srv.url}/?token=${TOKEN}`);
      srv.session.set('qr', { qr: QR_A, lastError: null });
      await page.reload();
      await expect.poll(() => page.getByRole('img', { name: /QR code/ }).isVisible()).toBe(true);
      found['/ (qr)'] = await seriousViolations(page);

      srv.session.link();
      await page.reload();
      await expect.poll(() => title(page)).toMatch(/^Linked as/);
      found['/ (ready)'] = await seriousViolations(page);

      srv.session.set('qr', { qr: QR_A, lastError: null });
      await page.goto(`${srv.url}/qr`);
      found['/qr'] = await seriousViolations(page);
      expect(found).toEqual({ 'token page': [], '/ (qr)': [], '/ (ready)': [], '/qr': [] });
      await ctx.close();
    });
  });

  describe('regression: /docs listed the page plumbing in an undocumented "default" group, with no favicon or title of its own', () => {
    it('every documented route has a group, the page files are left out, and /mcp says what it is', async () => {
      const { body } = await srv.call('/openapi.json');
      const operations = Object.entries(body.paths as Record<string, Record<string, { tags?: string[]; summary?: string }>>).flatMap(([p, ops]) =>
        Object.entries(ops).map(([m, op]) => ({ route: `${m.toUpperCase()} ${p}`, tags: op.tags ?? [], summary: op.summary ?? '' })),
      );
      expect(operations.filter((o) => o.tags.length === 0 || !o.summary)).toEqual([]);
      const routes = operations.map((o) => o.route);
      expect(routes).not.toContain('GET /');
      expect(routes.some((r) => r.includes('/ui/'))).toBe(false);
      expect(operations.filter((o) => o.route.endsWith(' /mcp')).map((o) => o.tags)).toEqual([['mcp'], ['mcp'], ['mcp']]);
      expect(body.tags.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['mcp', 'dashboard']));
    });

    it('/docs has the app icon and a title of its own', async () => {
      const page = await context.newPage();
      await page.goto(`${srv.url}/docs`);
      expect(await page.title()).toBe('API reference — WhatsApp MCP Desktop');
      const icon = await page.locator('link[rel="icon"]').getAttribute('href');
      const res = await page.request.get(new URL(icon!, page.url()).href);
      expect(res.status()).toBe(200);
      expect(res.headers()['content-type']).toMatch(/image\/svg\+xml/);
      await page.close();
    });
  });
});
