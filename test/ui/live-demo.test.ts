import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoBridge, type Caller } from '../helpers/bridge.js';
import type { Bridge } from '../../src/bridge.js';
import { chromiumPath, SCREENSHOT_DIR } from '../helpers/playwright.js';
import { linkedDemoDashboard, UI_SIZES, type LinkedDashboard } from '../helpers/ui-demo.js';
import { seriousViolations } from './axe.js';

/**
 * The dashboard at `/` following the real demo bridge (whatsapp-web.js driving the simulator
 * in Chromium) through its event stream, in another real Chromium: no status polling, the
 * Activity panel filled live as the simulator delivers messages and our sends are acked, the
 * Health panel, a bridge that stops and comes back, axe-core in light and dark at 420 and
 * 860 px, and a screenshot of each (UI_SHOTS_DIR, else test-results/screenshots/live).
 */
const SHOTS = process.env.UI_SHOTS_DIR ?? path.join(SCREENSHOT_DIR, 'live');
const ALICE = '15550100001';
const BOB = '15550100002';

/** The test's own listener on the bridge's stream, counting its heartbeats (comment lines): the clock of the no-polling window. */
async function heartbeats(url: string, token: string): Promise<{ next(count: number): Promise<void>; close(): void }> {
  const abort = new AbortController();
  const res = await fetch(`${url}/api/events?types=status`, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
  let seen = 0;
  const waiting = new Set<() => void>();
  void (async () => {
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
      if (done || value === undefined) return;
      seen += value.split('\n').filter((line) => line.startsWith(':')).length;
      for (const wake of waiting) wake();
    }
  })();
  return {
    async next(count) {
      const target = seen + count;
      while (seen < target) {
        await new Promise<void>((r) => {
          const wake = () => {
            waiting.delete(wake);
            r();
          };
          waiting.add(wake);
        });
      }
    },
    close: () => abort.abort(),
  };
}

