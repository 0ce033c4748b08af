import { AppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { SessionSnapshot } from '../core/status.js';
import type { AccountRow, Store } from '../store/index.js';
import { DEFAULT_ACCOUNT } from './context.js';
import type { AccountEntry, CreateAccountInput, UpdateAccountInput } from './schemas/accounts.js';

/**
 * What runs for each account — its WhatsApp session, its services, its HTTP surface —
 * built by the composition root (bridge.ts), which alone knows browsers and servers.
 */
export interface AccountRuntimes {
  /** Builds the account's session and services; with `link`, starts its WhatsApp Web (QR / pairing code). */
  open(account: AccountRow, options: { link: boolean }): Promise<void>;
  /** Logs the account's phone out (when linked), stops everything of it and removes its files. */
  discard(id: string): Promise<void>;
  /** The account's session right now; null when it has none running. */
  snapshot(id: string): SessionSnapshot | null;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export const accountNotFound = (id: string): AppError =>
  new AppError('ACCOUNT_NOT_FOUND', `There is no account "${id}": list the accounts to see their ids, or create it first. Leave the account out to use the default one.`, { account: id });

/**
 * The registry of WhatsApp accounts (issue 14): each has an id (a slug), a display name,
 * and its own linked session, pace, outbox, policies, webhooks and event partition. The
 * default account always exists and cannot be deleted; the others are created (which starts
 * linking them) and deleted (which logs them out and removes their data, once confirmed).
 */
export class Accounts {
  /** Creations and deletions one at a time: a runtime is opened or discarded once. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly runtimes: AccountRuntimes,
    private readonly log: Logger,
  ) {}

  list(): AccountEntry[] {
    return this.store.accounts.list().map((row) => this.entry(row));
  }

  get(id: string): AccountEntry {
    return this.entry(this.find(id));
  }

  exists(id: string): boolean {
    return this.store.accounts.get(id) !== null;
  }

  /** Every account but the default, to open when the bridge starts. */
  others(): AccountRow[] {
    return this.store.accounts.list().filter((a) => a.id !== DEFAULT_ACCOUNT);
  }

  create(input: CreateAccountInput): Promise<AccountEntry> {
    return this.serially(async () => {
      const row = this.store.accounts.create({ id: input.id, name: input.name ?? input.id });
      if (!row) throw new AppError('ACCOUNT_EXISTS', `An account "${input.id}" already exists: choose another id, or use that account.`, { fields: ['id'] });
      try {
        await this.runtimes.open(row, { link: true });
      } catch (err) {
        // An account that cannot run is not left half-made in the registry.
        await this.runtimes.discard(row.id).catch(() => undefined);
        this.store.accounts.purge(row.id);
        throw err;
      }
      this.log.info({ account: row.id }, 'account created');
      return this.entry(row);
    });
  }

  update(id: string, input: UpdateAccountInput): AccountEntry {
    this.find(id);
    const row = this.store.accounts.rename(id, input.name);
    if (!row) throw accountNotFound(id);
    return this.entry(row);
  }

  /** `confirm` must repeat the id: this logs the phone out and removes the account's data for good. */
  remove(id: string, confirm: string | undefined): Promise<{ id: string }> {
    return this.serially(async () => {
      if (id === DEFAULT_ACCOUNT) {
        throw new AppError('ACCOUNT_NOT_DELETABLE', 'The default account cannot be deleted: it answers every request that names no account. Log it out instead to unlink its phone.');
      }
      this.find(id);
      if (confirm !== id) {
        throw new AppError(
          'CONFIRMATION_REQUIRED',
          `Deleting the account "${id}" logs its phone out and removes its messages, events, sends, webhooks and audit trail for good: repeat its id as confirm=${id} to go ahead.`,
          { fields: ['confirm'] },
        );
      }
      await this.runtimes.discard(id);
      this.store.accounts.purge(id);
      this.log.info({ account: id }, 'account deleted with its data');
      return { id };
    });
  }

  private find(id: string): AccountRow {
    const row = this.store.accounts.get(id);
    if (!row) throw accountNotFound(id);
    return row;
  }

  private entry(row: AccountRow): AccountEntry {
    const s = this.runtimes.snapshot(row.id);
    const wid = s?.state === 'ready' ? (s.account?.wid ?? null) : null;
    return {
      id: row.id,
      name: row.name,
      default: row.id === DEFAULT_ACCOUNT,
      state: s?.state ?? 'stopped',
      me: wid ? wid.split('@')[0]! : null,
      created_at: iso(row.createdAt),
      updated_at: iso(row.updatedAt),
    };
  }

  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
