import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, TOKEN, type TestServer } from '../helpers/http.js';
import { chromiumPath, launchChromium } from '../helpers/playwright.js';

/**
 * What the bridge answered to a page's fetch(), seen in the browser's network layer: a page on
 * another origin cannot read the answer itself (no CORS), yet the request reaches the bridge.
 */
async function fetchFrom(page: Page, url: string, init: { method: string; multipart?: boolean }): Promise<{ status: number; code: string | null }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: url, requestStage: 'Response' }] });
  const answer = new Promise<{ status: number; code: string | null }>((resolve) => {
    cdp.once('Fetch.requestPaused', async ({ requestId, responseStatusCode }) => {
      const { body, base64Encoded } = await cdp.send('Fetch.getResponseBody', { requestId });
      await cdp.send('Fetch.continueRequest', { requestId });
      const json = JSON.parse(base64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body) as { error?: { code?: string } };
      resolve({ status: responseStatusCode ?? 0, code: json.error?.code ?? null });
    });
  });
  const fetched = page.evaluate(
    async ({ url, method, multipart }) => {
      let body: FormData | undefined;
      if (multipart) {
        body = new FormData();
        body.set('phone_number', '15551234567');
        body.append('files', new Blob(['%PDF-1.4 not really'], { type: 'application/pdf' }), 'x.pdf');
      }
      await fetch(url, { method, credentials: 'include', ...(body ? { body } : {}) }).catch(() => undefined);
    },
    { url, method: init.method, multipart: init.multipart ?? false },
  );
  const result = await answer;
  await fetched;
  await cdp.detach();
  return result;
}

/**
 * Real Chromium, real cookies: the browser got the token cookie from the bridge, then a page
 * from another loopback port (a dev server) calls the bridge with it.
 */
describe.skipIf(!chromiumPath)('the token cookie in a real browser', () => {
  let srv: TestServer;
  let devServer: http.Server;
  let devUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let dashboard: Page;
  let devPage: Page;

  beforeAll(async () => {
    srv = await startTestServer();
    devServer = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>dev server</title><p>Some other app'));
    await new Promise<void>((resolve) => devServer.listen(0, '127.0.0.1', resolve));
    devUrl = `http://127.0.0.1:${(devServer.address() as AddressInfo).port}/`;
    browser = await launchChromium();
    context = await browser.newContext();
    dashboard = await context.newPage();
    await dashboard.goto(`${srv.url}/?token=${TOKEN}`);
    expect(dashboard.url()).toBe(`${srv.url}/`);
    devPage = await context.newPage();
    await devPage.goto(devUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => devServer?.close(resolve));
    await srv?.close();
  });

  beforeEach(async () => {
    await srv.session.logout();
    srv.session.link();
    srv.session.outgoing.length = 0;
  });

  it('regression: a page on another loopback port could log the user out with the token cookie', async () => {
    expect(await fetchFrom(devPage, `${srv.url}/api/logout`, { method: 'POST' })).toEqual({ status: 403, code: 'FORBIDDEN_ORIGIN' });
    expect(srv.session.snapshot().state).toBe('ready');
  });

  it('regression: a page on another loopback port could send media with the token cookie', async () => {
    expect(await fetchFrom(devPage, `${srv.url}/api/send/media`, { method: 'POST', multipart: true })).toEqual({ status: 403, code: 'FORBIDDEN_ORIGIN' });
    expect(srv.session.outgoing).toEqual([]);
  });

  it('the same request from the bridge\'s own page is accepted', async () => {
    expect((await fetchFrom(dashboard, `${srv.url}/api/logout`, { method: 'POST' })).status).toBe(200);
    expect(srv.session.snapshot().state).toBe('stopped');
  });

  it('regression: opening a second bridge\'s dashboard (another port) signed the first one\'s page out', async () => {
    const other = await startTestServer({ token: 'other-token-0123456789abcdef' });
    try {
      const otherPage = await context.newPage();
      await otherPage.goto(`${other.url}/?token=other-token-0123456789abcdef`);
      expect(await otherPage.evaluate(async () => (await fetch('/api/status')).status)).toBe(200);
      expect(await dashboard.evaluate(async () => (await fetch('/api/status')).status)).toBe(200);
      await otherPage.close();
    } finally {
      await other.close();
    }
  });
});
