import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../helpers/electron-mock.js'));

const { BrowserWindow, FakeWebContents, Menu } = await import('../../helpers/electron-mock.js');
const { APP_URL, applicationMenuTemplate, claimSingleInstance, createMainWindow, hardenWebContents, isAppUrl, mainWindowOptions, setupApplicationMenu, whatsappWindowOptions } = await import(
  '../../../src/main/windows.js'
);

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

describe('regression: closing the window gave no notice that the app keeps running', () => {
  beforeEach(() => {
    BrowserWindow.created.length = 0;
  });

  it('the first close that only hides the window says so, once', () => {
    const told = vi.fn();
    const win = createMainWindow('/p.cjs', () => false, told) as unknown as InstanceType<typeof BrowserWindow>;
    win.emit('close', { preventDefault: vi.fn() });
    win.emit('close', { preventDefault: vi.fn() });
    expect(told).toHaveBeenCalledTimes(1);
  });

  it('a real quit says nothing', () => {
    const told = vi.fn();
    const win = createMainWindow('/p.cjs', () => true, told) as unknown as InstanceType<typeof BrowserWindow>;
    win.emit('close', { preventDefault: vi.fn() });
    expect(told).not.toHaveBeenCalled();
  });
});

describe("regression: Alt showed Electron's default menu (Reload, Toggle Developer Tools, Learn More)", () => {
  it.each(['linux', 'win32'] as const)('on %s there is no application menu at all', (platform) => {
    Menu.setApplicationMenu.mockClear();
    expect(applicationMenuTemplate(platform)).toBeNull();
    setupApplicationMenu(platform);
    expect(Menu.setApplicationMenu).toHaveBeenCalledWith(null);
  });

  it('on macOS only the app menu and the Edit menu (copy and paste shortcuts), nothing for developers', () => {
    const template = applicationMenuTemplate('darwin');
    expect(template).toEqual([{ role: 'appMenu' }, { role: 'editMenu' }]);
    expect(JSON.stringify(template)).not.toMatch(/toggleDevTools|reload|help/i);
  });
});

describe('regression: on a desktop without a tray the window could not be reopened', () => {
  const fakeApp = (locked: boolean) => {
    const listeners: (() => void)[] = [];
    return {
      requestSingleInstanceLock: vi.fn(() => locked),
      on: vi.fn((_event: 'second-instance', l: () => void) => listeners.push(l)),
      quit: vi.fn(),
      secondLaunch: () => listeners.forEach((l) => l()),
    };
  };

  it('a second launch opens the running one\'s window', () => {
    const app = fakeApp(true);
    const whenReady = claimSingleInstance(app)!;
    const show = vi.fn();
    whenReady(show);
    app.secondLaunch();
    expect(show).toHaveBeenCalledTimes(1);
  });

  it('a second launch while the first is still starting opens the window once it can', () => {
    const app = fakeApp(true);
    const whenReady = claimSingleInstance(app)!;
    app.secondLaunch();
    const show = vi.fn();
    whenReady(show);
    expect(show).toHaveBeenCalledTimes(1);
  });

  it('the second instance itself quits', () => {
    const app = fakeApp(false);
    expect(claimSingleInstance(app)).toBeNull();
    expect(app.quit).toHaveBeenCalled();
  });
});
