import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { buildApp } from '../../src/server/app.js';
import { startTestServer, TOKEN, type TestServer } from '../helpers/http.js';
import { chromiumPath, launchChromium, screenshot } from '../helpers/playwright.js';

/**
 * The pages the bridge serves to a person — the dashboard at `/`, the link page at `/qr`, the
 * token page and /docs — from the real HTTP server over an in-memory session, in real Chromium.
 */
const title = (page: Page) => page.locator('#status-title').textContent();
/** The dashboard's status poll interval (POLL_MS in renderer/backend.js). */
const POLL_MS = 1500;

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
    own.session.link();
    await page.clock.runFor(POLL_MS);
    await expect.poll(() => title(page)).toBe('Linked as Test Me (+15550000000)');

    await own.close();
    // One poll interval later the page says so.
    await page.clock.runFor(POLL_MS);
    await expect.poll(() => title(page)).toBe('Connection lost');
    expect(await page.locator('#status-text').textContent()).toMatch(/cannot reach WhatsApp MCP Desktop/);
    expect(await page.locator('#status-dot').getAttribute('class')).toBe('dot error');
    expect(await page.title()).toBe('Connection lost — WhatsApp MCP Desktop');
    expect(await page.getByRole('button', { name: /Log out/ }).count()).toBe(0);
    await screenshot(page, 'dashboard-connection-lost');

    // The bridge comes back on the same port (same token, so the cookie still opens it).
    const again = await buildApp({ session: own.session, token: TOKEN, log: silentLogger(), version: '0.0.0-test' });
    await again.listen({ host: '127.0.0.1', port });
    try {
      await page.clock.runFor(POLL_MS);
      await expect.poll(() => title(page)).toBe('Linked as Test Me (+15550000000)');
      expect(await page.locator('#announcer').textContent()).toBe('Connected again.');
    } finally {
      await page.close();
      await again.close();
    }
  });
});
