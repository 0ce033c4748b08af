import { accountNotFound } from '../app/accounts.js';
import { DEFAULT_ACCOUNT } from '../app/context.js';
import { describeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { DashboardConfig } from '../shared/ipc.js';
import { copyText } from '../shared/mcp-clients.js';
import type { StdioEntry } from '../shared/mcp-install.js';
import { accountInstall } from '../shared/account-install.js';
import type { controlHandlers } from './control-actions.js';
import { copiedNotice, type TrayActions } from './tray-menu.js';

/** What the tray does to an account's session (its Linking service). */
export interface SessionControl {
  startAuth(): Promise<unknown>;
  logout(): Promise<unknown>;
}

export interface TrayActionDeps {
  /** A running account's linking (start or stop its WhatsApp Web); null when the account does not run. */
  linking(account: string): SessionControl | null;
  /** A running account's control changes as the window (audited on it); null when it does not run. */
  control(account: string): Pick<ReturnType<typeof controlHandlers>, 'agents:set'> | null;
  /** The running accounts' ids. */
  running(): string[];
  /** The account's name when there are several (the words then name it); null with one. */
  accountName(account: string): string | null;
  /** Asks before unlinking (naming the account when given); true only for an explicit "Log out". */
  confirmUnlink(accountName: string | null): Promise<boolean>;
  /** Shows the window, switched to the account when one is named, at `hash`. */
  show(account: string | undefined, hash?: string): void;
  /** The default account's install config and the app's stdio entry: each account's set-up is made from them. */
  dashboard: DashboardConfig;
  stdio: StdioEntry;
  writeClipboard(text: string): void;
  notify(title: string, body: string): void;
  setOpenAtLogin(enabled: boolean): void;
  /** The tray shows the status again (after a change it made). */
  refresh(): void;
  quit(): void;
  log: Logger;
}

/**
 * What the tray's items do (issue 14: each names its account, the default when it names none),
 * over the same application services as the window. Electron-free: main.ts hands in the
 * dialogs, the clipboard and the window.
 */
export function trayActions(deps: TrayActionDeps): TrayActions {
  const warn =
    (what: string) =>
    (err: unknown): void =>
      deps.log.warn({ err: describeError(err) }, what);
  /** The linking of the account an item names; a rejection when that account stopped running meanwhile. */
  const linking = async (account: string | undefined): Promise<SessionControl> => {
    const id = account ?? DEFAULT_ACCOUNT;
    const found = deps.linking(id);
    if (!found) throw accountNotFound(id);
    return found;
  };
  return {
    openWindow: (account) => deps.show(account),
    openApprovals: (account) => deps.show(account, 'waiting-approvals'),
    start: (account) => {
      linking(account)
        .then((l) => l.startAuth())
        .catch(warn('log in failed'));
      deps.show(account);
    },
    linkWithPhoneNumber: (account) => deps.show(account, 'pair'),
    cancel: (account) => void linking(account).then((l) => l.logout()).catch(warn('cancel failed')),
    logOut: (account) =>
      void deps
        .confirmUnlink(deps.accountName(account ?? DEFAULT_ACCOUNT))
        .then(async (yes) => (yes ? (await linking(account)).logout() : undefined))
        .catch(warn('log out failed')),
    copyToken: () => {
      deps.writeClipboard(deps.dashboard.token);
      const { title, body } = copiedNotice('token');
      deps.notify(title, body);
    },
    copyMcpConfig: (client, account) => {
      // Another account's set-up starts the stdio entry for it (`--account <id>`, the endpoint /mcp/<id>), under a server name of its own.
      const id = account ?? DEFAULT_ACCOUNT;
      deps.writeClipboard(copyText({ ...deps.dashboard, ...accountInstall(deps.dashboard, deps.stdio, id) }, client) ?? '');
      const { title, body } = copiedNotice(client, account === undefined ? null : deps.accountName(id));
      deps.notify(title, body);
    },
    // Pausing is per account (each its own switch and outbox): the tray's switch pauses or resumes every running account.
    setAgentsPaused: (paused) => {
      const flips = deps.running().map(async (id) => {
        const control = deps.control(id);
        if (!control) throw accountNotFound(id);
        return control['agents:set']({ paused });
      });
      void Promise.allSettled(flips).then((results) => {
        for (const r of results) if (r.status === 'rejected') warn(paused ? 'pause agents failed' : 'resume agents failed')(r.reason);
        deps.refresh();
      });
    },
    setOpenAtLogin: (enabled) => {
      deps.setOpenAtLogin(enabled);
      deps.refresh();
    },
    quit: () => deps.quit(),
  };
}
