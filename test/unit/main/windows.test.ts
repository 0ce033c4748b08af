import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../helpers/electron-mock.js'));

const { BrowserWindow, FakeWebContents } = await import('../../helpers/electron-mock.js');
const { APP_URL, createMainWindow, hardenWebContents, isAppUrl, mainWindowOptions, whatsappWindowOptions } = await import('../../../src/main/windows.js');

describe('window options', () => {
  it('the status window is isolated and sandboxed, with the preload as its only bridge', () => {
    const prefs = mainWindowOptions('/app/preload.cjs').webPreferences;
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('the WhatsApp Web window is hidden, has no preload, its own persistent partition and no background throttling', () => {
    const opts = whatsappWindowOptions('persist:whatsapp');
    expect(opts.show).toBe(false);
    expect(opts.webPreferences).toMatchObject({
      partition: 'persist:whatsapp',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      backgroundThrottling: false,
    });
    expect(opts.webPreferences?.preload).toBeUndefined();
  });
});

describe('hardenWebContents', () => {
  it('denies window.open and navigation away from the allowed pages', () => {
    const wc = new FakeWebContents();
    hardenWebContents(wc as never, isAppUrl);
    expect(wc.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });

    const event = () => ({ preventDefault: vi.fn() });
    const away = event();
    wc.emit('will-navigate', away, 'https://evil.example/');
    expect(away.preventDefault).toHaveBeenCalled();
    const redirect = event();
    wc.emit('will-redirect', redirect, 'file:///etc/passwd');
    expect(redirect.preventDefault).toHaveBeenCalled();
    const home = event();
    wc.emit('will-navigate', home, `${APP_URL}#pair`);
    expect(home.preventDefault).not.toHaveBeenCalled();
    const webview = event();
    wc.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('isAppUrl accepts only our own origin', () => {
    expect(isAppUrl('app://desktop/')).toBe(true);
    expect(isAppUrl('app://desktop.evil/')).toBe(false);
    expect(isAppUrl('http://127.0.0.1:8790/')).toBe(false);
  });
});

describe('the status window', () => {
  beforeEach(() => {
    BrowserWindow.created.length = 0;
  });

  it('closing it hides it (the app stays in the tray) unless the app is quitting', () => {
    let quitting = false;
    const win = createMainWindow('/p.cjs', () => quitting) as unknown as InstanceType<typeof BrowserWindow>;
    expect(win.loadURL).toHaveBeenCalledWith(APP_URL);
    const close = { preventDefault: vi.fn() };
    win.emit('close', close);
    expect(close.preventDefault).toHaveBeenCalled();
    expect(win.hide).toHaveBeenCalled();

    quitting = true;
    const realClose = { preventDefault: vi.fn() };
    win.emit('close', realClose);
    expect(realClose.preventDefault).not.toHaveBeenCalled();
  });
});
