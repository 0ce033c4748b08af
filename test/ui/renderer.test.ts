import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardConfig, StatusView } from '../../src/shared/ipc.js';
import { mcpSnippets } from '../../src/shared/mcp-clients.js';
import { chromiumPath, launchChromium, screenshot } from '../helpers/playwright.js';

const ORIGIN = 'http://desktop.test';
const RENDERER = path.resolve('renderer');
const TOKEN = 'tok_0123456789abcdefghijklmnop';
const CONFIG: DashboardConfig = {
  api_url: 'http://127.0.0.1:8790',
  mcp_url: 'http://127.0.0.1:8790/mcp',
  token: TOKEN,
  demo: false,
  snippets: mcpSnippets('http://127.0.0.1:8790/mcp', TOKEN),
};
// A 1x1 PNG stands in for the QR image.
const QR = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==';

const status = (state: StatusView['state'], patch: Partial<StatusView> = {}): StatusView => ({
  state,
  ready: state === 'ready',
  has_qr: state === 'qr',
  last_error: null,
  account: state === 'ready' ? { wid: '447700900123@c.us', pushname: 'Ada Lovelace', platform: 'android' } : null,
  ...patch,
});

/**
 * The window exactly as Electron shows it, with the preload replaced by a scripted
 * `window.whatsappDesktop` (same DesktopApi contract): every state can be put on screen.
 */
