import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, clipboard, dialog, ipcMain, shell, type MessageBoxOptions } from 'electron';
import { startBridge, type Bridge, type BridgeOptions } from '../bridge.js';
import { loadConfig, type Config } from '../core/config.js';
import { describeError } from '../core/errors.js';
import { createLogger, type Logger } from '../core/logger.js';
import { accountNotFound } from '../app/accounts.js';
import { DEFAULT_ACCOUNT } from '../app/context.js';
import type { LoggedEvent } from '../app/events.js';
import type { AppServices } from '../app/index.js';
import { stdioDataArgs } from '../server/routes/dashboard.js';
import type { DashboardConfig } from '../shared/ipc.js';
import type { StdioEntry } from '../shared/mcp-install.js';
import { AccountWatch, type RunningAccount } from './account-watch.js';
import { ApprovalNotifier } from './approval-notifier.js';
import { controlHandlers } from './control-actions.js';
import { dashboardConfig, desktopHandlers, panelHandlers, toStatusView } from './desktop-actions.js';
import { ElectronChromium } from './electron-chromium.js';
import { accountPartition } from './partitions.js';

/** Set once the desktop is built: what an account's status change does (the tray, until then nothing). */
let accountStatusChanged: () => void = () => undefined;
/** Set once the desktop is built: what an account's deletion does (the window and the tray let it go). */
let accountClosed: (id: string) => void = () => undefined;
import { registerIpc, trustedSender } from './ipc.js';
import { getOpenAtLogin, setOpenAtLogin } from './login-item.js';
import { registerAppScheme, serveRenderer } from './protocol.js';
import { AppTray, confirmUnlink } from './tray.js';
import type { TrayMenuItem, TrayStatus } from './tray-menu.js';
import { trayActions } from './tray-actions.js';
import { trayStatusOf } from './tray-status.js';
import { pushToWindow } from './window-push.js';
import { WindowAccount, type AccountHandlers } from './window-account.js';
import { APP_ORIGIN, APP_URL, claimSingleInstance, createMainWindow, setupApplicationMenu } from './windows.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** dist/src/main -> the app root (assets/, renderer/ live there, packaged or not). */
const appRoot = path.resolve(here, '..', '..', '..');
const PRELOAD = path.join(here, '..', 'preload', 'preload.cjs');
const ASSETS = path.join(appRoot, 'assets');
const QUIT_TIMEOUT_MS = 12_000;
/** electron-builder's appId: Windows shows notifications only for an app with this id. */
const APP_USER_MODEL_ID = 'dev.whatsapp-mcp-desktop.app';

interface Desktop {
  config: Config;
  log: Logger;
  bridge: Bridge;
  /** The API details and this machine's one-click MCP set-up, for the window and the tray. */
  dashboard: DashboardConfig;
  /** The window's and the tray's changes: approvals, keys, the kill switch, install links (audited as the window's). */
  control: ReturnType<typeof controlHandlers>;
  window: BrowserWindow | null;
  tray: AppTray | null;
  /** Which account the window shows (set up with IPC). */
  shown: WindowAccount | null;
  /** Every running account's approvals, followed as accounts come and go (the tray's count, the notifications). */
  follow: AccountWatch<AppServices> | null;
  quitting: boolean;
}

/**
 * Desktop configuration: the same variables as headless, but data in Electron's userData
 * (unless WHATSAPP_DATA_DIR says otherwise) and only `--demo` read from the command line,
 * which also carries Chromium's and Electron's own switches.
 */
function setupConfig(): Config {
  const demo = process.argv.includes('--demo');
  const base = loadConfig(demo ? ['--demo'] : [], process.env);
  if (process.env.WHATSAPP_DATA_DIR) app.setPath('userData', base.dataDir);
  const dataDir = process.env.WHATSAPP_DATA_DIR ? base.dataDir : path.join(app.getPath('userData'), ...(base.demo ? ['demo'] : []));
  return { ...base, dataDir, authDir: process.env.WHATSAPP_AUTH_DIR ? base.authDir : path.join(dataDir, 'session') };
}

/**
 * MCP clients start the stdio entry with the app's own executable run as plain Node (no
 * second runtime to install), pointed at this app's data dir.
 */
function stdioEntry(config: Config): StdioEntry {
  return {
    command: process.execPath,
    args: [path.join(app.getAppPath(), 'dist', 'src', 'mcp-stdio.js'), ...stdioDataArgs({ demo: config.demo, dataDir: config.dataDir })],
    env: { ELECTRON_RUN_AS_NODE: '1' },
  };
}

