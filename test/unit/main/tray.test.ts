import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../helpers/electron-mock.js'));

const { Notification, nativeImage, Tray } = await import('../../helpers/electron-mock.js');
const { AppTray, confirmUnlink, trayIconFile } = await import('../../../src/main/tray.js');
const { statusLine } = await import('../../../src/main/tray-menu.js');

const ASSETS = path.resolve('assets');
const actions = () => ({
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
const STOPPED = { state: 'stopped' as const, account: null, lastError: null, openAtLogin: false, demo: false, approvals: 0, agentsPaused: false };

/** The tray the AppTray created (the mock records none globally, so it is read back from the instance). */
const trayOf = (t: InstanceType<typeof AppTray>) => (t as unknown as { tray: InstanceType<typeof Tray> }).tray;

describe('the tray icon', () => {
  beforeEach(() => {
    Notification.shown.length = 0;
    Notification.supported = true;
    vi.mocked(nativeImage.createFromPath).mockClear();
  });

  it.each(['linux', 'win32', 'darwin'] as const)('regression: a left click did nothing on Linux (KDE) — on %s it opens the window', (platform) => {
    const a = actions();
    const tray = new AppTray(ASSETS, a, platform);
    tray.init(STOPPED);
    trayOf(tray).emit('click');
    expect(a.openWindow).toHaveBeenCalledTimes(1);
  });

  it('with several accounts, the icon is the worst state across them (issue 14)', () => {
    const tray = new AppTray(ASSETS, actions(), 'linux');
    const ready = { ...STOPPED, state: 'ready' as const, account: { wid: '15551234567@c.us', pushname: 'Ada' } };
    const work = { id: 'work', name: 'Work phone', state: 'ready' as const, lastError: null };
    tray.init({ ...ready, accounts: [{ id: 'default', name: 'Default', state: 'ready', lastError: null }, work] });
    expect(nativeImage.createFromPath).toHaveBeenLastCalledWith(trayIconFile(ASSETS, 'linked', 'linux'));
    tray.update({ ...ready, accounts: [{ id: 'default', name: 'Default', state: 'ready', lastError: null }, { ...work, state: 'auth_failure' }] });
    expect(nativeImage.createFromPath).toHaveBeenLastCalledWith(trayIconFile(ASSETS, 'error', 'linux'));
    expect(tray.menu().find((i) => i.id === 'account-work')?.label).toBe('Work phone: Linking failed');
  });

  it('shows the status in the tooltip and rebuilds the menu on every change', () => {
    const tray = new AppTray(ASSETS, actions(), 'linux');
    tray.init(STOPPED);
    const ready = { ...STOPPED, state: 'ready' as const, account: { wid: '15551234567@c.us', pushname: 'Ada' } };
    tray.update(ready);
    expect(trayOf(tray).setToolTip).toHaveBeenLastCalledWith(`WhatsApp MCP Desktop — ${statusLine(ready)}`);
    expect(tray.menu().find((i) => i.id === 'logout')?.label).toBe('Log out…');
    tray.update({ ...ready, approvals: 2 });
    expect(trayOf(tray).setToolTip).toHaveBeenLastCalledWith(`WhatsApp MCP Desktop — ${statusLine(ready)} — 2 sends waiting for approval`);
    expect(tray.menu()[1]).toMatchObject({ id: 'approvals', label: '2 sends waiting for approval…' });
  });

  it('the macOS menu bar shows the number of sends waiting beside the icon, and nothing once none waits; other platforms have no title', () => {
    const mac = new AppTray(ASSETS, actions(), 'darwin');
    mac.init(STOPPED);
    mac.update({ ...STOPPED, approvals: 3 });
    expect(trayOf(mac).setTitle).toHaveBeenLastCalledWith('3');
    mac.update(STOPPED);
    expect(trayOf(mac).setTitle).toHaveBeenLastCalledWith('');
    const linux = new AppTray(ASSETS, actions(), 'linux');
    linux.init({ ...STOPPED, approvals: 3 });
    expect(trayOf(linux).setTitle).not.toHaveBeenCalled();
  });

  it('regression: Windows got 16/32 px PNGs where it expects an .ico', () => {
    expect(trayIconFile(ASSETS, 'linked', 'win32')).toBe(path.join(ASSETS, 'tray', 'linked.ico'));
    expect(trayIconFile(ASSETS, 'linked', 'darwin')).toBe(path.join(ASSETS, 'tray', 'linkedTemplate.png'));
    expect(trayIconFile(ASSETS, 'linked', 'linux')).toBe(path.join(ASSETS, 'tray', 'linked.png'));
    new AppTray(ASSETS, actions(), 'win32').init(STOPPED);
    expect(nativeImage.createFromPath).toHaveBeenCalledWith(path.join(ASSETS, 'tray', 'needs-login.ico'));
  });

  it.each(['linux', 'win32', 'darwin'] as const)('on %s the icon has a dot while sends wait for approval, and loses it when none waits', (platform) => {
    const tray = new AppTray(ASSETS, actions(), platform);
    tray.init({ ...STOPPED, state: 'ready', account: { wid: '15551234567@c.us', pushname: 'Ada' } });
    vi.mocked(nativeImage.createFromPath).mockClear();
    tray.update({ ...STOPPED, state: 'ready', account: { wid: '15551234567@c.us', pushname: 'Ada' }, approvals: 1 });
    const file = trayIconFile(ASSETS, 'linked', platform, true);
    expect(nativeImage.createFromPath).toHaveBeenCalledWith(file);
    expect(path.basename(file)).toMatch(/^linked-approval(Template\.png|\.ico|\.png)$/);
    expect(readFileSync(file).length).toBeGreaterThan(0);
    tray.update({ ...STOPPED, state: 'ready', account: { wid: '15551234567@c.us', pushname: 'Ada' } });
    // The plain icon was loaded at init: it comes from the cache, and is the one set.
    expect(trayOf(tray).setImage).toHaveBeenCalledTimes(3);
    expect(trayOf(tray).setImage.mock.calls[2]![0]).toBe(trayOf(tray).setImage.mock.calls[0]![0]);
    expect(trayOf(tray).setImage.mock.calls[1]![0]).not.toBe(trayOf(tray).setImage.mock.calls[0]![0]);
  });

  it.each(['linked', 'connecting', 'needs-login', 'error', 'linked-approval', 'connecting-approval', 'needs-login-approval', 'error-approval'])('assets/tray/%s.ico is an ICO with a PNG per display scale, 16 to 48 px', (kind) => {
    const ico = readFileSync(path.join(ASSETS, 'tray', `${kind}.ico`));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const count = ico.readUInt16LE(4);
    const sizes = [];
    for (let i = 0; i < count; i++) {
      const entry = 6 + 16 * i;
      const size = ico.readUInt8(entry);
      const length = ico.readUInt32LE(entry + 8);
      const offset = ico.readUInt32LE(entry + 12);
      const png = ico.subarray(offset, offset + length);
      expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      // The PNG's own IHDR width matches the entry.
      expect(png.readUInt32BE(16)).toBe(size);
      sizes.push(size);
    }
    expect(sizes).toEqual([16, 20, 24, 32, 40, 48]);
  });

  it('notifies with a desktop notification, or a balloon on Windows without notifications', () => {
    const tray = new AppTray(ASSETS, actions(), 'win32');
    tray.init(STOPPED);
    tray.notify('API token copied', 'Keep it private.');
    expect(Notification.shown).toEqual([{ title: 'API token copied', body: 'Keep it private.' }]);
    Notification.supported = false;
    tray.notify('Still running', 'Quit is in the tray menu.');
    expect(trayOf(tray).displayBalloon).toHaveBeenCalledWith({ title: 'Still running', content: 'Quit is in the tray menu.', iconType: 'info' });
  });
});

describe('regression: Log out in the tray unlinked the account without asking', () => {
  it('asks with "Keep linked" as the default and only unlinks on an explicit "Log out"', async () => {
    const ask = vi.fn(async () => ({ response: 0 }));
    expect(await confirmUnlink(ask)).toBe(false);
    expect(ask).toHaveBeenCalledWith(
      expect.objectContaining({ buttons: ['Keep linked', 'Log out'], defaultId: 0, cancelId: 0, message: 'Log out of WhatsApp on this computer?' }),
    );
    expect(await confirmUnlink(async () => ({ response: 1 }))).toBe(true);
  });

  it('with several accounts, the question names the account that would be unlinked, and says the others stay linked', async () => {
    const ask = vi.fn(async () => ({ response: 0 }));
    expect(await confirmUnlink(ask, 'Work phone')).toBe(false);
    expect(ask).toHaveBeenCalledWith(
      expect.objectContaining({
        buttons: ['Keep linked', 'Log out'],
        defaultId: 0,
        cancelId: 0,
        message: 'Log out “Work phone” on this computer?',
        detail: expect.stringMatching(/lose access to “Work phone” until you link it again; your other accounts stay linked\.$/),
      }),
    );
    expect(await confirmUnlink(async () => ({ response: 1 }), 'Work phone')).toBe(true);
  });
});
