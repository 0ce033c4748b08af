import type { McpClientId, SessionStateName } from '../shared/ipc.js';

/** What the tray shows; everything it needs, nothing it must look up. */
export interface TrayStatus {
  state: SessionStateName;
  account: { wid: string; pushname: string | null } | null;
  lastError: string | null;
  openAtLogin: boolean;
  demo: boolean;
}

export type TrayIconKind = 'linked' | 'connecting' | 'needs-login' | 'error';

export interface TrayActions {
  openWindow(): void;
  logIn(): void;
  linkWithPhoneNumber(): void;
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

export function trayIconKind(s: Pick<TrayStatus, 'state' | 'lastError'>): TrayIconKind {
  switch (s.state) {
    case 'ready':
      return 'linked';
    case 'starting':
    case 'authenticated':
      return 'connecting';
    case 'qr':
      return 'needs-login';
    case 'auth_failure':
    case 'disconnected':
      return 'error';
    case 'stopped':
      return s.lastError ? 'error' : 'needs-login';
  }
}

/** One line, in words, for the top of the menu and the tooltip. */
export function statusLine(s: TrayStatus): string {
  const prefix = s.demo ? 'Demo — ' : '';
  switch (s.state) {
    case 'ready': {
      const who = s.account?.pushname ?? (s.account?.wid ? `+${s.account.wid.replace(/@.*/, '')}` : '');
      return `${prefix}WhatsApp linked${who ? ` as ${who}` : ''}`;
    }
    case 'starting':
      return `${prefix}Starting WhatsApp…`;
    case 'qr':
      return `${prefix}Waiting for your phone to link`;
    case 'authenticated':
      return `${prefix}Phone linked, loading chats…`;
    case 'auth_failure':
      return `${prefix}Linking failed — log in again`;
    case 'disconnected':
      return `${prefix}WhatsApp disconnected`;
    case 'stopped':
      return `${prefix}${s.lastError ? 'WhatsApp stopped (see window)' : 'WhatsApp not linked'}`;
  }
}

const MCP_CLIENTS: { id: McpClientId; label: string }[] = [
  { id: 'claude-desktop', label: 'Claude Desktop' },
  { id: 'claude-code', label: 'Claude Code' },
  { id: 'cursor', label: 'Cursor' },
  { id: 'vscode', label: 'VS Code' },
];

/** The tray menu for a status: a pure function, so every state is unit-tested without Electron. */
export function trayMenuTemplate(s: TrayStatus, actions: TrayActions): TrayMenuItem[] {
  const linked = s.state === 'ready' || s.state === 'authenticated';
  return [
    { id: 'status', label: statusLine(s), enabled: false },
    { type: 'separator' },
    { id: 'open', label: 'Open window', click: actions.openWindow },
    { id: 'login', label: 'Log in…', enabled: !linked, click: actions.logIn },
    { id: 'pair', label: 'Link with phone number…', enabled: !linked, click: actions.linkWithPhoneNumber },
    { id: 'logout', label: 'Log out', enabled: s.state !== 'stopped', click: actions.logOut },
    { type: 'separator' },
    { id: 'copy-token', label: 'Copy API token', click: actions.copyToken },
    {
      id: 'copy-mcp',
      label: 'Copy MCP client config',
      type: 'submenu',
      submenu: MCP_CLIENTS.map((c) => ({ id: `copy-mcp-${c.id}`, label: c.label, click: () => actions.copyMcpConfig(c.id) })),
    },
    { type: 'separator' },
    { id: 'open-at-login', label: 'Start at login', type: 'checkbox', checked: s.openAtLogin, click: () => actions.setOpenAtLogin(!s.openAtLogin) },
    { type: 'separator' },
    { id: 'quit', label: 'Quit', click: actions.quit },
  ];
}