describe.skipIf(!chromiumPath)('the dashboard follows the demo bridge through its event stream', () => {
  let ui: LinkedDashboard;
  let bridge: Bridge & { call: Caller };
  let contexts: Map<string, BrowserContext>;
  let page: Page;
  const post = async (p: string, json: unknown = {}) => {
    const res = await bridge.call(p, { method: 'POST', json });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const title = (p: Page = page) => p.locator('#status-title').textContent();
  const items = (p: Page = page) => p.locator('#activity-list > li:not([hidden])');
  const item = (text: string, p: Page = page) => items(p).filter({ hasText: text });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ui = await linkedDemoDashboard('wa-ui-live-');
    ({ bridge, contexts } = ui);
    page = await contexts.get('860-light')!.newPage();
  });

  afterAll(async () => {
    await ui?.close();
  });

  it('follows the status through the stream: not one /api/status request while the stream beats', async () => {
    const reads: Request[] = [];
    const streams: Request[] = [];
    page.on('request', (r) => {
      const { pathname } = new URL(r.url());
      if (pathname === '/api/status') reads.push(r);
      if (pathname === '/api/events') streams.push(r);
    });
    await page.goto(`${bridge.url}/`);
    await expect.poll(() => title(), { timeout: 10_000 }).toMatch(/^Linked as/);
    await expect.poll(() => page.locator('#health-state').textContent()).toMatch(/^Linked/);
    const atStart = reads.length;
    // The old dashboard read the status every 1.5 s: one heartbeat (15 s) is ten of those.
    const beat = await heartbeats(bridge.url, bridge.token);
    try {
      await beat.next(1);
    } finally {
      beat.close();
    }
    expect(reads.length).toBe(atStart);
    expect(atStart).toBeLessThanOrEqual(3);
    expect(streams).toHaveLength(1);
  });

  it('a message the simulator delivers appears in Activity as it arrives, as text only, with its sender', async () => {
    const hostile = 'Hi from Alice <img src=x onerror="window.__pwned=1"> <b>not bold</b>\nsecond line';
    await post('/api/simulator/incoming', { phone_number: ALICE, message: hostile });
    const row = item('Hi from Alice');
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(await row.locator('.activity-text').textContent()).toBe('Hi from Alice <img src=x onerror="window.__pwned=1"> <b>not bold</b>');
    expect(await row.locator('.activity-text').getAttribute('dir')).toBe('auto');
    expect(await page.locator('#activity-list img, #activity-list b').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await row.locator('.activity-what').innerText()).toMatch(/^From .*\+15550100001/);
    expect(await row.locator('bdi, .activity-number').count()).toBeGreaterThan(0);
  });

  it('our send shows with its recipient and moves through the acks; a contact reading it moves it to Read', async () => {
    const sent = await post('/api/send', { phone_number: BOB, message: 'Meeting moved to 3 pm\nsee you there' });
    const row = item('Meeting moved to 3 pm');
    await expect.poll(() => row.locator('.activity-state').textContent(), { timeout: 15_000 }).toBe('Delivered');
    expect(await row.locator('.activity-what').innerText()).toMatch(/^To .*\+15550100002/);
    await post('/api/simulator/read', { phone_number: BOB });
    await expect.poll(() => row.locator('.activity-state').textContent(), { timeout: 15_000 }).toBe('Read');
    expect((await bridge.call(`/api/outbox/${sent.outbox_id}`)).body.entry.status).toBe('read');
    expect(await row.count()).toBe(1);
  });

  it('filters by chat', async () => {
    const filter = page.getByLabel('Show');
    const bob = await filter.locator('option').filter({ hasText: /Bob|\+15550100002/ }).getAttribute('value');
    await filter.selectOption(bob!);
    await expect.poll(() => items().count()).toBeGreaterThan(0);
    expect(await item('Hi from Alice').count()).toBe(0);
    expect(await item('Meeting moved').count()).toBe(1);
    await filter.selectOption('');
    await expect.poll(() => item('Hi from Alice').count()).toBe(1);
  });

  it('Health shows the state, no error, the outbox queue, and a webhook that fails with its count', async () => {
    const created = await bridge.call('/api/webhooks', { method: 'POST', json: { url: 'http://127.0.0.1:9/nobody-listens' } });
    expect(created.status).toBe(201);
    await post('/api/simulator/incoming', { phone_number: ALICE, message: 'For the webhook' });
    const failures = async () => (await bridge.call(`/api/webhooks/${created.body.webhook.id}`)).body.webhook.failure_count as number;
    await expect.poll(failures, { timeout: 15_000 }).toBeGreaterThan(0);
    await page.reload();
    await expect.poll(() => page.locator('#health-webhooks').innerText(), { timeout: 10_000 }).toMatch(/0 of 1 delivering\s+http:\/\/127\.0\.0\.1:9\/nobody-listens failing: \d+ failed attempts? since the last delivery/);
    expect(await page.locator('#health-outbox').textContent()).toBe('Nothing waiting to send');
    expect(await page.locator('#health-error').textContent()).toBe('None');
    expect(await page.locator('#health-state').textContent()).toMatch(/^Linked/);
  });

  it.each(UI_SIZES)('at %i px, %s: fits the window, passes axe, screenshot of the linked state with activity', async (width, scheme) => {
    const p = await contexts.get(`${width}-${scheme}`)!.newPage();
    await p.goto(`${bridge.url}/`);
    await expect.poll(() => title(p), { timeout: 10_000 }).toMatch(/^Linked as/);
    await expect.poll(() => item('Meeting moved', p).count(), { timeout: 10_000 }).toBe(1);
    // Live while this page is open, too.
    await post('/api/simulator/incoming', { phone_number: ALICE, message: `Seen at ${width} px in ${scheme}` });
    await expect.poll(() => item(`Seen at ${width} px in ${scheme}`, p).count(), { timeout: 10_000 }).toBe(1);
    const { scrollWidth, innerWidth } = await p.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    expect(await seriousViolations(p)).toEqual([]);
    await p.screenshot({ path: path.join(SHOTS, `linked-activity-${width}-${scheme}.png`), fullPage: true });
    await p.close();
  });

  it('says "Connection lost" as soon as the bridge stops, and recovers when it is back, with what happened meanwhile', async () => {
    await page.goto(`${bridge.url}/`);
    await expect.poll(() => title(), { timeout: 10_000 }).toMatch(/^Linked as/);
    const port = Number(new URL(bridge.url).port);
    await bridge.stop();
    await expect.poll(() => title(), { timeout: 5_000 }).toBe('Connection lost');
    expect(await page.locator('#health-state').textContent()).toBe('Connection lost');
    await page.screenshot({ path: path.join(SHOTS, 'connection-lost-860-light.png'), fullPage: true });

    bridge = ui.bridge = await startDemoBridge(ui.dir, { port });
    await expect.poll(() => title(), { timeout: 60_000 }).toMatch(/^Linked as/);
    expect(await page.locator('#announcer').textContent()).toBe('Connected again.');
    // The stream resumed after the last event the page had: the restart's status changes are in Activity.
    await expect.poll(() => items().filter({ hasText: /^WhatsApp:/ }).count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await post('/api/simulator/incoming', { phone_number: ALICE, message: 'After the restart' });
    await expect.poll(() => item('After the restart').count(), { timeout: 10_000 }).toBe(1);
  });
});