async function setupBridge(config: Config, log: Logger): Promise<Bridge> {
  const demo: Partial<BridgeOptions> = config.demo ? await (await import('../demo.js')).demoBridgeOptions(config, log) : {};
  const browser = new ElectronChromium(accountPartition(config.demo), log.child({ module: 'electron-chromium' }));
  // Every other account: a hidden window of its own on its own persistent partition, in Electron's one Chromium.
  const browserFor = (account: string) => new ElectronChromium(accountPartition(config.demo, account), log.child({ module: 'electron-chromium', account }));
  return startBridge({
    config,
    log,
    ...demo,
    browser,
    browserFor,
    stdio: stdioEntry(config),
    // Another account's state changes reach the tray (its lines, and the worst state's icon); its approvals are followed from now on.
    onAccountOpened: (_id, session) => {
      session.on('status', () => accountStatusChanged());
      accountStatusChanged();
    },
    onAccountClosed: (id) => accountClosed(id),
  });
}

/** Said once per run, the first time closing the window only hides it. */
function toldStillRunning(d: Desktop): void {
  d.tray?.notify(
    'WhatsApp MCP Desktop is still running',
    'Scripts and AI agents can still use WhatsApp. Open the window from the tray icon or by starting the app again; Quit is in the tray menu.',
  );
}

/** Shows the window; `reload` when the page must load again (it shows another account now). */
function showWindow(d: Desktop, hash = '', reload = false): void {
  if (!d.window || d.window.isDestroyed()) d.window = createMainWindow(PRELOAD, () => d.quitting, () => toldStillRunning(d));
  if (hash || reload) void d.window.loadURL(hash ? `${APP_URL}#${hash}` : APP_URL);
  d.window.show();
  d.window.focus();
}

/** Shows the window on an account (switching to it first); without one, on the account it shows. */
function showAccount(d: Desktop, account: string | undefined, hash = ''): void {
  let switched = false;
  if (account !== undefined && d.shown && d.shown.shown !== account) {
    try {
      d.shown.select(account);
      switched = true;
    } catch (err) {
      d.log.warn({ account, err: describeError(err) }, 'could not show the account in the window');
    }
  }
  showWindow(d, hash, switched);
}

/** An account's services while it runs; null otherwise. */
function servicesOf(d: Desktop, id: string): AppServices | null {
  return id === DEFAULT_ACCOUNT ? d.bridge.services : (d.bridge.account(id)?.services ?? null);
}

/** Every running account with its services, the default first. */
function runningAccounts(d: Desktop): RunningAccount<AppServices>[] {
  return d.bridge.accounts.list().flatMap((a) => {
    const services = servicesOf(d, a.id);
    return services ? [{ id: a.id, item: services }] : [];
  });
}

/** An account's control changes as the window (approvals, the kill switch), audited on that account; null when it does not run. */
function controlOf(d: Desktop, id: string): ReturnType<typeof controlHandlers> | null {
  if (id === DEFAULT_ACCOUNT) return d.control;
  const services = servicesOf(d, id);
  const config = dashboardConfig(d.bridge.url, d.bridge.token, d.config.demo, stdioEntry(d.config), id);
  return services ? controlHandlers({ ...services, account: id, config, openExternal: (url) => shell.openExternal(url) }) : null;
}

/** The account's display name when there are several (words that name it), null with one. */
function accountName(d: Desktop, id: string): string | null {
  const accounts = d.bridge.accounts.list();
  return accounts.length > 1 ? (accounts.find((a) => a.id === id)?.name ?? id) : null;
}

function trayStatus(d: Desktop): TrayStatus {
  const parts = d.bridge.accounts.list().map((a) => {
    const services = servicesOf(d, a.id);
    return { id: a.id, name: a.name, status: services?.linking.status() ?? null, agents: services?.agents.state() ?? null };
  });
  return trayStatusOf(parts, { openAtLogin: getOpenAtLogin(), demo: d.config.demo });
}

/** An account was opened, removed, or changed state: the tray follows every running account, and shows them. */
function refreshTray(d: Desktop): void {
  d.follow?.sync(runningAccounts(d));
  d.tray?.update(trayStatus(d));
}

/** The window is on screen and focused: its Approvals panel is in front of the person. */
function windowInFront(d: Desktop): boolean {
  const w = d.window;
  return Boolean(w && !w.isDestroyed() && w.isVisible() && !w.isMinimized() && w.isFocused());
}

