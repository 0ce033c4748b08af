import type { McpClientId, SessionStateName } from '../shared/ipc.js';
import { ACTIONS, phaseFor, phaseTitle, type ActionId, type TrayIconKind } from '../shared/states.js';

export type { TrayIconKind } from '../shared/states.js';

/** What the tray shows; everything it needs, nothing it must look up. */
export interface TrayStatus {
  state: SessionStateName;
  account: { wid: string; pushname: string | null } | null;
  lastError: string | null;
  openAtLogin: boolean;
  demo: boolean;
}

export interface TrayActions {
  openWindow(): void;
  /** Log in, Try again, Reconnect, Use here, Link again: (re)start WhatsApp Web and show the window. */
  start(): void;
  linkWithPhoneNumber(): void;
  /** Stop linking (`starting`, `qr`): nothing is linked yet, so nothing is asked. */
  cancel(): void;
  /** Unlink the account; the implementation asks for confirmation first. */
  logOut(): void;
  copyToken(): void;
  copyMcpConfig(client: McpClientId): void;
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

/** The icon for a status: the same tone the window's dot shows (from the one table of states). */
export function trayIconKind(s: Pick<TrayStatus, 'state' | 'lastError'>): TrayIconKind {
  return phaseOf(s).icon;
}

/** One line, in words, for the top of the menu and the tooltip: the window's heading. */
export function statusLine(s: TrayStatus): string {
  return `${s.demo ? 'Demo — ' : ''}${phaseTitle(phaseOf(s), s.account)}`;
}

const MCP_CLIENTS: { id: McpClientId; label: string }[] = [
  { id: 'claude-desktop', label: 'Claude Desktop' },
  { id: 'claude-code', label: 'Claude Code' },
  { id: 'cursor', label: 'Cursor' },
  { id: 'vscode', label: 'VS Code' },
];

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
    { type: 'separator' },
    { id: 'open-at-login', label: mac ? 'Open at Login' : 'Start at login', type: 'checkbox', checked: s.openAtLogin, click: () => actions.setOpenAtLogin(!s.openAtLogin) },
    { type: 'separator' },
    { id: 'quit', label: mac ? 'Quit WhatsApp MCP Desktop' : 'Quit', click: actions.quit },
  ];
}

/** What a copy from the tray tells the person (a menu closes at once, so it cannot say "Copied" itself). */
export function copiedNotice(what: 'token' | McpClientId): { title: string; body: string } {
  if (what === 'token') return { title: 'API token copied', body: 'Paste it where your script or MCP client asks for it. Keep it private: it controls your WhatsApp.' };
  const client = MCP_CLIENTS.find((c) => c.id === what)?.label ?? what;
  return { title: `${client} configuration copied`, body: 'Paste it into the client’s MCP settings; it includes the API token, so keep it private.' };
}
