import { describe, expect, it, vi } from 'vitest';
import { copiedNotice, statusLine, trayIconKind, trayMenuTemplate, trayTooltip, worstIconKind, type TrayAccount, type TrayActions, type TrayMenuItem, type TrayStatus } from '../../../src/main/tray-menu.js';
import type { SessionStateName } from '../../../src/shared/ipc.js';

const actions = (): TrayActions => ({
  openWindow: vi.fn(),
  openApprovals: vi.fn(),
  setAgentsPaused: vi.fn(),
  start: vi.fn(),
  linkWithPhoneNumber: vi.fn(),
  cancel: vi.fn(),
  logOut: vi.fn(),
  copyToken: vi.fn(),
  copyMcpConfig: vi.fn(),
  setOpenAtLogin: vi.fn(),
  quit: vi.fn(),
});

/** The bridge's own words for these causes (src/whatsapp/wwebjs-session.ts); the demo e2e test pins them. */
const ERRORS = {
  reconnecting: 'WhatsApp disconnected (NAVIGATION); reconnecting in 4 s (attempt 2).',
  gaveUp: 'WhatsApp disconnected (NAVIGATION); gave up reconnecting after 10 attempts. Call POST /api/auth/start.',
  conflict: 'WhatsApp Web was opened on another computer or browser. Call POST /api/auth/start to use it here again.',
  phoneLogout: 'The phone logged this device out (Linked devices). Link again with POST /api/auth/start.',
  noChrome: 'No Chrome, Chromium or Edge found on this machine. Install one, or set WHATSAPP_CHROME_EXECUTABLE to its executable.',
};

const status = (state: SessionStateName, patch: Partial<TrayStatus> = {}): TrayStatus => ({
  state,
  account: state === 'ready' ? { wid: '15551234567@c.us', pushname: 'Ada' } : null,
  lastError: null,
  openAtLogin: false,
  demo: false,
  approvals: 0,
  agentsPaused: false,
  ...patch,
});

const flat = (items: TrayMenuItem[]): TrayMenuItem[] => items.flatMap((i) => [i, ...flat(i.submenu ?? [])]);
const byId = (items: TrayMenuItem[], id: string): TrayMenuItem => {
  const found = flat(items).find((i) => i.id === id);
  if (!found) throw new Error(`no menu item ${id}`);
  return found;
};

const labels = (items: TrayMenuItem[]) => items.filter((i) => i.type !== 'separator' && i.id !== 'status').map((i) => i.label);
const COMMON = ['Copy API token', 'Copy MCP client config', 'Pause agents', 'Start at login', 'Quit'];

