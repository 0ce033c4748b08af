import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

/**
 * The few Electron APIs src/main uses, as recording fakes: tests run under plain Node with
 * `vi.mock('electron', () => import('../../helpers/electron-mock.js'))`.
 */
export class FakeDebugger extends EventEmitter {
  attached = false;
  commands: { method: string; params: unknown; sessionId: string | undefined }[] = [];
  attach = vi.fn(() => {
    this.attached = true;
  });
  detach = vi.fn(() => {
    this.attached = false;
    this.emit('detach', {}, 'target closed');
  });
  isAttached = (): boolean => this.attached;
  sendCommand = vi.fn(async (method: string, params?: unknown, sessionId?: string) => {
    this.commands.push({ method, params, sessionId });
    if (method === 'Target.getTargetInfo') return { targetInfo: { targetId: 'T1', type: 'page', url: 'about:blank', title: '' } };
    return {};
  });
}

let nextId = 1;
export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly debugger = new FakeDebugger();
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  audioMuted = false;
  loadURL = vi.fn(async () => undefined);
  send = vi.fn();
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  setAudioMuted(muted: boolean): void {
    this.audioMuted = muted;
  }
  isDestroyed = (): boolean => false;
}

export class BrowserWindow extends EventEmitter {
  static created: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  destroyed = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.created.push(this);
  }
  loadURL = vi.fn(async () => undefined);
  show = vi.fn();
  hide = vi.fn();
  focus = vi.fn();
  destroy = vi.fn(() => {
    this.destroyed = true;
  });
  isDestroyed = (): boolean => this.destroyed;
}

export class FakeSession {
  userAgent = '';
  permissionHandler: ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void) | null = null;
  clearStorageData = vi.fn(async () => undefined);
  clearCache = vi.fn(async () => undefined);
  setUserAgent(ua: string): void {
    this.userAgent = ua;
  }
  setPermissionRequestHandler(handler: FakeSession['permissionHandler']): void {
    this.permissionHandler = handler;
  }
}

const sessions = new Map<string, FakeSession>();
export const session = {
  fromPartition(partition: string): FakeSession {
    let s = sessions.get(partition);
    if (!s) sessions.set(partition, (s = new FakeSession()));
    return s;
  },
};

export const app = {
  getPath: vi.fn(() => '/tmp/electron-user-data'),
  getLoginItemSettings: vi.fn(() => ({ openAtLogin: false })),
  setLoginItemSettings: vi.fn(),
};
export const ipcMain = { handle: vi.fn(), removeHandler: vi.fn() };
export const clipboard = { writeText: vi.fn() };
export const shell = { openExternal: vi.fn(async () => undefined) };
export const protocol = { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() };
export const Menu = { buildFromTemplate: vi.fn((t: unknown) => t), setApplicationMenu: vi.fn() };
export class Notification extends EventEmitter {
  static shown: { title: string; body: string }[] = [];
  /** Every notification made, shown or not, with all its options (actions, timeoutType…). */
  static created: Notification[] = [];
  static supported = true;
  static isSupported = (): boolean => Notification.supported;
  constructor(readonly options: { title: string; body: string; actions?: { type: string; text: string }[]; [k: string]: unknown }) {
    super();
    Notification.created.push(this);
  }
  show(): void {
    Notification.shown.push({ title: this.options.title, body: this.options.body });
  }
  close = vi.fn(() => {
    this.emit('close', {});
  });
}
export const nativeImage = { createFromPath: vi.fn(() => ({ setTemplateImage: vi.fn() })) };
export class Tray extends EventEmitter {
  setImage = vi.fn();
  setToolTip = vi.fn();
  setTitle = vi.fn();
  setContextMenu = vi.fn();
  displayBalloon = vi.fn();
  destroy = vi.fn();
}
export default { app, BrowserWindow, session, ipcMain, clipboard, shell, protocol, Menu, Notification, nativeImage, Tray };
