import type { Accounts } from '../app/accounts.js';
import type { Audit } from '../app/audit.js';
import { DEFAULT_ACCOUNT } from '../app/context.js';
import { AppError, isAppError } from '../core/errors.js';
import { INVOKE_CHANNELS, type AccountView, type InvokeChannel } from '../shared/ipc.js';
import { windowContext } from './control-actions.js';
import type { IpcHandlers } from './ipc.js';

/** The window's account registry calls: the same on whichever account the window shows. */
export type AccountsChannel = 'accounts:get' | 'accounts:create' | 'accounts:remove' | 'accounts:select';
/** Every other call: built for one account's services. */
export type AccountHandlers = Omit<IpcHandlers, AccountsChannel>;

export interface WindowAccountDeps {
  accounts: Pick<Accounts, 'list' | 'create' | 'remove'>;
  /** The default account's audit trail: the registry's changes are recorded there, as REST does. */
  audit: Pick<Audit, 'record'>;
  /** The window's handlers for a running account; null when the account does not run (unknown, or stopped). */
  handlersFor(id: string): AccountHandlers | null;
  /** The window now shows another account: its pushes (status, events) follow that one. */
  selected(id: string): void;
  /** An account was removed from the window (the tray drops its line and stops following it). */
  removed?(id: string): void;
}

const notRunning = (id: string): AppError =>
  new AppError('ACCOUNT_NOT_FOUND', `There is no running account "${id}": list the accounts to see their ids, or add it first.`, { account: id });

/**
 * The window shows one account at a time (the default at start): every call but the
 * registry's goes to that account's handlers, built once per account and kept; the registry
 * lists, adds, removes (never the default) and switches the shown account.
 */
export class WindowAccount {
  private current = DEFAULT_ACCOUNT;
  private readonly sets = new Map<string, AccountHandlers>();

  constructor(private readonly deps: WindowAccountDeps) {}

  get shown(): string {
    return this.current;
  }

  /** The handler set of the shown account (built on first use). */
  private set(id = this.current): AccountHandlers {
    let set = this.sets.get(id);
    if (!set) {
      const built = this.deps.handlersFor(id);
      if (!built) throw notRunning(id);
      set = built;
      this.sets.set(id, set);
    }
    return set;
  }

  /**
   * The account is gone (deleted here or over REST): its handlers are dropped, so one
   * re-created with the same id gets its new services, and a window showing it shows the
   * default account.
   */
  forget(id: string): void {
    this.sets.delete(id);
    if (this.current !== id) return;
    this.current = DEFAULT_ACCOUNT;
    this.deps.selected(DEFAULT_ACCOUNT);
  }

  select(id: string): void {
    this.set(id);
    if (id === this.current) return;
    this.current = id;
    this.deps.selected(id);
  }

  /** What the IPC gateway registers: a dispatcher per channel, and the registry's own calls. */
  handlers(): IpcHandlers {
    const routed: Record<string, (arg: unknown) => Promise<unknown>> = {};
    for (const channel of INVOKE_CHANNELS) {
      if (channel.startsWith('accounts:')) continue;
      routed[channel] = (arg) => (this.set()[channel as Exclude<InvokeChannel, AccountsChannel>] as (a: unknown) => Promise<unknown>)(arg);
    }
    return { ...(routed as unknown as AccountHandlers), ...this.registry() };
  }

  private registry(): Pick<IpcHandlers, AccountsChannel> {
    return {
      'accounts:get': async () => ({ shown: this.current, accounts: this.deps.accounts.list().map(accountView) }),
      'accounts:create': async (input) => accountView(await this.audited('create_account', input.id, () => this.deps.accounts.create(input))),
      'accounts:remove': async ({ id }) => {
        await this.audited('delete_account', id, async () => {
          if (id === DEFAULT_ACCOUNT) {
            throw new AppError('ACCOUNT_NOT_DELETABLE', 'The default account cannot be deleted: it answers every request that names no account. Log it out instead to unlink its phone.');
          }
          // The window has asked the person already: the confirmation is theirs.
          await this.deps.accounts.remove(id, id);
        });
        this.forget(id);
        this.deps.removed?.(id);
        return true;
      },
      'accounts:select': async ({ id }) => {
        this.select(id);
        return true;
      },
    };
  }

  private async audited<T>(action: string, target: string, run: () => Promise<T>): Promise<T> {
    const ctx = windowContext();
    try {
      const result = await run();
      this.deps.audit.record(ctx, action, target, 'ok');
      return result;
    } catch (err) {
      this.deps.audit.record(ctx, action, target, isAppError(err) ? err.code : 'INTERNAL');
      throw err;
    }
  }
}

const accountView = ({ id, name, default: isDefault, state, me, created_at, updated_at }: AccountView): AccountView => ({ id, name, default: isDefault, state, me, created_at, updated_at });
