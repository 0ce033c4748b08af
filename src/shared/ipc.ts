/**
 * The one contract between the window (renderer + preload) and the main process: channel
 * names and the argument and result of each. No Node or Electron imports: the preload, the
 * renderer's type checks and main all read it.
 */

import type { AccountDto, SessionState } from './wire.js';

export type SessionStateName = SessionState;

/** What the window shows about the session: the REST status object's fields the UI reads. */
export interface StatusView {
  state: SessionState;
  ready: boolean;
  has_qr: boolean;
  last_error: string | null;
  account: AccountDto | null;
}

export interface PairingCodeView {
  already_authenticated: boolean;
  code: string | null;
  phone_number?: string;
  instructions?: string;
}

export type McpClientId = 'claude-desktop' | 'claude-code' | 'cursor' | 'vscode';

export interface McpSnippet {
  id: McpClientId;
  title: string;
  /** Where the snippet goes, in one sentence. */
  where: string;
  text: string;
}

/** The API details the window shows (the token included: the window is the token's owner's). */
export interface DashboardConfig {
  api_url: string;
  mcp_url: string;
  token: string;
  demo: boolean;
  snippets: McpSnippet[];
}

/** What a copy button copies. */
export type CopyItem = 'token' | 'api_url' | 'mcp_url' | McpClientId;
export const COPY_ITEMS: readonly CopyItem[] = ['token', 'api_url', 'mcp_url', 'claude-desktop', 'claude-code', 'cursor', 'vscode'];

export interface IpcError {
  code: string;
  message: string;
}

/** Every invoke answers with this: errors arrive as data, with the bridge's code and words. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** Renderer -> main calls (ipcRenderer.invoke / ipcMain.handle), each with at most one argument. */
export interface IpcContract {
  'status:get': { arg: void; result: StatusView };
  /** The current QR code as a PNG data URL, or null outside the `qr` state. */
  'qr:get': { arg: void; result: string | null };
  'config:get': { arg: void; result: DashboardConfig };
  'auth:start': { arg: void; result: StatusView };
  'auth:pairing-code': { arg: { phone_number: string }; result: PairingCodeView };
  'auth:logout': { arg: void; result: StatusView };
  'clipboard:copy': { arg: { item: CopyItem }; result: true };
  /** Demo mode only: the simulated phone scans the QR code (or enters the pairing code). */
  'demo:link': { arg: void; result: true };
}

export type InvokeChannel = keyof IpcContract;
export type InvokeArg<C extends InvokeChannel> = IpcContract[C]['arg'];
export type InvokeResult<C extends InvokeChannel> = IpcContract[C]['result'];

export const INVOKE_CHANNELS = ['status:get', 'qr:get', 'config:get', 'auth:start', 'auth:pairing-code', 'auth:logout', 'clipboard:copy', 'demo:link'] as const satisfies readonly InvokeChannel[];

/** Main -> renderer pushes. */
export const STATUS_CHANNEL = 'status:changed';

/**
 * What the preload exposes on `window.whatsappDesktop`: intention-named methods only.
 * The HTTP dashboard implements the same calls over fetch.
 */
export interface DesktopApi {
  getStatus(): Promise<IpcResult<StatusView>>;
  getQr(): Promise<IpcResult<string | null>>;
  getConfig(): Promise<IpcResult<DashboardConfig>>;
  startAuth(): Promise<IpcResult<StatusView>>;
  requestPairingCode(phoneNumber: string): Promise<IpcResult<PairingCodeView>>;
  logout(): Promise<IpcResult<StatusView>>;
  copy(item: CopyItem): Promise<IpcResult<true>>;
  simulatePhoneLink(): Promise<IpcResult<true>>;
  /**
   * Calls `listener` on every status change; returns the unsubscribe. `onLost` hears when
   * the status cannot be read (the dashboard's bridge stopped answering); the next status
   * that arrives after it is passed to `listener` even if unchanged. IPC never loses it.
   */
  onStatus(listener: (status: StatusView) => void, onLost?: (error: IpcError) => void): () => void;
}

export const PRELOAD_GLOBAL = 'whatsappDesktop';