describe('tray menu per state: the same words and actions as the window', () => {
  it.each([
    ['stopped', status('stopped'), 'Not linked', ['Log in…', 'Link with phone number…'], 'needs-login'],
    ['starting', status('starting'), 'Starting WhatsApp Web…', ['Cancel linking', 'Link with phone number…'], 'connecting'],
    ['qr', status('qr'), 'Waiting for your phone', ['Cancel linking', 'Link with phone number…'], 'needs-login'],
    ['authenticated', status('authenticated'), 'Phone linked', ['Log out…'], 'connecting'],
    ['ready', status('ready'), 'Linked as Ada (+15551234567)', ['Log out…'], 'linked'],
    ['reconnecting', status('disconnected', { lastError: ERRORS.reconnecting }), 'Reconnecting…', ['Log out…'], 'connecting'],
    ['disconnected', status('disconnected', { lastError: ERRORS.gaveUp }), 'Disconnected', ['Reconnect', 'Log out…'], 'error'],
    ['conflict', status('disconnected', { lastError: ERRORS.conflict }), 'WhatsApp is open in another window', ['Use here', 'Log out…'], 'error'],
    ['phone logout', status('disconnected', { lastError: ERRORS.phoneLogout }), 'Unlinked from your phone', ['Link again…', 'Link with phone number…'], 'needs-login'],
    ['auth_failure', status('auth_failure', { lastError: 'WhatsApp rejected the saved session: UNPAIRED' }), 'Linking failed', ['Link again…', 'Link with phone number…'], 'error'],
    ['Chrome not found', status('stopped', { lastError: ERRORS.noChrome }), 'WhatsApp Web could not start', ['Try again'], 'error'],
  ] as const)('%s: reads "%s", offers %j, shows the %s icon', (_name, s, line, session, icon) => {
    const menu = trayMenuTemplate(s, actions(), 'linux');
    expect(byId(menu, 'status')).toMatchObject({ label: line, enabled: false });
    expect(labels(menu)).toEqual(['Open window', ...session, ...COMMON]);
    expect(trayIconKind(s)).toBe(icon);
  });

  it('regression: in starting/qr the tray offered "Log out" for what is really a cancel', () => {
    const a = actions();
    for (const state of ['starting', 'qr'] as const) {
      const menu = trayMenuTemplate(status(state), a, 'linux');
      expect(labels(menu)).not.toContain('Log out');
      byId(menu, 'cancel').click?.();
    }
    expect(a.cancel).toHaveBeenCalledTimes(2);
    expect(a.logOut).not.toHaveBeenCalled();
  });

  it('regression: "Chrome not found" showed the needs-login icon while the window said error', () => {
    expect(trayIconKind({ state: 'stopped', lastError: ERRORS.noChrome })).toBe('error');
    expect(trayIconKind({ state: 'stopped', lastError: null })).toBe('needs-login');
  });

  it('marks demo mode', () => {
    expect(statusLine(status('qr', { demo: true }))).toBe('Demo — Waiting for your phone');
  });

  it('names a linked account by number when it has no display name', () => {
    expect(statusLine(status('ready', { account: { wid: '447700900123@c.us', pushname: null } }))).toBe('Linked as +447700900123');
  });

  it('wires each item to its action: Log out… goes to the confirming action, never straight to logout', () => {
    const a = actions();
    const linking = trayMenuTemplate(status('stopped'), a, 'linux');
    for (const [id, fn] of [
      ['open', a.openWindow],
      ['login', a.start],
      ['pair', a.linkWithPhoneNumber],
      ['copy-token', a.copyToken],
      ['quit', a.quit],
    ] as const) {
      byId(linking, id).click?.();
      expect(fn).toHaveBeenCalledTimes(1);
    }
    byId(trayMenuTemplate(status('ready'), a, 'linux'), 'logout').click?.();
    expect(a.logOut).toHaveBeenCalledTimes(1);
    byId(linking, 'copy-mcp-cursor').click?.();
    expect(a.copyMcpConfig).toHaveBeenCalledWith('cursor');
    expect(byId(linking, 'copy-mcp').submenu?.map((i) => i.label)).toEqual(['Claude Desktop', 'Claude Code', 'Cursor', 'VS Code']);
  });

  it('"Start at login" is a checkbox that toggles', () => {
    const a = actions();
    const off = byId(trayMenuTemplate(status('ready'), a, 'linux'), 'open-at-login');
    expect(off).toMatchObject({ type: 'checkbox', checked: false });
    off.click?.();
    expect(a.setOpenAtLogin).toHaveBeenCalledWith(true);
    const on = byId(trayMenuTemplate(status('ready', { openAtLogin: true }), a, 'linux'), 'open-at-login');
    expect(on.checked).toBe(true);
    on.click?.();
    expect(a.setOpenAtLogin).toHaveBeenLastCalledWith(false);
  });
});

describe('tray menu per platform', () => {
  it.each([
    ['darwin', 'Open at Login', 'Quit WhatsApp MCP Desktop', 'Pause Agents'],
    ['win32', 'Start at login', 'Quit', 'Pause agents'],
    ['linux', 'Start at login', 'Quit', 'Pause agents'],
  ] as const)('regression: macOS got Windows words — on %s the items read "%s", "%s" and "%s"', (platform, login, quit, pause) => {
    const menu = trayMenuTemplate(status('ready'), actions(), platform);
    expect(byId(menu, 'open-at-login').label).toBe(login);
    expect(byId(menu, 'quit').label).toBe(quit);
    expect(byId(menu, 'pause-agents').label).toBe(pause);
  });
});