async function openWindow(context: BrowserContext, initial: StatusView, config: DashboardConfig = CONFIG): Promise<Page> {
  const page = await context.newPage();
  await page.route(`${ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    const file = url.pathname === '/' ? 'index.html' : url.pathname.replace(/^\/ui\//, '');
    const body = await readFile(path.join(RENDERER, file));
    const type = file.endsWith('.html') ? 'text/html' : file.endsWith('.css') ? 'text/css' : 'text/javascript';
    await route.fulfill({ body, contentType: type });
  });
  await page.addInitScript(
    ({ initial, config, qr }) => {
      let current = initial;
      const listeners = new Set<(s: unknown) => void>();
      const calls: unknown[][] = [];
      const ok = (value: unknown) => Promise.resolve({ ok: true, value });
      const w = window as unknown as Record<string, unknown>;
      w.__calls = calls;
      w.__push = (s: typeof initial) => {
        current = s;
        for (const l of listeners) l(s);
      };
      w.whatsappDesktop = {
        getStatus: () => ok(current),
        getQr: () => ok(current.state === 'qr' ? qr : null),
        getConfig: () => ok(config),
        startAuth: () => {
          calls.push(['startAuth']);
          return ok(current);
        },
        requestPairingCode: (phone: string) => {
          calls.push(['requestPairingCode', phone]);
          return phone === '15550000000'
            ? Promise.resolve({ ok: false, error: { code: 'WA_ERROR', message: 'WhatsApp did not issue a pairing code: rate limited. Try again, or scan the QR code.' } })
            : ok({ already_authenticated: false, code: 'WXYZ-2345', phone_number: phone });
        },
        logout: () => {
          calls.push(['logout']);
          return ok({ ...current, state: 'stopped', ready: false, account: null });
        },
        copy: (item: string) => {
          calls.push(['copy', item]);
          return ok(true);
        },
        simulatePhoneLink: () => ok(true),
        onStatus: (l: (s: unknown) => void) => {
          listeners.add(l);
          return () => listeners.delete(l);
        },
      };
    },
    { initial, config, qr: QR },
  );
  await page.goto(`${ORIGIN}/`);
  return page;
}

describe.skipIf(!chromiumPath)('the window UI in real Chromium (IPC backend)', () => {
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 860, height: 760 } });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    ['stopped', status('stopped'), 'Not linked', ['Log in'], true],
    ['starting', status('starting'), 'Starting WhatsApp Web…', ['Log out'], true],
    ['qr', status('qr'), 'Waiting for your phone', ['Log out'], true],
    ['authenticated', status('authenticated'), 'Phone linked', ['Log out'], false],
    ['ready', status('ready'), 'Linked as Ada Lovelace (+447700900123)', ['Log out'], false],
    ['auth_failure', status('auth_failure', { last_error: 'WhatsApp rejected the saved session: UNPAIRED' }), 'Linking failed', ['Log in'], true],
    ['disconnected', status('disconnected', { last_error: 'WhatsApp disconnected (NAVIGATION); reconnecting in 4 s (attempt 2).' }), 'Disconnected', ['Log in', 'Log out'], false],
  ] as const)('renders the %s state', async (name, s, title, buttons, linkShown) => {
    const page = await openWindow(context, s);
    await expect.poll(() => page.locator('#status-title').textContent()).toBe(title);
    for (const label of ['Log in', 'Log out']) {
      expect(await page.getByRole('button', { name: label, exact: true }).isVisible()).toBe((buttons as readonly string[]).includes(label));
    }
    expect(await page.locator('#link').isVisible()).toBe(linkShown);
    if (s.last_error) expect(await page.locator('#status-error').textContent()).toBe(s.last_error);
    if (name === 'qr') await expect.poll(() => page.getByRole('img', { name: /QR code to link WhatsApp/ }).isVisible()).toBe(true);
    await screenshot(page, `window-${name}`);
    await page.close();
  });

  it('follows status pushes from the main process', async () => {
    const page = await openWindow(context, status('stopped'));
    await expect.poll(() => page.locator('#status-title').textContent()).toBe('Not linked');
    await page.evaluate((s) => (window as unknown as { __push(s: unknown): void }).__push(s), status('ready'));
    await expect.poll(() => page.locator('#status-title').textContent()).toBe('Linked as Ada Lovelace (+447700900123)');
    await page.close();
  });

  it('the pairing-code form validates the number, then shows the code large with the steps', async () => {
    const page = await openWindow(context, status('qr'));
    const phone = page.getByLabel('Your WhatsApp number, with country code');
    await page.getByRole('button', { name: 'Get a pairing code' }).click();
    await expect.poll(() => page.locator('#phone-error').textContent()).toMatch(/Enter your phone number/);
    expect(await phone.getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('phone');

    await phone.fill('+44 77');
    await phone.press('Enter');
    await expect.poll(() => page.locator('#phone-error').textContent()).toMatch(/has 4 digits/);
    await screenshot(page, 'window-pairing-invalid');
    expect(await page.evaluate(() => (window as unknown as { __calls: unknown[][] }).__calls)).toEqual([]);

    await phone.fill('+44 7700 900123');
    await page.getByRole('button', { name: 'Get a pairing code' }).click();
    await expect.poll(() => page.locator('#pair-code').textContent()).toBe('WXYZ-2345');
    expect(await page.locator('#pair-phone').textContent()).toBe('+447700900123');
    expect(await page.locator('#pair-result').textContent()).toContain('Link with phone number instead');
    expect(await page.evaluate(() => (window as unknown as { __calls: unknown[][] }).__calls)).toEqual([['requestPairingCode', '447700900123']]);
    const size = await page.locator('#pair-code').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(size).toBeGreaterThanOrEqual(32);
    await screenshot(page, 'window-pairing-code');

    await page.getByRole('button', { name: 'Use another number' }).click();
    expect(await phone.isVisible()).toBe(true);
    await page.close();
  });

  it('shows the bridge\'s error when no code can be issued', async () => {
    const page = await openWindow(context, status('qr'));
    await page.getByLabel('Your WhatsApp number, with country code').fill('+1 555 000 0000');
    await page.getByRole('button', { name: 'Get a pairing code' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/did not issue a pairing code/);
    await screenshot(page, 'window-pairing-error');
    await page.close();
  });

  it('copy buttons ask the main process to copy, and say so', async () => {
    const page = await openWindow(context, status('ready'));
    await page.getByRole('button', { name: 'Copy the API token' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Copy the API token' }).textContent()).toBe('Copied');
    await page.getByRole('button', { name: 'Copy the Claude Desktop configuration' }).click();
    const calls = await page.evaluate(() => (window as unknown as { __calls: unknown[][] }).__calls);
    expect(calls).toEqual([
      ['copy', 'token'],
      ['copy', 'claude-desktop'],
    ]);
    await page.close();
  });

  it('keeps the token masked until asked, in the token row and in the snippets', async () => {
    const page = await openWindow(context, status('ready'));
    await expect.poll(() => page.locator('#token').textContent()).toBe('•'.repeat(16));
    expect(await page.locator('#snippets').textContent()).not.toContain(TOKEN);
    await page.getByRole('button', { name: 'Show' }).click();
    expect(await page.locator('#token').textContent()).toBe(TOKEN);
    expect(await page.locator('#snippets').textContent()).toContain(TOKEN);
    expect(await page.getByRole('button', { name: 'Hide' }).getAttribute('aria-pressed')).toBe('true');
    await page.close();
  });

  it('is usable from the keyboard alone: Log in is reachable and works with Enter', async () => {
    const page = await openWindow(context, status('stopped'));
    await expect.poll(() => page.locator('#status-title').textContent()).toBe('Not linked');
    let focused = '';
    for (let i = 0; i < 5 && focused !== 'login'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.id ?? '');
    }
    expect(focused).toBe('login');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => (window as unknown as { __calls: unknown[][] }).__calls)).toEqual([['startAuth']]);
    await page.close();
  });

  it('in demo mode says so and offers the simulated phone', async () => {
    const page = await openWindow(context, status('qr'), { ...CONFIG, demo: true });
    await expect.poll(() => page.getByRole('button', { name: 'Simulate the phone scanning (demo)' }).isVisible()).toBe(true);
    expect(await page.locator('#demo-badge').isVisible()).toBe(true);
    await screenshot(page, 'window-demo-qr');
    await page.close();
  });

  it('reads well in dark mode', async () => {
    const dark = await browser.newContext({ viewport: { width: 860, height: 760 }, colorScheme: 'dark' });
    const page = await openWindow(dark, status('ready'));
    await expect.poll(() => page.locator('#status-title').textContent()).toMatch(/^Linked/);
    await screenshot(page, 'window-ready-dark');
    await dark.close();
  });
});
