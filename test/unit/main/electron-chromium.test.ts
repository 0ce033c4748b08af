import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../src/core/logger.js';

vi.mock('electron', () => import('../../helpers/electron-mock.js'));

const { BrowserWindow, session } = await import('../../helpers/electron-mock.js');
const { ElectronChromium } = await import('../../../src/main/electron-chromium.js');
const { chromeUserAgent } = await import('../../../src/main/user-agent.js');

describe('ElectronChromium (the BrowserBinding for Electron)', () => {
  it('hands whatsapp-web.js a transport to a hidden window on the persistent partition, never a port', async () => {
    const binding = new ElectronChromium('persist:whatsapp', silentLogger());
    const opts = binding.puppeteerOptions();
    expect(opts.transport).toBeDefined();
    expect(opts).not.toHaveProperty('browserWSEndpoint');
    expect(opts).not.toHaveProperty('browserURL');
    expect(opts.defaultViewport).toBeNull();

    const win = BrowserWindow.created.at(-1)!;
    expect(win.options).toMatchObject({ show: false, webPreferences: { partition: 'persist:whatsapp', sandbox: true, contextIsolation: true } });
    expect(win.webContents.audioMuted).toBe(true);
    // The debugger is attached lazily, once puppeteer speaks.
    opts.transport.send(JSON.stringify({ id: 1, method: 'Target.getBrowserContexts' }));
    await vi.waitFor(() => expect(win.webContents.debugger.attach).toHaveBeenCalledWith('1.3'));
  });

  it('gives the partition a normal Chrome user agent and denies every permission', () => {
    new ElectronChromium('persist:ua-test', silentLogger()).puppeteerOptions();
    const ses = session.fromPartition('persist:ua-test');
    expect(ses.userAgent).toBe(chromeUserAgent(process.versions.chrome ?? ''));
    expect(ses.userAgent).not.toMatch(/Electron|Headless/);
    const cb = vi.fn();
    ses.permissionHandler?.({}, 'notifications', cb);
    expect(cb).toHaveBeenCalledWith(false);
  });

  it('closes the hidden window when whatsapp-web.js closes its browser, and keeps one window at most', async () => {
    const binding = new ElectronChromium('persist:whatsapp', silentLogger());
    const first = binding.puppeteerOptions();
    const firstWin = BrowserWindow.created.at(-1)!;
    binding.puppeteerOptions();
    expect(firstWin.destroyed).toBe(true);

    const secondWin = BrowserWindow.created.at(-1)!;
    first.transport.close();
    expect(secondWin.destroyed).toBe(false);
  });

  it('transport.close() detaches the debugger and closes its window', async () => {
    const binding = new ElectronChromium('persist:whatsapp', silentLogger());
    const { transport } = binding.puppeteerOptions();
    const win = BrowserWindow.created.at(-1)!;
    transport.send(JSON.stringify({ id: 1, method: 'Target.getBrowserContexts' }));
    await vi.waitFor(() => expect(win.webContents.debugger.attached).toBe(true));
    transport.close();
    expect(win.webContents.debugger.detach).toHaveBeenCalled();
    expect(win.destroyed).toBe(true);
  });

  it('logout clears the partition storage', async () => {
    const binding = new ElectronChromium('persist:logout-test', silentLogger());
    binding.puppeteerOptions();
    await binding.clearStorage();
    const ses = session.fromPartition('persist:logout-test');
    expect(ses.clearStorageData).toHaveBeenCalled();
    expect(ses.clearCache).toHaveBeenCalled();
    expect(BrowserWindow.created.at(-1)!.destroyed).toBe(true);
  });
});

describe('chromeUserAgent', () => {
  it.each([
    ['linux', 'X11; Linux x86_64'],
    ['darwin', 'Macintosh; Intel Mac OS X 10_15_7'],
    ['win32', 'Windows NT 10.0; Win64; x64'],
  ] as const)('looks like desktop Chrome on %s, major version only', (platform, os) => {
    expect(chromeUserAgent('140.0.7339.133', platform)).toBe(`Mozilla/5.0 (${os}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36`);
  });
});