describe('tray menu: sends waiting for approval and paused agents', () => {
  it.each(['linux', 'win32', 'darwin'] as const)('on %s: no approvals item while none waits; with 2 waiting, the second item says so and opens the window at Approvals', (platform) => {
    const a = actions();
    expect(trayMenuTemplate(status('ready'), a, platform).some((i) => i.id === 'approvals')).toBe(false);
    const menu = trayMenuTemplate(status('ready', { approvals: 2 }), a, platform);
    expect(menu.slice(0, 2).map((i) => [i.id, i.label, i.enabled ?? true])).toEqual([
      ['status', 'Linked as Ada (+15551234567)', false],
      ['approvals', '2 sends waiting for approval…', true],
    ]);
    byId(menu, 'approvals').click?.();
    expect(a.openApprovals).toHaveBeenCalledTimes(1);
    expect(a.openWindow).not.toHaveBeenCalled();
  });

  it('one send reads in the singular; approvals wait in any state (a send held while WhatsApp reconnects)', () => {
    for (const state of ['ready', 'disconnected', 'stopped'] as const) {
      expect(byId(trayMenuTemplate(status(state, { approvals: 1 }), actions(), 'linux'), 'approvals').label).toBe('1 send waiting for approval…');
    }
  });

  it('the tooltip adds the approvals and paused agents to the status', () => {
    expect(trayTooltip(status('ready'))).toBe('WhatsApp MCP Desktop — Linked as Ada (+15551234567)');
    expect(trayTooltip(status('ready', { approvals: 3, agentsPaused: true }))).toBe('WhatsApp MCP Desktop — Linked as Ada (+15551234567) — 3 sends waiting for approval — agents paused');
  });

  it('"Pause agents" is a checkbox that flips the kill switch', () => {
    const a = actions();
    const off = byId(trayMenuTemplate(status('ready'), a, 'linux'), 'pause-agents');
    expect(off).toMatchObject({ type: 'checkbox', checked: false });
    off.click?.();
    expect(a.setAgentsPaused).toHaveBeenLastCalledWith(true);
    const on = byId(trayMenuTemplate(status('ready', { agentsPaused: true }), a, 'linux'), 'pause-agents');
    expect(on.checked).toBe(true);
    on.click?.();
    expect(a.setAgentsPaused).toHaveBeenLastCalledWith(false);
  });
});

describe('regression: the tray\'s "Copy …" items gave no feedback', () => {
  it("with several accounts, a client's set-up names the account it reaches", () => {
    expect(copiedNotice('cursor', 'Work phone')).toEqual({ title: 'Cursor set-up for Work phone copied', body: expect.stringMatching(/^Paste it into Cursor’s MCP configuration: Cursor then uses Work phone\. It holds no token/) });
    expect(copiedNotice('claude-code', 'Work phone').body).toMatch(/^Run it once in a terminal: Claude Code then uses Work phone\./);
  });

  it('each copy has a notice that names what was copied; the token says to keep it private, a client set-up says it holds no token', () => {
    expect(copiedNotice('token')).toEqual({ title: 'API token copied', body: expect.stringMatching(/Keep it private/) });
    expect(copiedNotice('claude-code')).toEqual({ title: 'Claude Code set-up copied', body: expect.stringMatching(/^Run it once in a terminal\. It holds no token/) });
    expect(copiedNotice('vscode')).toEqual({ title: 'VS Code set-up copied', body: expect.stringMatching(/^Paste it into VS Code’s MCP configuration\. It holds no token/) });
  });
});

