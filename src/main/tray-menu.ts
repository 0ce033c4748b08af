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
  /** Its sends waiting for a person's approval. */
  approvals?: number;
  /** Its kill switch. */
  agentsPaused?: boolean;
}

/**
 * What the menu's items do. `account` names the account an item acts on; it is left out in
 * the one-account menu (the default account) and, for the window, when the item is not about
 * one account (the window then shows the account it shows).
 */
export interface TrayActions {
  openWindow(account?: string): void;
  /** Opens the window at its Approvals panel. */
  openApprovals(account?: string): void;
  /** Log in, Try again, Reconnect, Use here, Link again: (re)start WhatsApp Web and show the window. */
  start(account?: string): void;
  linkWithPhoneNumber(account?: string): void;
  /** Stop linking (`starting`, `qr`): nothing is linked yet, so nothing is asked. */
  cancel(account?: string): void;
  /** Unlink the account; the implementation asks for confirmation first. */
  logOut(account?: string): void;
  copyToken(): void;
  copyMcpConfig(client: McpClientId, account?: string): void;
  /** With several accounts: every account's kill switch. */
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
  /** Electron calls it with the menu item, the window and the event: never hand it an action that takes arguments of its own. */
  click?: (...electronArgs: unknown[]) => void;
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

/** The accounts the menu lists, one submenu each: only when there are several. */
const severalAccounts = (s: Pick<TrayStatus, 'accounts'>): TrayAccount[] => ((s.accounts?.length ?? 0) > 1 ? s.accounts! : []);

/** One line, in words, for the top of the menu and the tooltip: the window's heading. */
export function statusLine(s: Pick<TrayStatus, 'state' | 'lastError' | 'account' | 'demo'>): string {
  return `${s.demo ? 'Demo — ' : ''}${phaseTitle(phaseOf(s), s.account)}`;
}

/** The tooltip: the status, and what waits for the person (approvals) or is held (paused agents; with several accounts, where only some are). */
export function trayTooltip(s: TrayStatus): string {
  const somePaused = s.agentsPaused ? [] : severalAccounts(s).filter((a) => a.agentsPaused);
  const paused = s.agentsPaused ? 'agents paused' : somePaused.length > 0 ? `agents paused on ${somePaused.map((a) => a.name).join(', ')}` : '';
  return ['WhatsApp MCP Desktop', statusLine(s), s.approvals > 0 ? approvalsLine(s.approvals) : '', paused].filter(Boolean).join(' — ');
}

const MCP_CLIENTS = (Object.keys(CLIENT_TITLES) as McpClientId[]).map((id) => ({ id, label: CLIENT_TITLES[id] }));

/**
 * Menu ids stay stable whatever the words: `login` starts, `cancel` stops linking, `logout`
 * unlinks; an account's own items are `account-<id>/<item>` (`/` is never in an id, so no two
 * accounts' ids can meet). A click is always wrapped:
 * Electron passes the menu item as the first argument.
 */
function actionItem(id: ActionId, actions: TrayActions, account?: string): TrayMenuItem {
  const action = ACTIONS[id];
  const prefix = account === undefined ? '' : `account-${account}/`;
  if (action.does === 'start') return { id: `${prefix}login`, label: action.menuLabel, click: () => actions.start(account) };
  if (action.confirm) return { id: `${prefix}logout`, label: action.menuLabel, click: () => actions.logOut(account) };
  return { id: `${prefix}cancel`, label: action.menuLabel, click: () => actions.cancel(account) };
}

/** The session items for a state: its actions (from the one table of states) and the phone-number link when linking. */
function sessionItems(s: Pick<TrayStatus, 'state' | 'lastError'>, actions: TrayActions, account?: string): TrayMenuItem[] {
  const phase = phaseOf(s);
  const prefix = account === undefined ? '' : `account-${account}/`;
  return [
    ...[phase.primary, phase.secondary].filter((a): a is ActionId => a !== null).map((a) => actionItem(a, actions, account)),
    ...(phase.showLink ? [{ id: `${prefix}pair`, label: 'Link with phone number…', click: () => actions.linkWithPhoneNumber(account) }] : []),
  ];
}

/**
 * With several accounts, each account's line ("Work phone: Not linked") opens what can be
 * done with that account: its sends waiting for approval, its session actions for its state,
 * and showing it in the window.
 */
function accountMenu(a: TrayAccount, actions: TrayActions): TrayMenuItem {
  const approvals = a.approvals ?? 0;
  return {
    id: `account-${a.id}`,
    label: `${a.name}: ${phaseOf(a).title}`,
    type: 'submenu',
    submenu: [
      ...(approvals > 0 ? [{ id: `account-${a.id}/approvals`, label: `${approvalsLine(approvals)}…`, click: () => actions.openApprovals(a.id) }] : []),
      ...(a.agentsPaused ? [{ id: `account-${a.id}/paused`, label: 'Agents paused', enabled: false }] : []),
      ...sessionItems(a, actions, a.id),
      { type: 'separator' },
      { id: `account-${a.id}/open`, label: 'Show in window', click: () => actions.openWindow(a.id) },
    ],
  };
}

const clientItems = (actions: TrayActions, account?: string): TrayMenuItem[] =>
  MCP_CLIENTS.map((c) =>
    account === undefined
      ? { id: `copy-mcp-${c.id}`, label: c.label, click: () => actions.copyMcpConfig(c.id) }
      : { id: `copy-mcp-account-${account}/${c.id}`, label: c.label, click: () => actions.copyMcpConfig(c.id, account) },
  );

/** One set-up per client; with several accounts, one submenu of them per account (each its own MCP endpoint). */
function copyMcpItems(accounts: TrayAccount[], actions: TrayActions): TrayMenuItem[] {
  if (accounts.length === 0) return clientItems(actions);
  return accounts.map((a) => ({ id: `copy-mcp-account-${a.id}`, label: a.name, type: 'submenu', submenu: clientItems(actions, a.id) }));
}

/** Where the top "N sends waiting" item leads: with several accounts, the first account with sends waiting. */
const approvalsAccount = (accounts: TrayAccount[]): string | undefined => accounts.find((a) => (a.approvals ?? 0) > 0)?.id;

/**
 * The tray menu for a status: a pure function, so every state and platform is unit-tested
 * without Electron. It offers what the window offers for the same state, and the words follow
 * each platform's conventions (macOS: "Quit <App>", "Open at Login").
 */
export function trayMenuTemplate(s: TrayStatus, actions: TrayActions, platform: NodeJS.Platform = process.platform): TrayMenuItem[] {
  const mac = platform === 'darwin';
  const accounts = severalAccounts(s);
  return [
    { id: 'status', label: statusLine(s), enabled: false },
    ...accounts.map((a) => accountMenu(a, actions)),
    ...(s.approvals > 0 ? [{ id: 'approvals', label: `${approvalsLine(s.approvals)}…`, click: () => actions.openApprovals(approvalsAccount(accounts)) }] : []),
    { type: 'separator' },
    { id: 'open', label: 'Open window', click: () => actions.openWindow() },
    // One account: its session actions here; several: in each account's submenu, never one that acts on an unnamed account.
    ...(accounts.length === 0 ? sessionItems(s, actions) : []),
    { type: 'separator' },
    { id: 'copy-token', label: 'Copy API token', click: () => actions.copyToken() },
    { id: 'copy-mcp', label: 'Copy MCP client config', type: 'submenu', submenu: copyMcpItems(accounts, actions) },
    { id: 'pause-agents', label: mac ? 'Pause Agents' : 'Pause agents', type: 'checkbox', checked: s.agentsPaused, click: () => actions.setAgentsPaused(!s.agentsPaused) },
    { type: 'separator' },
    { id: 'open-at-login', label: mac ? 'Open at Login' : 'Start at login', type: 'checkbox', checked: s.openAtLogin, click: () => actions.setOpenAtLogin(!s.openAtLogin) },
    { type: 'separator' },
    { id: 'quit', label: mac ? 'Quit WhatsApp MCP Desktop' : 'Quit', click: () => actions.quit() },
  ];
}

/** What a copy from the tray tells the person (a menu closes at once, so it cannot say "Copied" itself). */
export function copiedNotice(what: 'token' | McpClientId, accountName: string | null = null): { title: string; body: string } {
  if (what === 'token') return { title: 'API token copied', body: 'Paste it where your script or MCP client asks for it. Keep it private: it controls your WhatsApp.' };
  const client = CLIENT_TITLES[what];
  if (accountName !== null) {
    const body =
      what === 'claude-code'
        ? `Run it once in a terminal: Claude Code then uses ${accountName}. It holds no token: Claude Code gets a key of its own the first time it connects (see Clients in the window).`
        : `Paste it into ${client}’s MCP configuration: ${client} then uses ${accountName}. It holds no token: ${client} gets a key of its own the first time it connects (see Clients in the window).`;
    return { title: `${client} set-up for ${accountName} copied`, body };
  }
  const body =
    what === 'claude-code'
      ? 'Run it once in a terminal. It holds no token: Claude Code gets a key of its own the first time it connects (see Clients in the window).'
      : `Paste it into ${client}’s MCP configuration. It holds no token: ${client} gets a key of its own the first time it connects (see Clients in the window).`;
  return { title: `${client} set-up copied`, body };
}
