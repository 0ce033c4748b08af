import type { McpClientId, SessionStateName } from '../shared/ipc.js';
import { CLIENT_TITLES } from '../shared/mcp-install.js';
import { ACTIONS, phaseFor, phaseTitle, type ActionId, type TrayIconKind } from '../shared/states.js';
import { approvalsLine } from './approval-notices.js';

export type { TrayIconKind } from '../shared/states.js';

/** What the tray shows; everything it needs, nothing it must look up. */
export interface TrayStatus {
  state: SessionStateName;
  account: { wid: string; pushname: string | null } | null;
  lastError: string | null;
  openAtLogin: boolean;
  demo: boolean;
  /** Sends waiting for a person's approval. */
  approvals: number;
  /** The kill switch: every client key's sends are held. */
  agentsPaused: boolean;
  /** Every account, the default first (issue 14); the menu lists them when there is more than one. */
  accounts?: TrayAccount[];
}

/** One account's line in the tray. */
export interface TrayAccount {
  id: string;
  name: string;
  state: SessionStateName;
  lastError: string | null;
}

export interface TrayActions {
  openWindow(): void;
  /** Opens the window at its Approvals panel. */
  openApprovals(): void;
  /** Log in, Try again, Reconnect, Use here, Link again: (re)start WhatsApp Web and show the window. */
  start(): void;
  linkWithPhoneNumber(): void;
  /** Stop linking (`starting`, `qr`): nothing is linked yet, so nothing is asked. */
  cancel(): void;
  /** Unlink the account; the implementation asks for confirmation first. */
  logOut(): void;
  copyToken(): void;
  copyMcpConfig(client: McpClientId): void;
  setAgentsPaused(paused: boolean): void;
  setOpenAtLogin(enabled: boolean): void;
  quit(): void;
}

/** The subset of Electron's MenuItemConstructorOptions the tray uses (keeps this file Electron-free). */
export interface TrayMenuItem {
  id?: string;
  label?: string;
  type?: 'normal' | 'separator' | 'checkbox' | 'submenu';
  enabled?: boolean;
  checked?: boolean;
  submenu?: TrayMenuItem[];
  click?: () => void;
}

const phaseOf = (s: Pick<TrayStatus, 'state' | 'lastError'>) => phaseFor({ state: s.state, last_error: s.lastError });

/** The icons from the best news to the worst: the tray shows the worst of all accounts. */
const ICON_SEVERITY: readonly TrayIconKind[] = ['linked', 'connecting', 'needs-login', 'error'];

/** The worst of several icons (an account that failed outweighs one that is linked). */
export function worstIconKind(kinds: readonly TrayIconKind[]): TrayIconKind {
  return kinds.reduce<TrayIconKind>((worst, k) => (ICON_SEVERITY.indexOf(k) > ICON_SEVERITY.indexOf(worst) ? k : worst), 'linked');
}

/**
 * The icon for a status: the same tone the window's dot shows (from the one table of states),
 * the worst across the accounts when there are several.
 */
export function trayIconKind(s: Pick<TrayStatus, 'state' | 'lastError' | 'accounts'>): TrayIconKind {
  return worstIconKind([phaseOf(s).icon, ...(s.accounts ?? []).map((a) => phaseOf(a).icon)]);
}

/** One disabled line per account when there are several: "Work phone: Not linked". */
function accountLines(s: Pick<TrayStatus, 'accounts'>): TrayMenuItem[] {
  const accounts = s.accounts ?? [];
  if (accounts.length < 2) return [];
  return accounts.map((a) => ({ id: `account-${a.id}`, label: `${a.name}: ${phaseOf(a).title}`, enabled: false }));
}

/** One line, in words, for the top of the menu and the tooltip: the window's heading. */
export function statusLine(s: Pick<TrayStatus, 'state' | 'lastError' | 'account' | 'demo'>): string {
  return `${s.demo ? 'Demo — ' : ''}${phaseTitle(phaseOf(s), s.account)}`;
}

