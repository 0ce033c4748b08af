import { describe, expect, it, vi } from 'vitest';
import { statusLine, trayIconKind, trayMenuTemplate, type TrayActions, type TrayMenuItem, type TrayStatus } from '../../../src/main/tray-menu.js';
import type { SessionStateName } from '../../../src/shared/ipc.js';

const actions = (): TrayActions => ({
  openWindow: vi.fn(),
  logIn: vi.fn(),
  linkWithPhoneNumber: vi.fn(),
  logOut: vi.fn(),
  copyToken: vi.fn(),
  copyMcpConfig: vi.fn(),
  setOpenAtLogin: vi.fn(),
  quit: vi.fn(),
});

const status = (state: SessionStateName, patch: Partial<TrayStatus> = {}): TrayStatus => ({
  state,
  account: state === 'ready' ? { wid: '15551234567@c.us', pushname: 'Ada' } : null,
  lastError: null,
  openAtLogin: false,
  demo: false,
  ...patch,
});

const byId = (items: TrayMenuItem[], id: string): TrayMenuItem => {
  const found = items.flatMap((i) => [i, ...(i.submenu ?? [])]).find((i) => i.id === id);
  if (!found) throw new Error(`no menu item ${id}`);
  return found;
};

const ALL: SessionStateName[] = ['stopped', 'starting', 'qr', 'authenticated', 'ready', 'auth_failure', 'disconnected'];

describe('tray menu template', () => {
  it.each(ALL)('has every item, in order, in state %s', (state) => {
    const labels = trayMenuTemplate(status(state), actions())
      .filter((i) => i.type !== 'separator')
      .map((i) => (i.id === 'status' ? 'STATUS' : i.label));
    expect(labels).toEqual(['STATUS', 'Open window', 'Log in…', 'Link with phone number…', 'Log out', 'Copy API token', 'Copy MCP client config', 'Start at login', 'Quit']);
  });

  it.each([
    ['stopped', 'WhatsApp not linked', true, false],
    ['starting', 'Starting WhatsApp…', true, true],
    ['qr', 'Waiting for your phone to link', true, true],
    ['authenticated', 'Phone linked, loading chats…', false, true],
    ['ready', 'WhatsApp linked as Ada', false, true],
    ['auth_failure', 'Linking failed — log in again', true, true],
    ['disconnected', 'WhatsApp disconnected', true, true],
  ] as const)('in %s the status line reads "%s"; log in enabled: %s, log out enabled: %s', (state, line, canLogIn, canLogOut) => {
    const menu = trayMenuTemplate(status(state), actions());
    expect(byId(menu, 'status')).toMatchObject({ label: line, enabled: false });
    expect(byId(menu, 'login').enabled).toBe(canLogIn);
    expect(byId(menu, 'pair').enabled).toBe(canLogIn);
    expect(byId(menu, 'logout').enabled).toBe(canLogOut);
  });

  it('says when a stopped session has an error, and marks demo mode', () => {
    expect(statusLine(status('stopped', { lastError: 'Chrome not found' }))).toBe('WhatsApp stopped (see window)');
    expect(statusLine(status('qr', { demo: true }))).toBe('Demo — Waiting for your phone to link');
  });

  it('names a linked account by number when it has no display name', () => {
    expect(statusLine(status('ready', { account: { wid: '447700900123@c.us', pushname: null } }))).toBe('WhatsApp linked as +447700900123');
  });

  it('wires each item to its action', () => {
    const a = actions();
    const menu = trayMenuTemplate(status('qr'), a);
    for (const [id, fn] of [
      ['open', a.openWindow],
      ['login', a.logIn],
      ['pair', a.linkWithPhoneNumber],
      ['logout', a.logOut],
      ['copy-token', a.copyToken],
      ['quit', a.quit],
    ] as const) {
      byId(menu, id).click?.();
      expect(fn).toHaveBeenCalledTimes(1);
    }
    byId(menu, 'copy-mcp-cursor').click?.();
    expect(a.copyMcpConfig).toHaveBeenCalledWith('cursor');
    expect(byId(menu, 'copy-mcp').submenu?.map((i) => i.label)).toEqual(['Claude Desktop', 'Claude Code', 'Cursor', 'VS Code']);
  });

  it('"Start at login" is a checkbox that toggles', () => {
    const a = actions();
    const off = byId(trayMenuTemplate(status('ready'), a), 'open-at-login');
    expect(off).toMatchObject({ type: 'checkbox', checked: false });
    off.click?.();
    expect(a.setOpenAtLogin).toHaveBeenCalledWith(true);
    const on = byId(trayMenuTemplate(status('ready', { openAtLogin: true }), a), 'open-at-login');
    expect(on.checked).toBe(true);
    on.click?.();
    expect(a.setOpenAtLogin).toHaveBeenLastCalledWith(false);
  });
});

describe('tray icon per state', () => {
  it.each([
    ['ready', null, 'linked'],
    ['starting', null, 'connecting'],
    ['authenticated', null, 'connecting'],
    ['qr', null, 'needs-login'],
    ['stopped', null, 'needs-login'],
    ['stopped', 'No Chrome found', 'error'],
    ['auth_failure', 'rejected', 'error'],
    ['disconnected', 'CONFLICT', 'error'],
  ] as const)('%s (error: %s) shows the %s icon', (state, lastError, kind) => {
    expect(trayIconKind({ state, lastError })).toBe(kind);
  });
});