function setupTray(d: Desktop): void {
  const ask = (options: MessageBoxOptions) => (d.window && !d.window.isDestroyed() && d.window.isVisible() ? dialog.showMessageBox(d.window, options) : dialog.showMessageBox(options));
  d.tray = new AppTray(
    ASSETS,
    trayActions({
      linking: (id) => servicesOf(d, id)?.linking ?? null,
      control: (id) => controlOf(d, id),
      running: () => runningAccounts(d).map((a) => a.id),
      accountName: (id) => accountName(d, id),
      confirmUnlink: (name) => confirmUnlink(ask, name),
      show: (account, hash) => showAccount(d, account, hash),
      dashboard: d.dashboard,
      stdio: stdioEntry(d.config),
      writeClipboard: (text) => clipboard.writeText(text),
      notify: (title, body) => d.tray?.notify(title, body),
      setOpenAtLogin,
      refresh: () => d.tray?.update(trayStatus(d)),
      quit: () => app.quit(),
      log: d.log,
    }),
  );
  d.tray.init(trayStatus(d));
}

/** The window's handlers for one account: its own services, linking, simulated phone and audit trail. */
function accountHandlers(d: Desktop, id: string): AccountHandlers | null {
  const runtime = id === DEFAULT_ACCOUNT ? null : d.bridge.account(id);
  if (id !== DEFAULT_ACCOUNT && !runtime) return null;
  const services = runtime ? runtime.services : d.bridge.services;
  const demo = runtime ? runtime.demo : d.bridge.demo;
  const control = controlOf(d, id)!;
  return {
    ...desktopHandlers({
      linking: services.linking,
      url: d.bridge.url,
      token: d.bridge.token,
      stdio: stdioEntry(d.config),
      linkSimulatedPhone: demo ? () => demo.linkPhone() : null,
      writeClipboard: (text) => clipboard.writeText(text),
      account: id,
    }),
    ...panelHandlers({ ...services, uptime: () => process.uptime() }),
    ...control,
    // The tray's "Pause agents" checkbox follows the window's switch.
    'agents:set': async (arg) => {
      const state = await control['agents:set'](arg);
      d.tray?.update(trayStatus(d));
      return state;
    },
  };
}

function setupIpc(d: Desktop): WindowAccount {
  const shown = new WindowAccount({
    accounts: d.bridge.accounts,
    audit: d.bridge.services.audit,
    handlersFor: (id) => accountHandlers(d, id),
    selected: (id) => followAccount(d, id),
    removed: () => refreshTray(d),
  });
  registerIpc(ipcMain, {
    isTrustedSender: trustedSender(() => (d.window && !d.window.isDestroyed() ? d.window.webContents.id : null), APP_ORIGIN),
    handlers: shown.handlers(),
    log: d.log.child({ module: 'ipc' }),
  });
  return shown;
}

/** The window's pushes (status, events) come from the account it shows; null until set up. */
let windowPush: (() => void) | null = null;

function followAccount(d: Desktop, id: string): void {
  windowPush?.();
  const services = id === DEFAULT_ACCOUNT ? d.bridge.services : d.bridge.account(id)?.services;
  if (!services) return;
  const linking = services.linking;
  windowPush = pushToWindow(() => d.window, { onStatus: (fn) => linking.onStatus(fn), status: () => toStatusView(linking.status()), events: services.events });
}

/**
 * Every status change reaches the tray (every account's: the default's here, the others' from
 * `onAccountOpened`, whichever the window shows) and the shown account's reaches the window
 * with every new event of its log.
 */
function setupPush(d: Desktop): void {
  d.bridge.services.linking.onStatus(() => refreshTray(d));
  followAccount(d, DEFAULT_ACCOUNT);
}

/**
 * Every running account's approvals (each account's own services): an approval event updates
 * the tray's count, and a send that starts waiting while the window is not in front showing
 * its account gets a native notification, decided on that account.
 */
function setupApprovals(d: Desktop): void {
  const notifier = new ApprovalNotifier({
    describe: (id, account) => servicesOf(d, account)?.approvals.describe([id]) ?? Promise.reject(accountNotFound(account)),
    decide: (id, decision, account) => controlOf(d, account)?.['approvals:decide']({ id, decision }) ?? Promise.reject(accountNotFound(account)),
    windowInFront: (account) => windowInFront(d) && d.shown?.shown === account,
    openApproval: (id, account) => showAccount(d, account, `approval-${id}`),
    accountName: (account) => accountName(d, account),
    failed: (title, body) => d.tray?.notify(title, body),
    platform: process.platform,
    log: d.log.child({ module: 'notifications' }),
  });
  d.follow = new AccountWatch<AppServices>((id, services) => {
    const counted = (e: LoggedEvent): void => {
      if (e.type === 'approval') d.tray?.update(trayStatus(d));
    };
    services.events.on('event', counted);
    const unwatch = notifier.watch(id, services.events);
    // Pausing or resuming over REST or MCP ticks the tray's checkbox too, not only the tray's own click.
    const unpause = services.agents.onChange(() => d.tray?.update(trayStatus(d)));
    return () => {
      services.events.off('event', counted);
      unwatch();
      unpause();
    };
  });
  d.follow.sync(runningAccounts(d));
}