/** The tooltip: the status, and what waits for the person (approvals) or is held (paused agents). */
export function trayTooltip(s: TrayStatus): string {
  return ['WhatsApp MCP Desktop', statusLine(s), s.approvals > 0 ? approvalsLine(s.approvals) : '', s.agentsPaused ? 'agents paused' : ''].filter(Boolean).join(' — ');
}

const MCP_CLIENTS = (Object.keys(CLIENT_TITLES) as McpClientId[]).map((id) => ({ id, label: CLIENT_TITLES[id] }));

/** Menu ids stay stable whatever the words: `login` starts, `cancel` stops linking, `logout` unlinks. */
function actionItem(id: ActionId, actions: TrayActions): TrayMenuItem {
  const action = ACTIONS[id];
  if (action.does === 'start') return { id: 'login', label: action.menuLabel, click: actions.start };
  if (action.confirm) return { id: 'logout', label: action.menuLabel, click: actions.logOut };
  return { id: 'cancel', label: action.menuLabel, click: actions.cancel };
}

/**
 * The tray menu for a status: a pure function, so every state and platform is unit-tested
 * without Electron. It offers what the window offers for the same state, and the words follow
 * each platform's conventions (macOS: "Quit <App>", "Open at Login").
 */
export function trayMenuTemplate(s: TrayStatus, actions: TrayActions, platform: NodeJS.Platform = process.platform): TrayMenuItem[] {
  const phase = phaseOf(s);
  const mac = platform === 'darwin';
  const session = [phase.primary, phase.secondary].filter((a): a is ActionId => a !== null).map((a) => actionItem(a, actions));
  return [
    { id: 'status', label: statusLine(s), enabled: false },
    ...accountLines(s),
    ...(s.approvals > 0 ? [{ id: 'approvals', label: `${approvalsLine(s.approvals)}…`, click: actions.openApprovals }] : []),
    { type: 'separator' },
    { id: 'open', label: 'Open window', click: actions.openWindow },
    ...session,
    ...(phase.showLink ? [{ id: 'pair', label: 'Link with phone number…', click: actions.linkWithPhoneNumber }] : []),
    { type: 'separator' },
    { id: 'copy-token', label: 'Copy API token', click: actions.copyToken },
    {
      id: 'copy-mcp',
      label: 'Copy MCP client config',
      type: 'submenu',
      submenu: MCP_CLIENTS.map((c) => ({ id: `copy-mcp-${c.id}`, label: c.label, click: () => actions.copyMcpConfig(c.id) })),
    },
    { id: 'pause-agents', label: mac ? 'Pause Agents' : 'Pause agents', type: 'checkbox', checked: s.agentsPaused, click: () => actions.setAgentsPaused(!s.agentsPaused) },
    { type: 'separator' },
    { id: 'open-at-login', label: mac ? 'Open at Login' : 'Start at login', type: 'checkbox', checked: s.openAtLogin, click: () => actions.setOpenAtLogin(!s.openAtLogin) },
    { type: 'separator' },
    { id: 'quit', label: mac ? 'Quit WhatsApp MCP Desktop' : 'Quit', click: actions.quit },
  ];
}

/** What a copy from the tray tells the person (a menu closes at once, so it cannot say "Copied" itself). */
export function copiedNotice(what: 'token' | McpClientId): { title: string; body: string } {
  if (what === 'token') return { title: 'API token copied', body: 'Paste it where your script or MCP client asks for it. Keep it private: it controls your WhatsApp.' };
  const client = CLIENT_TITLES[what];
  const body =
    what === 'claude-code'
      ? 'Run it once in a terminal. It holds no token: Claude Code gets a key of its own the first time it connects (see Clients in the window).'
      : `Paste it into ${client}’s MCP configuration. It holds no token: ${client} gets a key of its own the first time it connects (see Clients in the window).`;
  return { title: `${client} set-up copied`, body };
}
