import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendererAsset } from '../../src/server/routes/dashboard.js';
import type { AccountsView, ActivitySeed, DashboardConfig, EventView, HealthView, IpcError, PendingApproval, SendView, StatusView } from '../../src/shared/ipc.js';
import type { ChatDto, MessageDto } from '../../src/shared/wire.js';
import { installOptions } from '../../src/shared/mcp-install.js';
import { chromiumPath, launchChromium, screenshot } from '../helpers/playwright.js';
import { wireMessage } from '../helpers/store.js';
import { seriousViolations } from './axe.js';

// A secure origin, as app://desktop is in Electron (the clipboard needs one).
const ORIGIN = 'https://desktop.test';
const TOKEN = 'tok_0123456789abcdefghijklmnop';
const CONFIG: DashboardConfig = {
  api_url: 'http://127.0.0.1:8790',
  mcp_url: 'http://127.0.0.1:8790/mcp',
  token: TOKEN,
  demo: false,
  install: installOptions({ command: '/usr/bin/node', args: ['/home/ada/whatsapp-mcp-desktop/scripts/run.mjs', 'mcp'] }),
};
// A 1x1 PNG stands in for the QR image.
const QR = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==';

/** The bridge's own words for these causes (src/whatsapp/wwebjs-session.ts); the demo e2e test pins them. */
const ERRORS = {
  reconnecting: 'WhatsApp disconnected (NAVIGATION); reconnecting in 4 s (attempt 2).',
  gaveUp: 'WhatsApp disconnected (NAVIGATION); gave up reconnecting after 10 attempts. Call POST /api/auth/start.',
  conflict: 'WhatsApp Web was opened on another computer or browser. Call POST /api/auth/start to use it here again.',
  phoneLogout: 'The phone logged this device out (Linked devices). Link again with POST /api/auth/start.',
  noChrome: 'No Chrome, Chromium or Edge found on this machine. Install one, or set WHATSAPP_CHROME_EXECUTABLE to its executable.',
};

const status = (state: StatusView['state'], patch: Partial<StatusView> = {}): StatusView => ({
  state,
  ready: state === 'ready',
  has_qr: state === 'qr',
  last_error: null,
  account: state === 'ready' ? { wid: '447700900123@c.us', pushname: 'Ada Lovelace', platform: 'android' } : null,
  ...patch,
});

interface Fake {
  /** What Log in / Reconnect… fail with (and leave in the status), if anything. */
  startError?: IpcError;
  /** What the Activity and Health panels read. */
  activity?: ActivitySeed;
  chats?: ChatDto[];
  health?: HealthView;
  /** Sends waiting for approval (decided ones leave the list) and the outbox entries Details reads. */
  approvals?: PendingApproval[];
  /** Where the window is opened (the tray opens it at #approval-<id>). */
  hash?: string;
  /** The main process offers accounts (the registry kept in sessionStorage, so it outlives a reload). */
  accounts?: AccountsView;
}

/**
 * The window exactly as Electron shows it, with the preload replaced by a scripted
 * `window.whatsappDesktop` (same DesktopApi contract): every state can be put on screen.
 */
