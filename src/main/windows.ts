import { BrowserWindow, Menu, type BrowserWindowConstructorOptions, type MenuItemConstructorOptions, type WebContents } from 'electron';

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
 * `isQuitting` tells a real quit from a click on the close button; `onCloseToTray` hears the
 * first time closing only hid it, so the app can say that it is still running.
 */
export function createMainWindow(preloadPath: string, isQuitting: () => boolean, onCloseToTray: () => void = () => undefined): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(preloadPath));
  hardenWebContents(win.webContents, isAppUrl);
  let told = false;
  win.on('close', (event) => {
    if (isQuitting()) return;
    event.preventDefault();
    win.hide();
    if (!told) onCloseToTray();
    told = true;
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_URL);
  return win;
}

/**
 * The application menu. Electron's default one (Reload, Toggle Developer Tools, "Learn More")
 * would appear on Alt in Windows and Linux: there is none there. macOS keeps the app menu
 * (Quit, Hide) and the Edit menu, without which copy and paste shortcuts do not work in the window.
 */
export function applicationMenuTemplate(platform: NodeJS.Platform): MenuItemConstructorOptions[] | null {
  return platform === 'darwin' ? [{ role: 'appMenu' }, { role: 'editMenu' }] : null;
}

export function setupApplicationMenu(platform: NodeJS.Platform = process.platform): void {
  const template = applicationMenuTemplate(platform);
  Menu.setApplicationMenu(template ? Menu.buildFromTemplate(template) : null);
}

/** The slice of Electron's `app` that the single-instance lock uses. */
export interface SingleInstanceApp {
  requestSingleInstanceLock(): boolean;
  on(event: 'second-instance', listener: () => void): unknown;
  quit(): void;
}

/**
 * One instance per user: a second launch quits and opens the first one's window instead —
 * also the way back to the window on desktops that show no tray icon (GNOME without the
 * AppIndicator extension). A launch that arrives while the first instance is still starting
 * is remembered. Returns null in the second instance; otherwise a function to call once the
 * window can be shown.
 */
export function claimSingleInstance(app: SingleInstanceApp): ((showWindow: () => void) => void) | null {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  let show: (() => void) | null = null;
  let pending = false;
  app.on('second-instance', () => {
    if (show) show();
    else pending = true;
  });
  return (showWindow) => {
    show = showWindow;
    if (pending) showWindow();
    pending = false;
  };
}
