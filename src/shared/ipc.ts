/**
 * The one contract between the window (renderer + preload) and the main process: channel
 * names and the argument and result of each. No Node or Electron imports: the preload, the
 * renderer's type checks and main all read it.
 */

import type { ApprovalEventData, LogEventType, WaEvent } from './events.js';
import type { ClientId, InstallOption } from './mcp-install.js';
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

export type McpClientId = ClientId;

/**
 * The API details the window shows (the token included: the window is the token's owner's,
 * and "Copy API token" is for REST scripts), and the one-click MCP set-up for this machine:
 * every option starts the stdio entry with a client key of its own, so none holds the token.
 */
export interface DashboardConfig {
  api_url: string;
  mcp_url: string;
  token: string;
  demo: boolean;
  install: InstallOption[];
}

/** What a copy button copies: the token, an address, or an MCP client's set-up text (command or JSON). */
export type CopyItem = 'token' | 'api_url' | 'mcp_url' | McpClientId;
export const COPY_ITEMS: readonly CopyItem[] = ['token', 'api_url', 'mcp_url', 'claude-desktop', 'claude-code', 'cursor', 'vscode'];

/** The clients whose set-up is a link the OS hands to them (cursor:, vscode:). */
export type LinkClient = 'cursor' | 'vscode';
export const LINK_CLIENTS: readonly LinkClient[] = ['cursor', 'vscode'];

/** The bridge's own status change, as the event log records it. */
export interface StatusEventView {
  type: 'status';
  state: SessionState;
  previous: SessionState;
  last_error: string | null;
  /** Disconnected, and trying to reconnect by itself. */
  reconnecting?: boolean;
}

/** A send held for a person's approval, and what became of it. */
export type ApprovalEventView = ApprovalEventData;

/** One entry of the event log (`LoggedEvent` in src/app/events.ts; SSE sends the same JSON). */
export interface EventView {
  cursor: number;
  id: string;
  type: LogEventType;
  account: string;
  chat_id: string | null;
  /** ISO 8601 */
  at: string;
  backfilled: boolean;
  data: WaEvent | StatusEventView | ApprovalEventView;
}

/** Why a send was held for approval, and what became of it (REST `approval` of an outbox entry). */
export interface ApprovalInfo {
  /** quarantine, new_recipient or always */
  reason: string;
  reason_text: string;
  /** The client key's name that asked. */
  requested_by: string | null;
  /** ISO 8601, while awaiting approval. */
  expires_at: string | null;
  files: { filename: string | null; mimetype: string; size: number }[];
  decision: 'approved' | 'denied' | 'expired' | null;
  decided_by: string | null;
  decided_at: string | null;
}

/** One send of the outbox (REST `GET /api/outbox` entries). */
export interface SendView {
  id: string;
  /** text, media, location, poll, forward or reaction */
  kind: string;
  chat_id: string;
  /** The client key that asked (its id); null: the owner token or the window. */
  client_id: string | null;
  status: 'awaiting_approval' | 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed' | 'canceled';
  message_id: string | null;
  attempts: number;
  error: { code: string; message: string } | null;
  text: string | null;
  /** ISO 8601 */
  created_at: string;
  updated_at: string;
  sent_at: string | null;
  approval: ApprovalInfo | null;
}

/** A send waiting for a person, as the Approvals panel shows it. */
export interface PendingApproval {
  send: SendView;
  /** The recipient's name (contact or group) when WhatsApp knows it; the number is in `send.chat_id`. */
  recipient_name: string | null;
}

export type ApprovalDecision = 'approve' | 'deny';

