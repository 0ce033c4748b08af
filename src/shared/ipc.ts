/**
 * The one contract between the window (renderer + preload) and the main process: channel
 * names and the argument and result of each. No Node or Electron imports: the preload, the
 * renderer's type checks and main all read it.
 */

import type { WaEvent, WaEventType } from './events.js';
import type { AccountDto, ChatDto, SessionState } from './wire.js';

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

/** The bridge's own status change, as the event log records it. */
export interface StatusEventView {
  type: 'status';
  state: SessionState;
  previous: SessionState;
  last_error: string | null;
}

/** One entry of the event log (`LoggedEvent` in src/app/events.ts; SSE sends the same JSON). */
export interface EventView {
  cursor: number;
  id: string;
  type: WaEventType | 'status';
  account: string;
  chat_id: string | null;
  /** ISO 8601 */
  at: string;
  backfilled: boolean;
  data: WaEvent | StatusEventView;
}

/** One send of the outbox, the fields the window reads (REST `GET /api/outbox` entries). */
export interface SendView {
  id: string;
  chat_id: string;
  status: 'awaiting_approval' | 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed' | 'canceled';
  message_id: string | null;
  error: { code: string; message: string } | null;
  text: string | null;
  /** ISO 8601 */
  created_at: string;
  updated_at: string;
}

/** What the Activity panel starts from, before live events arrive. */
export interface ActivitySeed {
  /** The event log's latest entries, oldest first; empty where the backend cannot list them (HTTP). */
  events: EventView[];
  /** The outbox's latest sends, newest first. */
  sends: SendView[];
}

/** One webhook as the Health panel shows it (REST `GET /api/webhooks` entries). */
export interface WebhookHealth {
  id: string;
  url: string;
  enabled: boolean;
  disabled_reason: string | null;
  /** Failed attempts since the last delivered one. */
  failure_count: number;
}

/** What the Health panel shows besides the status. */
export interface HealthView {
  /** Seconds the bridge has been running; null where the backend does not say (HTTP). */
  uptime_s: number | null;
  /** Sends waiting in the outbox (queued), at most `limit`; `more`: there are more than that. */
  queued: { count: number; more: boolean };
  webhooks: WebhookHealth[];
}

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
  'activity:get': { arg: void; result: ActivitySeed };
  /** The recent chats (names, last messages); answers only while WhatsApp is ready. */
  'chats:get': { arg: void; result: ChatDto[] };
  'health:get': { arg: void; result: HealthView };
}

export type InvokeChannel = keyof IpcContract;
export type InvokeArg<C extends InvokeChannel> = IpcContract[C]['arg'];
export type InvokeResult<C extends InvokeChannel> = IpcContract[C]['result'];

export const INVOKE_CHANNELS = [
  'status:get',
  'qr:get',
  'config:get',
  'auth:start',
  'auth:pairing-code',
  'auth:logout',
  'clipboard:copy',
  'demo:link',
  'activity:get',
  'chats:get',
  'health:get',
] as const satisfies readonly InvokeChannel[];

/** Main -> renderer pushes: every status change (QR codes and errors within a state too), and every event of the log. */
export const STATUS_CHANNEL = 'status:changed';
export const EVENT_CHANNEL = 'event:logged';

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
  getActivity(): Promise<IpcResult<ActivitySeed>>;
  getChats(): Promise<IpcResult<ChatDto[]>>;
  getHealth(): Promise<IpcResult<HealthView>>;
  /**
   * Calls `listener` with every new entry of the event log, live, in cursor order; returns
   * the unsubscribe. The dashboard resumes by cursor after a lost connection (nothing missed).
   */
  onEvent(listener: (event: EventView) => void): () => void;
}

export const PRELOAD_GLOBAL = 'whatsappDesktop';