/** Quit closes the server and detaches WhatsApp cleanly (the link is kept for the next start). */
function setupQuit(d: Desktop): void {
  let done = false;
  // Closing the window only hides it; the app lives in the tray.
  app.on('window-all-closed', () => undefined);
  app.on('before-quit', (event) => {
    if (done) return;
    event.preventDefault();
    if (d.quitting) return;
    d.quitting = true;
    d.log.info('quitting: closing the server and WhatsApp (the link is kept)…');
    const force = setTimeout(() => app.exit(0), QUIT_TIMEOUT_MS);
    void d.bridge
      .stop()
      .catch((err: unknown) => d.log.warn({ err: describeError(err) }, 'stop failed'))
      .finally(() => {
        clearTimeout(force);
        d.tray?.destroy();
        done = true;
        app.quit();
      });
  });
}

/** For the Playwright `_electron` tests only (WHATSAPP_DESKTOP_TEST_HOOKS=1): the tray cannot be clicked from outside. */
function setupTestHooks(d: Desktop): void {
  if (process.env.WHATSAPP_DESKTOP_TEST_HOOKS !== '1') return;
  const plain = (items: TrayMenuItem[]): unknown[] =>
    items.map(({ id, label, type, enabled, checked, submenu }) => ({ id, label, type, enabled, checked, ...(submenu ? { submenu: plain(submenu) } : {}) }));
  const flat = (items: TrayMenuItem[]): TrayMenuItem[] => items.flatMap((i) => [i, ...flat(i.submenu ?? [])]);
  const find = (items: TrayMenuItem[], id: string): TrayMenuItem | undefined => flat(items).find((i) => i.id === id);
  Object.assign(globalThis, {
    __whatsappDesktopTest: {
      url: d.bridge.url,
      token: d.bridge.token,
      trayMenu: () => plain(d.tray?.menu() ?? []),
      clickTrayItem: (id: string) => find(d.tray?.menu() ?? [], id)?.click?.(),
    },
  });
}

async function main(): Promise<void> {
  registerAppScheme();
  const config = setupConfig();
  const log = createLogger({ level: config.logLevel });
  // whatsapp-web.js lets some page-closed rejections escape; they must not take the app down.
  process.on('unhandledRejection', (reason) => log.warn({ err: describeError(reason) }, 'unhandled rejection (ignored)'));
  const onSecondLaunch = claimSingleInstance(app);
  if (!onSecondLaunch) return;
  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
  await app.whenReady();
  // After ready: Electron installs its default menu while starting.
  setupApplicationMenu();
  if (process.platform === 'darwin') app.dock?.hide();

  let bridge: Bridge;
  try {
    bridge = await setupBridge(config, log);
  } catch (err) {
    dialog.showErrorBox('WhatsApp MCP Desktop could not start', describeError(err));
    app.exit(1);
    return;
  }
  const dashboard = dashboardConfig(bridge.url, bridge.token, config.demo, stdioEntry(config));
  const control = controlHandlers({ ...bridge.services, config: dashboard, openExternal: (url) => shell.openExternal(url) });
  const d: Desktop = { config, log, bridge, dashboard, control, window: null, tray: null, shown: null, follow: null, quitting: false };
  serveRenderer();
  d.shown = setupIpc(d);
  setupTray(d);
  setupPush(d);
  setupApprovals(d);
  accountStatusChanged = () => refreshTray(d);
  accountClosed = (id) => {
    d.shown?.forget(id);
    refreshTray(d);
  };
  setupQuit(d);
  setupTestHooks(d);
  onSecondLaunch(() => showWindow(d));
  // First run (nothing linked yet): show the window, it explains what to do. Later runs start in the tray.
  if (!bridge.services.linking.hasSavedSession() || process.env.WHATSAPP_DESKTOP_TEST_HOOKS === '1') showWindow(d);
  log.info({ url: bridge.url, dataDir: config.dataDir, demo: config.demo }, 'desktop app ready');
}

void main();