/** A client key as the Clients panel lists it (REST `GET /api/keys` entries; never the key itself). */
export interface ClientKeyView {
  id: string;
  name: string;
  key_prefix: string;
  scopes: ('read' | 'send' | 'link' | 'admin')[];
  recipients: 'any' | 'contacts' | 'allowlist' | 'reply_only';
  allowlist: string[];
  reply_window_hours: number;
  approve: 'never' | 'new_recipients' | 'always';
  quarantine: boolean;
  max_new_recipients_per_day: number | null;
  max_messages_per_chat_per_minute: number | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** What the Clients panel's form sends (REST `POST /api/keys` body); left out, a setting takes the API's safe default. */
export interface NewClientKey {
  name: string;
  scopes?: ClientKeyView['scopes'];
  recipients?: ClientKeyView['recipients'];
  allowlist?: string[];
  approve?: ClientKeyView['approve'];
  quarantine?: boolean;
}

/** A key just created: the only time the key itself is shown. */
export type CreatedClientKey = ClientKeyView & { key: string };

/** The kill switch (REST `GET /api/agents`). */
export interface AgentsView {
  paused: boolean;
  since: string | null;
  by: string | null;
  /** Sends by client keys waiting in the queue (held while paused). */
  held: number;
  awaiting_approval: number;
}

/** What the Activity panel starts from, before live events arrive. */
export interface ActivitySeed {
  /** The event log's latest entries, oldest first (the window from the log, the dashboard from GET /api/events/log). */
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

/** One WhatsApp account as the Accounts card lists it (REST `GET /api/accounts` entries). */
export interface AccountView {
  id: string;
  name: string;
  /** The default account answers whatever names no account; it cannot be removed. */
  default: boolean;
  state: SessionState;
  /** The linked number (digits) while ready. */
  me: string | null;
  created_at: string;
  updated_at: string;
}

/** The accounts, the default first, and the one the window shows. */
export interface AccountsView {
  shown: string;
  accounts: AccountView[];
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
  /** Sends awaiting approval, oldest first (the first to expire on top). */
  'approvals:get': { arg: void; result: PendingApproval[] };
  /** The window decides as a person: never a client key, so any held send may be decided. */
  'approvals:decide': { arg: { id: string; decision: ApprovalDecision }; result: SendView };
  /** One send of the outbox (Activity's details). */
  'send:get': { arg: { id: string }; result: SendView };
  'keys:get': { arg: void; result: ClientKeyView[] };
  'keys:create': { arg: NewClientKey; result: CreatedClientKey };
  'keys:revoke': { arg: { id: string }; result: ClientKeyView };
  'agents:get': { arg: void; result: AgentsView };
  'agents:set': { arg: { paused: boolean }; result: AgentsView };
  /** Opens a client's install link (cursor:, vscode:) with the OS; the link comes from main's own config, never from the page. */
  'link:open': { arg: { client: LinkClient }; result: true };
  /** The accounts with their states, and the one the window shows (every other call acts on that one). */
  'accounts:get': { arg: void; result: AccountsView };
  /** Adds an account: its WhatsApp Web starts, ready to link (REST `POST /api/accounts`). */
  'accounts:create': { arg: { id: string; name?: string }; result: AccountView };
  /** Logs the account's phone out and deletes its data (the window has asked the person first); never the default. */
  'accounts:remove': { arg: { id: string }; result: true };
  /** The account the window shows from now on; the page reloads itself after. */
  'accounts:select': { arg: { id: string }; result: true };
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
  'approvals:get',
  'approvals:decide',
  'send:get',
  'keys:get',
  'keys:create',
  'keys:revoke',
  'agents:get',
  'agents:set',
  'link:open',
  'accounts:get',
  'accounts:create',
  'accounts:remove',
  'accounts:select',
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
  getApprovals(): Promise<IpcResult<PendingApproval[]>>;
  decideApproval(id: string, decision: ApprovalDecision): Promise<IpcResult<SendView>>;
  getSend(id: string): Promise<IpcResult<SendView>>;
  getKeys(): Promise<IpcResult<ClientKeyView[]>>;
  createKey(input: NewClientKey): Promise<IpcResult<CreatedClientKey>>;
  revokeKey(id: string): Promise<IpcResult<ClientKeyView>>;
  getAgents(): Promise<IpcResult<AgentsView>>;
  setAgentsPaused(paused: boolean): Promise<IpcResult<AgentsView>>;
  /**
   * The window only: hands a client's install link to the OS. The dashboard has none — its
   * links are plain `<a href>`s the browser follows.
   */
  openInstallLink?(client: LinkClient): Promise<IpcResult<true>>;
  /**
   * The window only: the account registry (the dashboard has its own over REST, see
   * renderer/backend.js accountsBackend). `selectAccount` switches what every other call
   * acts on; the page reloads itself after.
   */
  getAccounts?(): Promise<IpcResult<AccountsView>>;
  createAccount?(input: { id: string; name?: string }): Promise<IpcResult<AccountView>>;
  removeAccount?(id: string): Promise<IpcResult<true>>;
  selectAccount?(id: string): Promise<IpcResult<true>>;
}

export const PRELOAD_GLOBAL = 'whatsappDesktop';