describe('several accounts in the tray (issue 14)', () => {
  const account = (id: string, name: string, state: SessionStateName, lastError: string | null = null): TrayAccount => ({ id, name, state, lastError });
  const home = account('default', 'Default', 'ready');

  it('one line per account with its state, under the status line, when there are several: each opens its own actions', () => {
    const s = status('ready', { accounts: [home, account('work', 'Work phone', 'qr'), account('shop', 'Shop', 'disconnected', ERRORS.gaveUp)] });
    const menu = trayMenuTemplate(s, actions(), 'linux');
    expect(menu.slice(0, 4).map((i) => [i.id, i.label, i.type, i.enabled])).toEqual([
      ['status', 'Linked as Ada (+15551234567)', undefined, false],
      ['account-default', 'Default: Linked', 'submenu', undefined],
      ['account-work', 'Work phone: Waiting for your phone', 'submenu', undefined],
      ['account-shop', 'Shop: Disconnected', 'submenu', undefined],
    ]);
    // The same actions per state as the one-account menu (one table of states), each account its own.
    const sub = (id: string) => labels(byId(menu, id).submenu ?? []);
    expect(sub('account-default')).toEqual(['Log out…', 'Show in window']);
    expect(sub('account-work')).toEqual(['Cancel linking', 'Link with phone number…', 'Show in window']);
    expect(sub('account-shop')).toEqual(['Reconnect', 'Log out…', 'Show in window']);
    // No session action at the top: none may act on an account it does not name.
    expect(labels(menu.filter((i) => !i.id?.startsWith('account-')))).toEqual(['Open window', ...COMMON]);
  });

  it("each account's items act on that account: start, cancel, the phone-number link, log out (which confirms), show", () => {
    const a = actions();
    const s = status('ready', { accounts: [home, account('work', 'Work phone', 'qr'), account('shop', 'Shop', 'disconnected', ERRORS.gaveUp)] });
    const menu = trayMenuTemplate(s, a, 'linux');
    byId(menu, 'account-work/cancel').click?.();
    expect(a.cancel).toHaveBeenLastCalledWith('work');
    byId(menu, 'account-work/pair').click?.();
    expect(a.linkWithPhoneNumber).toHaveBeenLastCalledWith('work');
    byId(menu, 'account-shop/login').click?.();
    expect(a.start).toHaveBeenLastCalledWith('shop');
    byId(menu, 'account-shop/logout').click?.();
    expect(a.logOut).toHaveBeenLastCalledWith('shop');
    byId(menu, 'account-default/logout').click?.();
    expect(a.logOut).toHaveBeenLastCalledWith('default');
    byId(menu, 'account-work/open').click?.();
    expect(a.openWindow).toHaveBeenLastCalledWith('work');
    byId(menu, 'open').click?.();
    expect(a.openWindow).toHaveBeenLastCalledWith();
  });

  it('regression: a tray click passed Electron\'s menu item as the account — every click calls its action with its own arguments only', () => {
    const a = actions();
    const single = trayMenuTemplate(status('stopped', { approvals: 1 }), a, 'linux');
    for (const id of ['open', 'approvals', 'login', 'pair', 'copy-token', 'quit']) byId(single, id).click?.({ id: 'menu item' });
    byId(trayMenuTemplate(status('qr'), a, 'linux'), 'cancel').click?.({ id: 'menu item' });
    // No account named: the one account (the default).
    for (const fn of [a.openWindow, a.openApprovals, a.start, a.linkWithPhoneNumber, a.copyToken, a.quit, a.cancel]) {
      expect(fn).toHaveBeenCalledTimes(1);
      expect(vi.mocked(fn).mock.calls[0]!.filter((arg) => arg !== undefined)).toEqual([]);
    }
  });

  it('every item id is unique, even for accounts whose ids extend each other ("a", "a-open", "a-login")', () => {
    const s = status('stopped', { approvals: 2, accounts: [home, { ...account('a', 'A', 'qr'), approvals: 1, agentsPaused: true }, account('a-open', 'A open', 'stopped'), account('a-login', 'A login', 'ready')] });
    const ids = flat(trayMenuTemplate(s, actions(), 'linux')).flatMap((i) => (i.id ? [i.id] : []));
    expect(ids).toContain('account-a/open');
    expect(ids).toContain('account-a-open');
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('with several accounts, "Copy MCP client config" offers each account its own set-ups', () => {
    const a = actions();
    const menu = trayMenuTemplate(status('ready', { accounts: [home, account('work', 'Work phone', 'ready')] }), a, 'linux');
    const copy = byId(menu, 'copy-mcp');
    expect(copy.submenu?.map((i) => [i.id, i.label, i.type])).toEqual([
      ['copy-mcp-account-default', 'Default', 'submenu'],
      ['copy-mcp-account-work', 'Work phone', 'submenu'],
    ]);
    expect(byId(menu, 'copy-mcp-account-work').submenu?.map((i) => i.label)).toEqual(['Claude Desktop', 'Claude Code', 'Cursor', 'VS Code']);
    byId(menu, 'copy-mcp-account-work/cursor').click?.();
    expect(a.copyMcpConfig).toHaveBeenLastCalledWith('cursor', 'work');
    byId(menu, 'copy-mcp-account-default/vscode').click?.();
    expect(a.copyMcpConfig).toHaveBeenLastCalledWith('vscode', 'default');
  });

  it("the top approvals item opens the first account with sends waiting; each account's own item opens that account's", () => {
    const a = actions();
    const s = status('ready', { approvals: 3, accounts: [home, { ...account('work', 'Work phone', 'ready'), approvals: 2 }, { ...account('shop', 'Shop', 'ready'), approvals: 1 }] });
    const menu = trayMenuTemplate(s, a, 'linux');
    byId(menu, 'approvals').click?.();
    expect(a.openApprovals).toHaveBeenLastCalledWith('work');
    byId(menu, 'account-shop/approvals').click?.();
    expect(a.openApprovals).toHaveBeenLastCalledWith('shop');
    expect(() => byId(menu, 'account-default/approvals')).toThrow();
  });

  it('"Pause agents" stays one switch (for every account) and shows the status\'s combined state', () => {
    const a = actions();
    const on = byId(trayMenuTemplate(status('ready', { agentsPaused: true, accounts: [home, account('work', 'Work', 'ready')] }), a, 'linux'), 'pause-agents');
    expect(on).toMatchObject({ type: 'checkbox', checked: true });
    on.click?.();
    expect(a.setAgentsPaused).toHaveBeenLastCalledWith(false);
  });

  it('a single account adds no lines: the menu is the one-account menu', () => {
    const ids = (items: TrayMenuItem[]) => items.map((i) => [i.id, i.label]);
    expect(ids(trayMenuTemplate(status('ready', { accounts: [home] }), actions(), 'linux'))).toEqual(ids(trayMenuTemplate(status('ready'), actions(), 'linux')));
  });

  it.each([
    ['all linked', ['ready', 'ready'], 'linked'],
    ['one connecting', ['ready', 'starting'], 'connecting'],
    ['one waiting for its phone', ['ready', 'qr'], 'needs-login'],
    ['one failed, another waiting', ['qr', 'auth_failure'], 'error'],
  ] as const)('the icon is the worst across accounts: %s → %s', (_name, [a, b], icon) => {
    const s = status('ready', { accounts: [account('default', 'Default', a), account('work', 'Work', b)] });
    expect(trayIconKind(s)).toBe(icon);
  });

  it('the default account counts too, and a failure behind an account\'s last error reads as its phase does', () => {
    expect(trayIconKind(status('auth_failure', { accounts: [account('work', 'Work', 'ready')] }))).toBe('error');
    expect(trayIconKind(status('ready', { accounts: [home, account('work', 'Work', 'stopped', ERRORS.noChrome)] }))).toBe('error');
    expect(trayIconKind(status('ready', { accounts: [home, account('work', 'Work', 'disconnected', ERRORS.reconnecting)] }))).toBe('connecting');
  });

  it('worstIconKind orders linked < connecting < needs-login < error', () => {
    expect(worstIconKind([])).toBe('linked');
    expect(worstIconKind(['error', 'linked'])).toBe('error');
    expect(worstIconKind(['connecting', 'needs-login', 'linked'])).toBe('needs-login');
  });
});