async function openWindow(context: BrowserContext, initial: StatusView, config: DashboardConfig = CONFIG, fake: Fake = {}, prepare?: (page: Page) => Promise<void>): Promise<Page> {
  const page = await context.newPage();
  await prepare?.(page);
  await page.route(`${ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    const asset = await rendererAsset(url.pathname === '/' ? 'index.html' : url.pathname.replace(/^\/ui\//, ''));
    if (!asset) return route.fulfill({ status: 404 });
    return route.fulfill({ body: asset.body, contentType: asset.type });
  });
  await page.addInitScript(
    ({ initial, config, qr, fake }) => {
      let current = initial;
      const listeners = new Set<(s: unknown) => void>();
      const eventListeners = new Set<(e: unknown) => void>();
      const calls: unknown[][] = [];
      let pending = fake.approvals ?? [];
      const ok = (value: unknown) => Promise.resolve({ ok: true, value });
      const w = window as unknown as Record<string, unknown>;
      const push = (s: typeof initial) => {
        current = s;
        for (const l of listeners) l(s);
      };
      w.__calls = calls;
      w.__push = push;
      w.__pushEvent = (e: unknown) => eventListeners.forEach((l) => l(e));
      w.whatsappDesktop = {
        getStatus: () => ok(current),
        getQr: () => ok(current.state === 'qr' ? qr : null),
        getConfig: () => ok(config),
        startAuth: () => {
          calls.push(['startAuth']);
          if (fake.startError) {
            current = { ...current, state: 'stopped', last_error: fake.startError.message };
            return Promise.resolve({ ok: false, error: fake.startError });
          }
          current = { ...current, state: 'starting', last_error: null };
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
          current = { ...current, state: 'stopped', ready: false, account: null, last_error: null };
          return ok(current);
        },
        copy: (item: string) => {
          calls.push(['copy', item]);
          return ok(true);
        },
        simulatePhoneLink: () => {
          calls.push(['simulatePhoneLink']);
          // The link lands a moment later, as a push from the main process.
          setTimeout(() => push({ ...current, state: 'ready', ready: true, has_qr: false, account: { wid: '447700900123@c.us', pushname: 'Ada Lovelace', platform: 'android' } }));
          return ok(true);
        },
        onStatus: (l: (s: unknown) => void) => {
          listeners.add(l);
          return () => listeners.delete(l);
        },
        getActivity: () => ok(fake.activity ?? { events: [], sends: [] }),
        getChats: () => ok(fake.chats ?? []),
        getHealth: () => ok(fake.health ?? { uptime_s: 3600, queued: { count: 0, more: false }, webhooks: [] }),
        onEvent: (l: (e: unknown) => void) => {
          eventListeners.add(l);
          return () => eventListeners.delete(l);
        },
        getApprovals: () => ok(pending),
        decideApproval: (id: string, decision: string) => {
          calls.push(['decideApproval', id, decision]);
          const held = pending.find((p) => p.send.id === id);
          if (!held) return Promise.resolve({ ok: false, error: { code: 'NOT_AWAITING_APPROVAL', message: 'Nothing waits.' } });
          pending = pending.filter((p) => p !== held);
          return ok({ ...held.send, status: decision === 'approve' ? 'queued' : 'canceled' });
        },
        getSend: (id: string) => {
          calls.push(['getSend', id]);
          const known = (fake.approvals ?? []).find((p) => p.send.id === id)?.send ?? fake.activity?.sends.find((s) => s.id === id);
          return known ? ok(known) : Promise.resolve({ ok: false, error: { code: 'OUTBOX_NOT_FOUND', message: 'No such send.' } });
        },
        getKeys: () => ok([]),
        createKey: () => Promise.resolve({ ok: false, error: { code: 'VALIDATION_ERROR', message: 'Not in this test.' } }),
        revokeKey: () => Promise.resolve({ ok: false, error: { code: 'KEY_NOT_FOUND', message: 'Not in this test.' } }),
        getAgents: () => ok({ paused: false, since: null, by: null, held: 0, awaiting_approval: 0 }),
        setAgentsPaused: (paused: boolean) => ok({ paused, since: null, by: 'window', held: 0, awaiting_approval: 0 }),
        openInstallLink: (client: string) => {
          calls.push(['openInstallLink', client]);
          return ok(true);
        },
      };
      if (fake.accounts) {
        // What the main process holds, and the calls made to it: both survive the reload a switch makes.
        const saved = sessionStorage.getItem('__accounts');
        let registry = saved ? (JSON.parse(saved) as NonNullable<typeof fake.accounts>) : fake.accounts;
        const accountCalls = JSON.parse(sessionStorage.getItem('__accountCalls') ?? '[]') as unknown[][];
        const save = (call: unknown[]) => {
          accountCalls.push(call);
          sessionStorage.setItem('__accountCalls', JSON.stringify(accountCalls));
          sessionStorage.setItem('__accounts', JSON.stringify(registry));
        };
        Object.assign(w.whatsappDesktop as object, {
          getAccounts: () => ok(registry),
          createAccount: (input: { id: string; name?: string }) => {
            const created = { id: input.id, name: input.name ?? input.id, default: false, state: 'starting', me: null, created_at: '', updated_at: '' } as const;
            registry = { ...registry, accounts: [...registry.accounts, created] };
            save(['createAccount', input]);
            return ok(created);
          },
          removeAccount: (id: string) => {
            registry = { shown: registry.shown === id ? 'default' : registry.shown, accounts: registry.accounts.filter((a) => a.id !== id) };
            save(['removeAccount', id]);
            return ok(true);
          },
          selectAccount: (id: string) => {
            if (!registry.accounts.some((a) => a.id === id)) return Promise.resolve({ ok: false, error: { code: 'ACCOUNT_NOT_FOUND', message: `There is no running account "${id}".` } });
            registry = { ...registry, shown: id };
            save(['selectAccount', id]);
            return ok(true);
          },
        });
      }
    },
    { initial, config, qr: QR, fake },
  );
  await page.goto(`${ORIGIN}/${fake.hash ? `#${fake.hash}` : ''}`);
  return page;
}

const calls = (page: Page) => page.evaluate(() => (window as unknown as { __calls: unknown[][] }).__calls);
const pushEvent = (page: Page, e: EventView) => page.evaluate((e) => (window as unknown as { __pushEvent(e: unknown): void }).__pushEvent(e), e);
const push = (page: Page, s: StatusView) => page.evaluate((s) => (window as unknown as { __push(s: unknown): void }).__push(s), s);
const title = (page: Page) => page.locator('#status-title').textContent();
const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

const AISHA = '966501234567@c.us';
const BOB = '15550100002@c.us';
const FAMILY = '120363000000000009@g.us';
let cursor = 0;
const message = (chatId: string, id: string, body: string, patch: Partial<MessageDto> = {}): MessageDto =>
  wireMessage({ id, from: chatId, to: '447700900123@c.us', body, timestamp: 1_790_000_000, sender_phone: chatId, ...patch });
const logged = (data: EventView['data'], chatId: string | null): EventView => ({
  cursor: ++cursor,
  id: `ev_${cursor}`,
  type: data.type,
  account: 'default',
  chat_id: chatId,
  at: new Date().toISOString(),
  backfilled: false,
  data,
});
const incoming = (chatId: string, id: string, body: string, patch: Partial<MessageDto> = {}) =>
  logged({ type: 'message', chat_id: chatId, timestamp: null, message: message(chatId, id, body, patch) }, chatId);
const ours = (chatId: string, id: string, body: string) =>
  logged({ type: 'message_create', chat_id: chatId, timestamp: null, message: message(chatId, id, body, { from_me: true, ack: 'pending', from: '447700900123@c.us', to: chatId }) }, chatId);
const ack = (chatId: string, id: string, a: 'sent' | 'delivered' | 'read' | 'error') => logged({ type: 'message_ack', chat_id: chatId, timestamp: null, message_id: id, ack: a }, chatId);
const chat = (id: string, name: string): ChatDto => ({ id, name, is_group: id.endsWith('@g.us'), is_read_only: false, unread_count: 0, timestamp: null, archived: false, pinned: false, muted: false, last_message: null });
const ACTION_LABELS = ['Log in', 'Cancel', 'Log out…', 'Link again', 'Reconnect', 'Use here', 'Try again'];

describe.skipIf(!chromiumPath)('the window UI in real Chromium (IPC backend)', () => {
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 860, height: 760 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ORIGIN });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    ['stopped', status('stopped'), 'Not linked', ['Log in'], true],
    ['starting', status('starting'), 'Starting WhatsApp Web…', ['Cancel'], true],
    ['qr', status('qr'), 'Waiting for your phone', ['Cancel'], true],
    ['authenticated', status('authenticated'), 'Phone linked', ['Log out…'], false],
    ['ready', status('ready'), 'Linked as Ada Lovelace (+447700900123)', ['Log out…'], false],
    ['auth_failure', status('auth_failure', { last_error: 'WhatsApp rejected the saved session: UNPAIRED' }), 'Linking failed', ['Link again'], true],
    ['reconnecting', status('disconnected', { last_error: ERRORS.reconnecting }), 'Reconnecting…', ['Log out…'], false],
    ['disconnected', status('disconnected', { last_error: ERRORS.gaveUp }), 'Disconnected', ['Reconnect', 'Log out…'], false],
    ['conflict', status('disconnected', { last_error: ERRORS.conflict }), 'WhatsApp is open in another window', ['Use here', 'Log out…'], false],
    ['phone-logout', status('disconnected', { last_error: ERRORS.phoneLogout }), 'Unlinked from your phone', ['Link again'], true],
    ['chrome-not-found', status('stopped', { last_error: ERRORS.noChrome }), 'WhatsApp Web could not start', ['Try again'], false],
  ] as const)('renders the %s state: its words, its buttons, and the page title says it', async (name, s, heading, buttons, linkShown) => {
    const page = await openWindow(context, s);
    await expect.poll(() => title(page)).toBe(heading);
    for (const label of ACTION_LABELS) {
      expect(await page.getByRole('button', { name: label, exact: true }).isVisible(), label).toBe((buttons as readonly string[]).includes(label));
    }
    expect(await page.locator('#link').isVisible()).toBe(linkShown);
    expect(await page.title()).toBe(`${heading.startsWith('Linked as') ? 'Linked' : heading} — WhatsApp MCP Desktop`);
    if (name === 'qr') await expect.poll(() => page.getByRole('img', { name: /QR code to link WhatsApp/ }).isVisible()).toBe(true);
    await screenshot(page, `window-${name}`);
    await page.close();
  });

  it('follows status pushes from the main process', async () => {
    const page = await openWindow(context, status('stopped'));
    await expect.poll(() => title(page)).toBe('Not linked');
    await push(page, status('ready'));
    await expect.poll(() => title(page)).toBe('Linked as Ada Lovelace (+447700900123)');
    await page.close();
  });

  describe('regression: Log out unlinked the account without asking, and in starting/qr it was the only button', () => {
    it('Log out… asks first; "Keep linked" (or Escape) changes nothing', async () => {
      const page = await openWindow(context, status('ready'));
      await page.getByRole('button', { name: 'Log out…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Log out of WhatsApp on this computer?' });
      await expect.poll(() => dialog.isVisible()).toBe(true);
      expect(await dialog.textContent()).toContain("removed from your phone's Linked devices");
      expect(await focusedId(page)).toBe('confirm-cancel');
      await screenshot(page, 'window-confirm-logout');
      await page.getByRole('button', { name: 'Keep linked' }).click();
      await expect.poll(() => dialog.isVisible()).toBe(false);
      await page.getByRole('button', { name: 'Log out…' }).click();
      await expect.poll(() => dialog.isVisible()).toBe(true);
      await page.keyboard.press('Escape');
      await expect.poll(() => dialog.isVisible()).toBe(false);
      expect(await focusedId(page)).toBe('secondary');
      expect(await calls(page)).toEqual([]);
      expect(await title(page)).toMatch(/^Linked as/);
      await page.close();
    });

    it('confirming logs out, and focus lands on Log in instead of <body>', async () => {
      const page = await openWindow(context, status('ready'));
      await page.getByRole('button', { name: 'Log out…' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Log out', exact: true }).click();
      await expect.poll(() => title(page)).toBe('Not linked');
      expect(await calls(page)).toEqual([['logout']]);
      expect(await focusedId(page)).toBe('primary');
      expect(await page.locator('#primary').textContent()).toBe('Log in');
      await page.close();
    });

    it.each([['starting'], ['qr']] as const)('in %s the button is Cancel, which stops linking without a question', async (state) => {
      const page = await openWindow(context, status(state));
      await page.getByRole('button', { name: 'Cancel', exact: true }).click();
      await expect.poll(() => title(page)).toBe('Not linked');
      expect(await page.getByRole('dialog').isVisible()).toBe(false);
      expect(await calls(page)).toEqual([['logout']]);
      expect(await page.getByRole('button', { name: /Log out/ }).count()).toBe(0);
      await page.close();
    });
  });

  it('regression: keyboard focus dropped to <body> after Log in and after Simulate', async () => {
    const page = await openWindow(context, status('stopped'), { ...CONFIG, demo: true });
    await expect.poll(() => title(page)).toBe('Not linked');
    let focused = '';
    for (let i = 0; i < 5 && focused !== 'primary'; i++) {
      await page.keyboard.press('Tab');
      focused = await focusedId(page);
    }
    expect(focused).toBe('primary');
    await page.keyboard.press('Enter');
    await expect.poll(() => title(page)).toBe('Starting WhatsApp Web…');
    expect(await calls(page)).toEqual([['startAuth']]);
    // Log in is gone; focus is on the heading that says what happens now.
    expect(await focusedId(page)).toBe('status-title');

    await push(page, status('qr'));
    const simulate = page.getByRole('button', { name: 'Simulate the phone scanning (demo)' });
    await expect.poll(() => simulate.isVisible()).toBe(true);
    await simulate.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => title(page)).toMatch(/^Linked as/);
    expect(await focusedId(page)).toBe('status-title');
    await page.close();
  });

  it('regression: "Chrome not found" was shown twice, with a grey dot, and Log in stayed the main action', async () => {
    const page = await openWindow(context, status('stopped'), CONFIG, { startError: { code: 'BROWSER_UNAVAILABLE', message: ERRORS.noChrome } });
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => title(page)).toBe('WhatsApp Web could not start');
    const text = (await page.locator('main').innerText()).split('No Chrome, Chromium or Edge found').length - 1;
    expect(text).toBe(1);
    expect(await page.getByRole('alert').isVisible()).toBe(false);
    expect(await page.locator('#status-dot').getAttribute('class')).toBe('dot error');
    expect(await page.getByRole('button', { name: 'Log in' }).count()).toBe(0);
    expect(await page.locator('button.primary:visible').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Try again' }).isVisible()).toBe(true);
    await screenshot(page, 'window-chrome-not-found');
    await page.close();
  });

  describe('regression: a person was told to "Call POST /api/auth/start", and a phone logout still read "Disconnected" with Log out', () => {
    it('after the phone removed this device: plain words and "Link again", no Log out', async () => {
      const page = await openWindow(context, status('disconnected', { last_error: ERRORS.phoneLogout }));
      await expect.poll(() => title(page)).toBe('Unlinked from your phone');
      expect(await page.locator('#status-text').textContent()).toBe('This computer was unlinked from your phone — link again to use WhatsApp here.');
      expect(await page.getByRole('button', { name: /Log out/ }).count()).toBe(0);
      await page.getByRole('button', { name: 'Link again' }).click();
      await expect.poll(() => calls(page)).toEqual([['startAuth']]);
      await page.close();
    });

    it.each([
      ['gave up reconnecting', ERRORS.gaveUp, 'Reconnect'],
      ['another browser took over', ERRORS.conflict, 'Use here'],
    ])('%s: no API instructions on the page, and the button does it', async (_name, error, action) => {
      const page = await openWindow(context, status('disconnected', { last_error: error }));
      await expect.poll(() => page.getByRole('button', { name: action }).isVisible()).toBe(true);
      expect(await page.locator('#main').innerText()).not.toMatch(/POST \/api/);
      await page.getByRole('button', { name: action }).click();
      await expect.poll(() => calls(page)).toEqual([['startAuth']]);
      await page.close();
    });
  });

  it('regression: the page was wider than the window at 420 px, and opening a snippet made it over 1,000 px wide (now: every disclosure of the page, the MCP configurations included)', async () => {
    const narrow = await browser.newContext({ viewport: { width: 420, height: 760 } });
    const page = await openWindow(narrow, status('ready', { account: { wid: '447700900123@c.us', pushname: 'Maximiliana Oberhausener', platform: null } }));
    await expect.poll(() => title(page)).toMatch(/Maximiliana/);
    await expect.poll(() => page.locator('#install-list summary').count()).toBe(2);
    for (const summary of await page.locator('main summary:visible').all()) if (!(await summary.evaluate((s) => (s.parentElement as HTMLDetailsElement).open))) await summary.click();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420);
    const heading = await page.locator('#status-title').boundingBox();
    const card = await page.locator('.status-card').boundingBox();
    expect(heading!.x + heading!.width).toBeLessThanOrEqual(card!.x + card!.width);
    await screenshot(page, 'window-420-snippets-open');
    await narrow.close();
  });

  it('regression: right-to-left names rendered as "(966501234567+) عائشة"', async () => {
    const page = await openWindow(context, status('ready', { account: { wid: '966501234567@c.us', pushname: 'عائشة', platform: 'iphone' } }));
    await expect.poll(() => page.locator('#status-title bdi').textContent()).toBe('عائشة');
    expect(await title(page)).toBe('Linked as عائشة (+966501234567)');
    const name = (await page.locator('#status-title bdi').boundingBox())!;
    const number = (await page.locator('#status-title [dir="ltr"]').boundingBox())!;
    // Read left to right: "Linked as", the name, then the number with its "+" in front.
    expect(number.x).toBeGreaterThan(name.x + name.width);
    const plusFirst = await page.locator('#status-title [dir="ltr"]').evaluate((el) => {
      const range = document.createRange();
      range.setStart(el.firstChild!, 0);
      range.setEnd(el.firstChild!, 1);
      const plus = range.getBoundingClientRect();
      range.setStart(el.firstChild!, 1);
      range.setEnd(el.firstChild!, 2);
      return plus.x < range.getBoundingClientRect().x;
    });
    expect(plusFirst).toBe(true);
    await screenshot(page, 'window-rtl-name');
    await page.close();
  });

  it('regression: the linking steps were for iPhone only', async () => {
    const page = await openWindow(context, status('qr'));
    await expect.poll(() => title(page)).toBe('Waiting for your phone');
    const steps = await page.locator('#qr-panel .steps').innerText();
    expect(steps).toContain('Menu ⋮ on Android or Settings on iPhone');
    expect(steps).toContain('Linked devices → Link a device');
    await page.close();
  });

  describe('regression: the pairing code sat beside a dead QR code, unformatted, with no copy and no expiry', () => {
    it('shows the code in 4+4 grouping with copy and its expiry, and takes the QR code off screen', async () => {
      const page = await openWindow(context, status('qr'));
      await page.clock.install();
      const qr = page.getByRole('img', { name: /QR code to link WhatsApp/ });
      await expect.poll(() => qr.isVisible()).toBe(true);
      await page.getByLabel('Your WhatsApp number, with country code').fill('+44 7700 900123');
      await page.getByRole('button', { name: 'Get a pairing code' }).click();
      await expect.poll(() => page.locator('#pair-code').textContent()).toBe('WXYZ-2345');
      expect(await page.locator('#pair-code').innerText()).toMatch(/^WXYZ\s*-\s*2345$/);
      expect(await page.locator('#pair-phone').textContent()).toBe('+44 7700 900123');
      expect(await qr.isVisible()).toBe(false);
      expect(await page.getByRole('heading', { name: 'Scan the QR code' }).isVisible()).toBe(false);
      expect(await page.locator('#pair-expiry').textContent()).toMatch(/^Expires in 3:00/);
      expect(await focusedId(page)).toBe('pair-copy');

      await page.getByRole('button', { name: 'Copy the pairing code' }).click();
      await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('WXYZ2345');
      await expect.poll(() => page.locator('#pair-copy').textContent()).toBe('Copied');
      await screenshot(page, 'window-pairing-code-shown');

      await page.clock.runFor(61_000);
      await expect.poll(() => page.locator('#pair-expiry').textContent()).toMatch(/^Expires in 1:59/);
      await page.clock.runFor(120_000);
      await expect.poll(() => page.locator('#pair-expiry').textContent()).toMatch(/expired/);
      expect(await page.locator('#pair-code').getAttribute('class')).toContain('expired');
      await screenshot(page, 'window-pairing-code-expired');
      await page.getByRole('button', { name: 'Get a new code' }).click();
      await expect.poll(() => page.locator('#pair-expiry').textContent()).toMatch(/^Expires in 3:00/);
      expect(await calls(page)).toEqual([
        ['requestPairingCode', '447700900123'],
        ['requestPairingCode', '447700900123'],
      ]);

      await page.getByRole('button', { name: 'Use another number' }).click();
      expect(await focusedId(page)).toBe('phone');
      await expect.poll(() => qr.isVisible()).toBe(true);
      await page.close();
    });

    it('validates the number before asking for a code', async () => {
      const page = await openWindow(context, status('qr'));
      const phone = page.getByLabel('Your WhatsApp number, with country code');
      await page.getByRole('button', { name: 'Get a pairing code' }).click();
      await expect.poll(() => page.locator('#phone-error').textContent()).toMatch(/Enter your phone number/);
      expect(await phone.getAttribute('aria-invalid')).toBe('true');
      expect(await focusedId(page)).toBe('phone');
      await phone.fill('+44 77');
      await phone.press('Enter');
      await expect.poll(() => page.locator('#phone-error').textContent()).toMatch(/has 4 digits/);
      await screenshot(page, 'window-pairing-invalid');
      expect(await calls(page)).toEqual([]);
      await page.close();
    });
  });

  it("shows the bridge's error when no code can be issued", async () => {
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
    expect(await calls(page)).toEqual([
      ['copy', 'token'],
      ['copy', 'claude-desktop'],
    ]);
    await page.close();
  });

  it('keeps the token masked until asked; the MCP set-up never holds it, shown or not', async () => {
    const page = await openWindow(context, status('ready'));
    await expect.poll(() => page.locator('#token').textContent()).toBe('•'.repeat(16));
    await expect.poll(() => page.locator('#install-list > li').count()).toBe(4);
    await page.getByRole('button', { name: 'Show' }).click();
    expect(await page.locator('#token').textContent()).toBe(TOKEN);
    expect(await page.locator('#connect').textContent()).not.toContain(TOKEN);
    expect(await page.getByRole('button', { name: 'Hide' }).getAttribute('aria-pressed')).toBe('true');
    await page.close();
  });

  it('in demo mode says so and offers the simulated phone', async () => {
    const page = await openWindow(context, status('qr'), { ...CONFIG, demo: true });
    await expect.poll(() => page.getByRole('button', { name: 'Simulate the phone scanning (demo)' }).isVisible()).toBe(true);
    expect(await page.locator('#demo-badge').isVisible()).toBe(true);
    await screenshot(page, 'window-demo-qr');
    await page.close();
  });

  it.each(['light', 'dark'] as const)('regression: the demo badge failed contrast (4.4:1) — axe finds nothing serious in demo mode, %s', async (scheme) => {
    const ctx = await browser.newContext({ viewport: { width: 420, height: 760 }, colorScheme: scheme });
    const page = await openWindow(ctx, status('qr'), { ...CONFIG, demo: true });
    await expect.poll(() => page.locator('#demo-badge').isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('img', { name: /QR code/ }).isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await ctx.close();
  });

  it('reads well in dark mode', async () => {
    const dark = await browser.newContext({ viewport: { width: 860, height: 760 }, colorScheme: 'dark' });
    const page = await openWindow(dark, status('ready'));
    await expect.poll(() => title(page)).toMatch(/^Linked/);
    await screenshot(page, 'window-ready-dark');
    await dark.close();
  });

  describe('Activity and Health in the window: the log over IPC, then live pushes', () => {
    const FAKE: Fake = {
      activity: {
        events: [logged({ type: 'status', state: 'ready', previous: 'authenticated', last_error: null }, null), ours(BOB, 'true_bob_1', 'Lunch at noon?')],
        sends: [
          {
            id: 'ob_01JFAILED0000000000000000',
            kind: 'text',
            client_id: null,
            chat_id: '15550100009@c.us',
            status: 'failed',
            message_id: null,
            attempts: 1,
            error: { code: 'NOT_ON_WHATSAPP', message: '+15550100009 is not on WhatsApp.' },
            text: 'Are you there?',
            created_at: new Date().toISOString(),
            updated_at: new Date().toISOString(),
            sent_at: null,
            approval: null,
          },
        ],
      },
      chats: [chat(AISHA, 'عائشة'), chat(BOB, 'Bob Chen'), chat(FAMILY, 'Family')],
      health: {
        uptime_s: 3 * 3600 + 5 * 60,
        queued: { count: 3, more: false },
        webhooks: [
          { id: 'wh_1', url: 'https://hooks.example/ok', enabled: true, disabled_reason: null, failure_count: 0 },
          {
            id: 'wh_2',
            url: 'https://hooks.example/gone',
            enabled: false,
            disabled_reason: 'Disabled: delivery msg_1 failed 12 times over 24 h (last: HTTP 410).',
            failure_count: 12,
          },
        ],
      },
    };
    const items = (page: Page) => page.locator('#activity-list > li:not([hidden])');
    const row = (page: Page, text: string) => items(page).filter({ hasText: text });

    it('starts from the log and the outbox, then follows pushed events; acks move a send forward', async () => {
      const page = await openWindow(context, status('ready'), CONFIG, FAKE, (p) => p.clock.install());
      await expect.poll(() => row(page, 'Lunch at noon?').locator('.activity-what').innerText()).toBe('To Bob Chen +15550100002');
      expect(await row(page, 'Lunch at noon?').locator('.activity-state').textContent()).toBe('Sending…');
      expect(await row(page, 'Are you there?').locator('.activity-what').innerText()).toBe('Not sent to +15550100009');
      expect(await row(page, 'Are you there?').locator('.activity-state').textContent()).toBe('Failed — +15550100009 is not on WhatsApp.');
      expect(await items(page).filter({ hasText: /^WhatsApp:/ }).locator('.activity-what').textContent()).toBe('WhatsApp: Linked');

      await pushEvent(page, ack(BOB, 'true_bob_1', 'delivered'));
      await pushEvent(page, ack(BOB, 'true_bob_1', 'sent'));
      await expect.poll(() => row(page, 'Lunch at noon?').locator('.activity-state').textContent()).toBe('Delivered');
      await pushEvent(page, ack(BOB, 'true_bob_1', 'read'));
      await expect.poll(() => row(page, 'Lunch at noon?').locator('.activity-state').textContent()).toBe('Read');

      // Someone else's words: a name in <bdi> (right-to-left stays whole), text as text, direction from the text.
      await pushEvent(page, incoming(AISHA, 'false_aisha_1', 'مرحبا <script>window.__ran=1</script>\nsecond line'));
      const hers = row(page, 'مرحبا');
      await expect.poll(() => hers.count()).toBe(1);
      expect(await hers.locator('bdi.activity-name').textContent()).toBe('عائشة');
      expect(await hers.locator('.activity-number').textContent()).toBe('+966501234567');
      expect(await hers.locator('.activity-text').textContent()).toBe('مرحبا <script>window.__ran=1</script>');
      expect(await page.locator('#activity-list script').count()).toBe(0);
      expect(await items(page).first().textContent()).toContain('مرحبا');

      // In a group: who wrote it, and where.
      await pushEvent(page, incoming(FAMILY, 'false_family_1', 'Dinner on Sunday', { author: BOB, sender_phone: BOB }));
      await expect.poll(() => row(page, 'Dinner on Sunday').locator('.activity-what').innerText()).toBe('From Bob Chen +15550100002 in Family');
      await page.close();
    });

    it('of two messages in the same second (WhatsApp times are whole seconds), the later one is on top', async () => {
      const page = await openWindow(context, status('ready'), CONFIG, FAKE);
      await expect.poll(() => row(page, 'Lunch at noon?').count()).toBe(1);
      const at = new Date().toISOString();
      await pushEvent(page, { ...incoming(BOB, 'false_bob_a', 'first'), at });
      await pushEvent(page, { ...incoming(BOB, 'false_bob_b', 'second'), at });
      await expect.poll(() => items(page).locator('.activity-text').allTextContents()).toEqual(expect.arrayContaining(['second', 'first']));
      expect((await items(page).locator('.activity-text').allTextContents()).slice(0, 2)).toEqual(['second', 'first']);
      await page.close();
    });

    it('sums new messages up for screen readers instead of announcing each one', async () => {
      const page = await openWindow(context, status('ready'), CONFIG, FAKE, (p) => p.clock.install());
      await expect.poll(() => row(page, 'Lunch at noon?').count()).toBe(1);
      for (const n of [1, 2, 3]) await pushEvent(page, incoming(BOB, `false_bob_${n}`, `Message ${n}`));
      await pushEvent(page, ours(BOB, 'true_bob_2', 'Got them'));
      await expect.poll(() => items(page).filter({ hasText: /^From Bob Chen/ }).count()).toBe(3);
      expect(await page.locator('#activity-live').textContent()).toBe('');
      expect(await page.locator('#activity-list').getAttribute('aria-live')).toBeNull();
      await page.clock.runFor(10_000);
      // Our own sends are not announced: whoever sent them knows.
      await expect.poll(() => page.locator('#activity-live').textContent()).toBe('Activity: 3 new messages.');
      await page.close();
    });

    it('filters by chat', async () => {
      const page = await openWindow(context, status('ready'), CONFIG, FAKE);
      await expect.poll(() => row(page, 'Lunch at noon?').count()).toBe(1);
      await pushEvent(page, incoming(AISHA, 'false_aisha_2', 'Hello'));
      await page.getByLabel('Show').selectOption({ label: 'عائشة' });
      await expect.poll(() => items(page).count()).toBe(1);
      expect(await items(page).textContent()).toContain('Hello');
      await page.getByLabel('Show').selectOption({ label: 'All chats' });
      await expect.poll(() => items(page).count()).toBe(4);
      await page.close();
    });

    it('Health: state, how long it runs, the queue, and a disabled webhook with its reason', async () => {
      const page = await openWindow(context, status('ready'), CONFIG, FAKE);
      await expect.poll(() => page.locator('#health-uptime').textContent()).toBe('3 h 5 min');
      expect(await page.locator('#health-state').textContent()).toBe('Linked');
      expect(await page.locator('#health-error').textContent()).toBe('None');
      expect(await page.locator('#health-outbox').textContent()).toBe('3 sends waiting to go out');
      expect((await page.locator('#health-webhooks').innerText()).split(/\n+/)).toEqual([
        '1 of 2 delivering',
        'https://hooks.example/gone Disabled: delivery msg_1 failed 12 times over 24 h (last: HTTP 410).',
      ]);
      await screenshot(page, 'window-activity-health');
      await page.close();
    });

    it.each([420, 860])('fits %i px and passes axe with the panels filled, light and dark', async (width) => {
      for (const scheme of ['light', 'dark'] as const) {
        const ctx = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
        const page = await openWindow(ctx, status('ready'), CONFIG, FAKE);
        await expect.poll(() => row(page, 'Lunch at noon?').count()).toBe(1);
        await pushEvent(page, incoming(AISHA, 'false_aisha_3', `${'long-word-without-spaces-'.repeat(8)} and a long line that must wrap`));
        await expect.poll(() => row(page, 'long-word').count()).toBe(1);
        const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
        expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
        expect(await seriousViolations(page)).toEqual([]);
        await ctx.close();
      }
    });
  });

  describe('the control centre over IPC: approvals, Details, install links', () => {
    const held = (id: string, chatId: string, text: string | null, patch: Partial<SendView> = {}): SendView => ({
      id,
      kind: 'text',
      chat_id: chatId,
      client_id: null,
      status: 'awaiting_approval',
      message_id: null,
      attempts: 0,
      error: null,
      text,
      created_at: new Date().toISOString(),
      updated_at: new Date().toISOString(),
      sent_at: null,
      approval: {
        reason: 'new_recipient',
        reason_text: 'nobody has written to this recipient from this account before',
        requested_by: 'Cursor',
        expires_at: new Date(Date.now() + 9 * 60_000).toISOString(),
        files: [],
        decision: null,
        decided_by: null,
        decided_at: null,
      },
      ...patch,
    });
    const FIRST = 'ob_01J0000000000000000000FIRST';
    const SECOND = 'ob_01J000000000000000000SECOND';
    const APPROVALS: PendingApproval[] = [
      { send: held(FIRST, AISHA, 'مرحبا، هل وصلك التقرير؟'), recipient_name: 'عائشة' },
      { send: held(SECOND, BOB, 'Second one'), recipient_name: 'Bob Chen' },
    ];
    const approvalEvent = (id: string, state: 'pending' | 'approved') =>
      logged({ type: 'approval', outbox_id: id, chat_id: BOB, state, reason: 'new_recipient', client: 'Cursor', client_id: null, expires_at: null }, BOB);

    it('the tray\'s notification opens the window at its approval: that send\'s Approve has the focus; the name isolated, right-to-left text kept', async () => {
      const page = await openWindow(context, status('ready'), CONFIG, { approvals: APPROVALS, hash: `approval-${SECOND}` });
      await expect.poll(() => page.evaluate(() => document.activeElement?.closest('li')?.id)).toBe(`pending-${SECOND}`);
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Approve');
      const first = page.locator(`#pending-${FIRST}`);
      expect(await first.locator('bdi.approval-name').textContent()).toBe('عائشة');
      expect(await first.locator('.approval-number').getAttribute('dir')).toBe('ltr');
      expect(await first.locator('.approval-text').getAttribute('dir')).toBe('auto');
      expect(await first.locator('.approval-expiry').textContent()).toMatch(/^[89]:\d\d left$/);
      await page.close();
    });

    it('the tray\'s "2 sends waiting for approval…" opens the window at the panel, its heading focused', async () => {
      const page = await openWindow(context, status('ready'), CONFIG, { approvals: APPROVALS, hash: 'waiting-approvals' });
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('approvals-title');
      expect(await page.locator('#approvals-title').textContent()).toBe('2 sends waiting for your approval');
      await page.close();
    });

    it('Deny goes to the main process; the list is re-read when the log says an approval changed', async () => {
      const page = await openWindow(context, status('ready'), CONFIG, { approvals: APPROVALS });
      await expect.poll(() => page.locator('#approvals-list > li').count()).toBe(2);
      await page.locator(`#pending-${FIRST}`).getByRole('button', { name: 'Deny' }).click();
      await expect.poll(() => page.locator('#approvals-list > li').count()).toBe(1);
      expect(await calls(page)).toContainEqual(['decideApproval', FIRST, 'deny']);
      expect(await page.locator('#announcer').textContent()).toBe('Denied: nothing is sent to عائشة.');
      // Decided elsewhere (the notification, REST): the pushed event re-reads the list, and the panel goes.
      await page.evaluate((id) => (window as unknown as { whatsappDesktop: { decideApproval(id: string, d: string): Promise<unknown> } }).whatsappDesktop.decideApproval(id, 'approve'), SECOND);
      await pushEvent(page, approvalEvent(SECOND, 'approved'));
      await expect.poll(() => page.locator('#approvals').isHidden()).toBe(true);
      await page.close();
    });

    it("an approval in Activity opens its send's details (read over IPC), as text", async () => {
      const page = await openWindow(context, status('ready'), CONFIG, { approvals: APPROVALS });
      await pushEvent(page, approvalEvent(SECOND, 'pending'));
      const item = page.locator('#activity-list > li').filter({ hasText: /^Waiting for your approval: to/ });
      await expect.poll(() => item.count()).toBe(1);
      await item.getByRole('button', { name: /^Details/ }).click();
      await expect.poll(() => page.getByRole('dialog', { name: 'Send details' }).isVisible()).toBe(true);
      expect(await calls(page)).toContainEqual(['getSend', SECOND]);
      expect(await page.locator('#send-details-fields').innerText()).toMatch(/Status\s+Waiting for approval\s+To\s+\+15550100002/);
      await page.keyboard.press('Escape');
      await page.close();
    });

    it('install links go to the main process (the window never navigates to cursor: or vscode:)', async () => {
      const page = await openWindow(context, status('ready'));
      await page.getByRole('link', { name: 'Add to Cursor' }).click();
      await page.getByRole('link', { name: 'Install in VS Code' }).click();
      await expect.poll(() => calls(page)).toEqual([
        ['openInstallLink', 'cursor'],
        ['openInstallLink', 'vscode'],
      ]);
      expect(page.url()).toBe(`${ORIGIN}/`);
      await page.close();
    });
  });
  it('the Accounts card in the window: lists the accounts, switches by accounts:select and a reload, adds and removes over IPC', async () => {
    const at = '2026-01-01T00:00:00.000Z';
    const accounts: AccountsView = {
      shown: 'default',
      accounts: [
        { id: 'default', name: 'Default', default: true, state: 'ready', me: '447700900123', created_at: at, updated_at: at },
        { id: 'work', name: 'Work phone', default: false, state: 'qr', me: null, created_at: at, updated_at: at },
      ],
    };
    const page = await openWindow(context, status('ready'), CONFIG, { accounts });
    const accountCalls = () => page.evaluate(() => JSON.parse(sessionStorage.getItem('__accountCalls') ?? '[]') as unknown[][]);
    const rows = page.locator('#accounts-list li');
    const current = page.locator('#accounts-list a[aria-current="page"]');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await page.locator('#accounts').isVisible()).toBe(true);
    expect(await current.innerText()).toMatch(/Default[\s\S]*\+447700900123[\s\S]*shown/);
    expect(await rows.nth(1).innerText()).toMatch(/Work phone[\s\S]*work/);
    expect(await page.locator('#account-remove').isVisible()).toBe(false);

    // Switching asks the main process, then the page reloads for that account (the address stays the window's).
    await page.evaluate(() => Object.assign(window, { __beforeSwitch: true }));
    await page.locator('#accounts-list a', { hasText: 'Work phone' }).click();
    await expect.poll(() => current.innerText().catch(() => '')).toMatch(/Work phone/);
    expect(await accountCalls()).toEqual([['selectAccount', 'work']]);
    expect(await page.evaluate(() => '__beforeSwitch' in window)).toBe(false);
    expect(page.url()).toBe(`${ORIGIN}/`);
    const remove = page.getByRole('button', { name: 'Remove “Work phone”…' });
    expect(await remove.isVisible()).toBe(true);

    // Removing it (after the confirmation) calls accounts:remove, and the default one is shown again.
    await remove.click();
    await page.getByRole('button', { name: 'Remove and delete its data' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await current.innerText()).toMatch(/Default/);
    expect(await accountCalls()).toEqual([['selectAccount', 'work'], ['removeAccount', 'work'], ['selectAccount', 'default']]);

    // Adding one calls accounts:create with the form's fields, and shows it.
    await page.locator('#account-create summary').click();
    await page.locator('#account-id').fill('shop');
    await page.locator('#account-name').fill('Shop');
    await page.getByRole('button', { name: 'Add account' }).click();
    await expect.poll(() => current.innerText().catch(() => '')).toMatch(/Shop/);
    expect((await accountCalls()).slice(3)).toEqual([['createAccount', { id: 'shop', name: 'Shop' }], ['selectAccount', 'shop']]);
    await page.close();
  });

  it('without accounts from the main process the window keeps the Accounts card hidden', async () => {
    const page = await openWindow(context, status('ready'));
    await expect.poll(() => page.locator('#status-title').textContent()).toMatch(/^Linked as/);
    expect(await page.locator('#accounts').isVisible()).toBe(false);
    await page.close();
  });
});
