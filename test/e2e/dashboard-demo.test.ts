import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type Bridge } from '../../src/bridge.js';
import { loadConfig } from '../../src/core/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { demoBridgeOptions } from '../../src/demo.js';
import type { StatusChange } from '../../src/core/status.js';
import { phaseFor } from '../../src/shared/states.js';
import { chromiumPath, launchChromium, screenshot } from '../helpers/playwright.js';

/**
 * The dashboard at `/` end to end: the headless bridge in demo mode (whatsapp-web.js driving
 * the simulator in a real Chromium), and the dashboard in another real Chromium, by HTTP.
 */
describe.skipIf(!chromiumPath)('the dashboard at / against the headless bridge in demo mode', () => {
  let dir: string;
  let bridge: Bridge;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'wa-dashboard-demo-'));
    const config = loadConfig(['--demo', '--port', '0', '--data-dir', dir, ...(chromiumPath ? ['--chrome', chromiumPath] : [])], {});
    const log = silentLogger();
    bridge = await startBridge({ config, log, ...(await demoBridgeOptions(config, log)) });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 860, height: 760 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: bridge.url });
    page = await context.newPage();
  });

  /** The simulator's controls, as a script would call them. */
  const simulator = async (control: string, body: unknown = {}) => {
    const res = await fetch(`${bridge.url}/api/simulator/${control}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bridge.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.clone().text()).toBe(200);
  };
  const title = () => page.locator('#status-title').textContent();

  afterAll(async () => {
    await browser?.close();
    await bridge?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('asks for the token when opened without it, and the config endpoint stays closed', async () => {
    const res = await page.goto(`${bridge.url}/`);
    expect(res?.status()).toBe(401);
    expect(await page.getByRole('heading', { name: 'Token required' }).isVisible()).toBe(true);
    const config = await page.evaluate(async () => (await fetch('/api/dashboard/config')).status);
    expect(config).toBe(401);
    await screenshot(page, 'dashboard-token-required');
  });

  it('opens with ?token=, which moves into a cookie and out of the address bar', async () => {
    await page.goto(`${bridge.url}/?token=${bridge.token}`);
    expect(page.url()).toBe(`${bridge.url}/`);
    await expect.poll(() => page.locator('#status-title').textContent()).toBe('Not linked');
    expect(await page.locator('#demo-badge').isVisible()).toBe(true);
    expect(await page.locator('#api-url').textContent()).toBe(bridge.url);
    await screenshot(page, 'dashboard-stopped');
  });

  it('Log in shows the live QR code from WhatsApp Web (the simulator)', async () => {
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.locator('#status-title').textContent(), { timeout: 30_000 }).toBe('Waiting for your phone');
    const qr = page.getByRole('img', { name: /QR code to link WhatsApp/ });
    await expect.poll(() => qr.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(100);
    await screenshot(page, 'dashboard-qr');
  });

  it('requests a pairing code from WhatsApp Web and shows it in place of the (now stopped) QR code', async () => {
    await page.getByLabel('Your WhatsApp number, with country code').fill('+44 7700 900123');
    await page.getByRole('button', { name: 'Get a pairing code' }).click();
    await expect.poll(() => page.locator('#pair-code').textContent(), { timeout: 30_000 }).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(await page.getByRole('img', { name: /QR code to link WhatsApp/ }).isVisible()).toBe(false);
    expect(await page.locator('#pair-expiry').textContent()).toMatch(/^Expires in \d:\d\d\.$/);
    await screenshot(page, 'dashboard-pairing-code');
  });

  it('the simulated phone enters the code, and the dashboard follows to "Linked"', async () => {
    await page.getByRole('button', { name: 'Simulate the phone entering the code (demo)' }).click();
    await expect.poll(title, { timeout: 30_000 }).toMatch(/^Linked/);
    expect(await page.locator('#link').isVisible()).toBe(false);
    await screenshot(page, 'dashboard-ready');
  });

  it('copy buttons put the real token, and the MCP set-up for this bridge without it, on the clipboard', async () => {
    await page.getByRole('button', { name: 'Copy the API token' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(bridge.token);
    await page.getByRole('button', { name: 'Copy the Claude Code command' }).click();
    const run = path.resolve(import.meta.dirname, '..', '..', 'scripts', 'run.mjs');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(
      `claude mcp add --scope user whatsapp -- ${process.execPath} ${run} mcp --demo --data-dir ${dir} --client claude-code`,
    );
  });

  it('WhatsApp opened in another browser: the dashboard says so in WhatsApp\'s words, and "Use here" brings it back', async () => {
    await simulator('disconnect', { state: 'CONFLICT' });
    await expect.poll(title, { timeout: 30_000 }).toBe('WhatsApp is open in another window');
    expect(await page.locator('#main').innerText()).not.toMatch(/POST \/api/);
    await screenshot(page, 'dashboard-conflict');
    await page.getByRole('button', { name: 'Use here' }).click();
    await expect.poll(title, { timeout: 30_000 }).toMatch(/^Linked/);
  });

  it("a dropped connection reads as \"Reconnecting…\": the bridge's own words match the table of states", async () => {
    const seen: StatusChange['snapshot'][] = [];
    const onStatus = ({ snapshot }: StatusChange) => void seen.push(snapshot);
    bridge.session.on('status', onStatus);
    try {
      await simulator('disconnect', { state: 'UNLAUNCHED' });
      await expect.poll(() => seen.at(-1)?.state, { timeout: 30_000 }).toBe('ready');
    } finally {
      bridge.session.off('status', onStatus);
    }
    const reconnecting = seen.filter((s) => s.state === 'disconnected');
    expect(reconnecting.length).toBeGreaterThan(0);
    expect(reconnecting.map((s) => phaseFor({ state: s.state, last_error: s.lastError }).id)).toEqual(reconnecting.map(() => 'reconnecting'));
    await expect.poll(title, { timeout: 30_000 }).toMatch(/^Linked/);
  });

  it('regression: after the phone removed this device the dashboard still said "Disconnected" and offered Log out', async () => {
    await simulator('phone-logout');
    await expect.poll(title, { timeout: 30_000 }).toBe('Unlinked from your phone');
    expect(await page.locator('#status-text').textContent()).toBe('This computer was unlinked from your phone — link again to use WhatsApp here.');
    expect(await page.getByRole('button', { name: /Log out/ }).count()).toBe(0);
    await screenshot(page, 'dashboard-phone-logout');
    await page.getByRole('button', { name: 'Link again' }).click();
    await expect.poll(title, { timeout: 30_000 }).toBe('Waiting for your phone');
    await page.getByRole('button', { name: 'Simulate the phone scanning (demo)' }).click();
    await expect.poll(title, { timeout: 30_000 }).toMatch(/^Linked/);
  });

  it('Log out… asks first, then unlinks and returns to "Not linked"', async () => {
    await page.getByRole('button', { name: 'Log out…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Log out', exact: true }).click();
    await expect.poll(title, { timeout: 30_000 }).toBe('Not linked');
    expect(bridge.session.hasSavedSession()).toBe(false);
  });
});
