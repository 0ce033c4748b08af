import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../../src/bridge.js';
import type { Caller } from '../helpers/bridge.js';
import { chromiumPath, SCREENSHOT_DIR } from '../helpers/playwright.js';
import { linkedDemoDashboard, UI_SIZES, type LinkedDashboard } from '../helpers/ui-demo.js';
import { seriousViolations } from './axe.js';

/**
 * Several accounts in the dashboard (issue 14, UI), against the real demo bridge
 * (whatsapp-web.js driving one simulator per account) in a real Chromium: an account added
 * from the page opens at its own QR code, links through the simulator (X-Account), and the
 * Accounts card lists both as linked; each account's page shows that account's activity
 * only; the shown account is removed after a confirmation that says its data goes. axe-core,
 * no horizontal overflow, and screenshots at 420 (light, dark) and 860 px (UI_SHOTS_DIR,
 * else test-results/screenshots/accounts).
 */
const SHOTS = process.env.UI_SHOTS_DIR ?? path.join(SCREENSHOT_DIR, 'accounts');
const ALICE = '15550100001';
const BOB = '15550100002';

describe.skipIf(!chromiumPath)('accounts in the dashboard, against the demo bridge', () => {
  let ui: LinkedDashboard;
  let bridge: Bridge & { call: Caller };
  let contexts: Map<string, BrowserContext>;
  let page: Page;

  /** A call for one account, as a script would make it. */
  const as = async (account: string | null, p: string, json?: unknown) => {
    const headers: Record<string, string> = { authorization: `Bearer ${bridge.token}` };
    if (account) headers['x-account'] = account;
    if (json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(bridge.url + p, { method: json === undefined ? 'GET' : 'POST', headers, ...(json === undefined ? {} : { body: JSON.stringify(json) }) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const title = (p: Page = page) => p.locator('#status-title').textContent();
  const rows = (p: Page = page) => p.locator('#accounts-list > li');
  const activity = (p: Page, text: string) => p.locator('#activity-list > li').filter({ hasText: text });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ui = await linkedDemoDashboard('wa-ui-accounts-');
    ({ bridge, contexts } = ui);
    page = await contexts.get('860-light')!.newPage();
  }, 120_000);

  afterAll(async () => {
    await ui?.close();
  });

  it('adds an account from the page: it opens at that account\'s QR code, links, and both are listed as linked', async () => {
    await page.goto(`${bridge.url}/`);
    await expect.poll(() => title(), { timeout: 15_000 }).toMatch(/^Linked as/);
    await expect.poll(() => rows().allInnerTexts()).toEqual([expect.stringMatching(/^Default\n?Linked — \+\d+ — shown$/)]);
    expect(await page.locator('#account-remove').isVisible()).toBe(false);

    await page.getByText('Add an account', { exact: true }).click();
    // A wrong id is refused with the bridge's words, in the form.
    await page.getByLabel('Account id', { exact: true }).fill('Work Phone');
    await page.getByRole('button', { name: 'Add account' }).click();
    await expect.poll(() => page.locator('#account-form-error').textContent()).toMatch(/lower-case letters, digits and hyphens/);
    expect(await page.getByLabel('Account id', { exact: true }).getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Account id', { exact: true }).fill('work');
    await page.getByLabel('Account name', { exact: true }).fill('Work phone');
    await page.getByRole('button', { name: 'Add account' }).click();
    await page.waitForURL(`${bridge.url}/?account=work`);
    // The new account's own link flow, as for the default one: its QR code (not the default account's: that one is linked).
    await expect.poll(() => page.locator('#qr').isVisible(), { timeout: 60_000 }).toBe(true);
    expect(await page.locator('#link').isVisible()).toBe(true);
    expect((await as('work', '/api/status')).body.state).toBe('qr');
    expect(await rows().filter({ hasText: 'Work phone' }).locator('a').getAttribute('aria-current')).toBe('page');

    // Its link page: /qr?account=work shows work's code (the default account is linked and has none).
    const qrPage = await contexts.get('860-dark')!.newPage();
    await qrPage.goto(`${bridge.url}/qr?token=${bridge.token}&account=work`);
    expect(qrPage.url()).toBe(`${bridge.url}/qr?account=work`);
    expect(await qrPage.locator('body').getAttribute('data-state')).toBe('qr');
    await expect.poll(() => qrPage.locator('#qr').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await qrPage.locator('#dashboard-link').getAttribute('href')).toBe('/?account=work');
    await qrPage.close();

    expect((await as('work', '/api/simulator/link', {})).status).toBe(200);
    await expect.poll(() => title(), { timeout: 60_000 }).toMatch(/^Linked as/);
    expect(await page.locator('#link').isVisible()).toBe(false);
    await expect.poll(() => rows().allInnerTexts(), { timeout: 10_000 }).toEqual([
      expect.stringMatching(/^Default[\s\S]*Linked — \+\d+$/),
      expect.stringMatching(/^Work phone work[\s\S]*Linked — \+\d+ — shown$/),
    ]);
    const me = (await as('work', '/api/status')).body.account.wid.replace(/@.*/, '');
    expect(await title()).toContain(`+${me}`);
  }, 120_000);

  it('each account\'s page shows that account\'s activity only; the keyboard switches between them', async () => {
    const other = await contexts.get('860-dark')!.newPage();
    await other.goto(`${bridge.url}/`);
    await expect.poll(() => title(other), { timeout: 15_000 }).toMatch(/^Linked as/);
    // A message to work, then one to the default account: when the second shows on the default
    // account's page, the first would have too if the page followed work's events.
    await as('work', '/api/simulator/incoming', { phone_number: ALICE, message: 'For the work account' });
    await expect.poll(() => activity(page, 'For the work account').count(), { timeout: 15_000 }).toBe(1);
    await as(null, '/api/simulator/incoming', { phone_number: BOB, message: 'For the default account' });
    await expect.poll(() => activity(other, 'For the default account').count(), { timeout: 15_000 }).toBe(1);
    expect(await activity(other, 'For the work account').count()).toBe(0);
    expect(await activity(page, 'For the default account').count()).toBe(0);
    await other.close();

    // Tab to the default account's link, Enter: the page for it, which has its message and not work's.
    const link = rows().filter({ hasText: 'Default' }).locator('a');
    await link.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${bridge.url}/`);
    await expect.poll(() => activity(page, 'For the default account').count(), { timeout: 15_000 }).toBe(1);
    expect(await activity(page, 'For the work account').count()).toBe(0);
    await rows().filter({ hasText: 'Work phone' }).locator('a').click();
    await page.waitForURL(`${bridge.url}/?account=work`);
    await expect.poll(() => activity(page, 'For the work account').count(), { timeout: 15_000 }).toBe(1);
    expect(await activity(page, 'For the default account').count()).toBe(0);
    // Its Connect card sets clients up for work only; the default account's page says nothing of the kind.
    await expect.poll(() => page.locator('#connect-account').textContent()).toContain(`“work” only (${bridge.url}/mcp/work)`);
    expect(await page.locator('#install-list [data-client="claude-desktop"] pre').textContent()).toContain('"whatsapp-work"');
    await link.click();
    await page.waitForURL(`${bridge.url}/`);
    await expect.poll(() => page.locator('#install-list li').count()).toBeGreaterThan(0);
    expect(await page.locator('#connect-account').isHidden()).toBe(true);
    expect(await page.locator('#install-list [data-client="claude-desktop"] pre').textContent()).not.toContain('whatsapp-work');
  }, 60_000);

  it.each(UI_SIZES)('at %i px, %s: the Accounts card with two accounts fits and passes axe; screenshots', async (width, scheme) => {
    const p = await contexts.get(`${width}-${scheme}`)!.newPage();
    await p.goto(`${bridge.url}/?account=work`);
    await expect.poll(() => title(p), { timeout: 15_000 }).toMatch(/^Linked as/);
    await expect.poll(() => rows(p).count()).toBe(2);
    await p.locator('#account-create summary').click();
    await p.locator('#accounts').screenshot({ path: path.join(SHOTS, `accounts-${width}-${scheme}.png`) });
    const { scrollWidth, innerWidth } = await p.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    expect(await seriousViolations(p)).toEqual([]);
    await p.screenshot({ path: path.join(SHOTS, `page-${width}-${scheme}.png`), fullPage: true });
    await p.close();
  }, 60_000);

  it('removes the shown account after a confirmation that says its data is deleted; the default one cannot be removed', async () => {
    await page.goto(`${bridge.url}/?account=work`);
    const remove = page.getByRole('button', { name: 'Remove “Work phone”…' });
    await remove.click();
    const dialog = page.locator('#confirm');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.innerText()).toMatch(/Remove the account “Work phone”\?[\s\S]*deletes all of its data here/);
    // Keeping it changes nothing, and the focus returns to the button.
    await page.getByRole('button', { name: 'Keep it' }).click();
    expect(await remove.evaluate((b) => b === document.activeElement)).toBe(true);
    expect((await as(null, '/api/accounts')).body.accounts.map((a: any) => a.id)).toEqual(['default', 'work']);

    await remove.click();
    await page.getByRole('button', { name: 'Remove and delete its data' }).click();
    await page.waitForURL(`${bridge.url}/`);
    expect((await as(null, '/api/accounts')).body.accounts.map((a: any) => a.id)).toEqual(['default']);
    await expect.poll(() => rows().count()).toBe(1);
    expect(await page.locator('#account-remove').isVisible()).toBe(false);
    await expect.poll(() => title(), { timeout: 15_000 }).toMatch(/^Linked as/);
    // An old address for the removed account shows the default one.
    await page.goto(`${bridge.url}/?account=work`);
    await page.waitForURL(`${bridge.url}/`, { timeout: 15_000 });
  }, 60_000);
});
