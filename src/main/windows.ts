import { BrowserWindow, type BrowserWindowConstructorOptions, type WebContents } from 'electron';

/** The window's UI is served from this origin by the app:// protocol (see protocol.ts). */
export const APP_ORIGIN = 'app://desktop';
export const APP_URL = `${APP_ORIGIN}/`;

/** Renderer security: the page gets the preload's named methods and nothing else from Node or Electron. */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 860,
    height: 760,
    minWidth: 420,
    minHeight: 480,
    show: false,
    title: 'WhatsApp MCP Desktop',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

/**
 * The hidden window that hosts WhatsApp Web: its own persistent partition (the linked
 * session lives there), no preload, never shown, and not throttled while hidden.
 */
export function whatsappWindowOptions(partition: string): BrowserWindowConstructorOptions {
  return {
    show: false,
    width: 1280,
    height: 900,
    webPreferences: {
      partition,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      backgroundThrottling: false,
      spellcheck: false,
    },
  };
}

/** No page may open windows; it may navigate only where `allowed` says. */
export function hardenWebContents(contents: WebContents, allowed: (url: string) => boolean): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const guard = (event: { preventDefault(): void }, url: string): void => {
    if (!allowed(url)) event.preventDefault();
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export const isAppUrl = (url: string): boolean => url === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`);

/**
 * The status window. Closing it hides it: the app lives in the tray until Quit.
 * `isQuitting` tells a real quit from a click on the close button.
 */
export function createMainWindow(preloadPath: string, isQuitting: () => boolean): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(preloadPath));
  hardenWebContents(win.webContents, isAppUrl);
  win.on('close', (event) => {
    if (isQuitting()) return;
    event.preventDefault();
    win.hide();
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_URL);
  return win;
}
