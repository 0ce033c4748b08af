import { closeSync, mkdirSync, openSync, chmodSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../core/logger.js';
import { describeError } from '../core/errors.js';
import { StoreError, ioMessage, toStoreError } from './errors.js';
import { acquireLock, type StoreLock } from './lock.js';
import { migrate } from './migrations.js';
import { createAccountsRepo, type AccountsRepo } from './accounts.js';
import { createAuditRepo, type AuditRepo } from './audit.js';
import { createDeliveriesRepo, type DeliveriesRepo } from './deliveries.js';
import { createEventsRepo, type EventsRepo } from './events.js';
import { createKeysRepo, type KeysRepo } from './keys.js';
import { createMessagesRepo, type MessagesRepo } from './messages.js';
import { createOutboxRepo, type OutboxRepo } from './outbox.js';
import { createRecorder, type Recorder } from './record.js';
import { createSettingsRepo, type SettingsRepo } from './settings.js';
import { sqlite, type Db } from './sqlite.js';
import { createWebhooksRepo, type WebhooksRepo } from './webhooks.js';

export const STORE_FILE = 'whatsapp.db';
export const IN_MEMORY = ':memory:';

export interface StoreOptions {
  /** The database file (the bridge uses `<dataDir>/whatsapp.db`), or `:memory:` for tests. */
  file: string;
  log: Logger;
  /**
   * NORMAL (default): in WAL mode every committed transaction survives a crash or `kill -9`
   * of the process; a power cut or OS crash can lose the last commits (never corrupt the
   * file). FULL also survives those, at the price of an fsync per commit.
   */
  synchronous?: 'NORMAL' | 'FULL';
  /** How long to wait for another bridge to let go of the store before STORE_LOCKED. */
  lockWaitMs?: number;
  /** How long a statement waits for a write lock held by another connection (SQLite busy timeout). */
  busyTimeoutMs?: number;
  /** A cap on the file's size; writes past it fail with STORE_FULL like a full disk. */
  maxSizeMb?: number;
  /**
   * false only for a second connection inside a process whose own store holds the lock
   * (a worker, a test). Never for a second bridge: that is what the lock refuses.
   */
  lock?: boolean;
  /** The clock for the rows' timestamps. */
  now?: () => number;
}

/** The repositories, one per table family; writes that must go together go through Recorder. */
export interface Repos {
  readonly outbox: OutboxRepo;
  /** The event log (issue 11): the cursor every push channel resumes from. */
  readonly events: EventsRepo;
  /** Stored messages and their search. */
  readonly messages: MessagesRepo;
  readonly webhooks: WebhooksRepo;
  readonly deliveries: DeliveriesRepo;
  /** Per-account settings that survive a restart (whether agents are paused). */
  readonly settings: SettingsRepo;
  /** Client keys (hashed) and the audit trail (issue 12). */
  readonly keys: KeysRepo;
  readonly audit: AuditRepo;
  /** The registry of WhatsApp accounts (issue 14). */
  readonly accounts: AccountsRepo;
}

export interface Store extends Repos, Recorder {
  readonly file: string;
  /** The schema version the file is at (the newest this code knows). */
  readonly schemaVersion: number;
  /** Closes the database and lets go of the lock; safe to call twice. */
  close(): void;
}

/**
 * Opens (creating if needed) and migrates the store. Throws a StoreError that says what to
 * do when the file is damaged, the disk is full, another bridge holds it, or it comes from
 * a newer app; the caller shows that message and stops rather than restarting into it.
 */
export function openStore(options: StoreOptions): Store {
  const { file, log } = options;
  const memory = file === IN_MEMORY;
  if (!memory) createPrivately(file, options.lock !== false);
  const lock: StoreLock | null = memory || options.lock === false ? null : acquireLock(file, options.lockWaitMs ?? 1_000);
  let db: Db | null = null;
  try {
    db = new (sqlite().DatabaseSync)(file, { timeout: options.busyTimeoutMs ?? 5_000, enableForeignKeyConstraints: true });
    configure(db, options, memory);
    const { from, to } = migrate(db, file, log);
    const now = options.now ?? Date.now;
    const repos: Repos = {
      outbox: createOutboxRepo(db, file, now),
      events: createEventsRepo(db, file, now),
      messages: createMessagesRepo(db, file, now),
      webhooks: createWebhooksRepo(db, file, now),
      deliveries: createDeliveriesRepo(db, file, now),
      settings: createSettingsRepo(db, file, now),
      keys: createKeysRepo(db, file, now),
      audit: createAuditRepo(db, file, now),
      accounts: createAccountsRepo(db, file, now),
    };
    log.info({ file, schemaVersion: to, migratedFrom: from === to ? undefined : from, synchronous: options.synchronous ?? 'NORMAL' }, 'store: open');
    return handle(db, lock, file, to, repos, log);
  } catch (err) {
    db?.close();
    lock?.release();
    throw toStoreError(err, file);
  }
}

/**
 * The file holds message texts: owner-only from the start. SQLite gives its -wal and -shm
 * files the mode of the database file, so they follow.
 */
function createPrivately(file: string, withLock: boolean): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    for (const f of withLock ? [file, `${file}.lock`] : [file]) {
      closeSync(openSync(f, 'a', 0o600));
      // A copy restored from a backup may have lost the owner-only mode.
      if (process.platform !== 'win32') chmodSync(f, 0o600);
    }
  } catch (err) {
    throw new StoreError('STORE_IO', file, ioMessage(file, describeError(err)), { cause: err });
  }
}

function configure(db: Db, options: StoreOptions, memory: boolean): void {
  const mode = db.prepare('PRAGMA journal_mode = WAL').get()?.journal_mode;
  // WAL is what lets readers run beside the writer and makes NORMAL crash-safe; some
  // network file systems cannot do it. Refuse rather than run with weaker guarantees.
  if (!memory && mode !== 'wal') {
    throw new StoreError('STORE_IO', options.file, ioMessage(options.file, `the file system does not support SQLite's WAL mode (journal_mode is ${String(mode)}); use a local disk for the data directory`));
  }
  db.exec(`PRAGMA synchronous = ${options.synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
  db.exec('PRAGMA foreign_keys = ON');
  // After a burst the -wal file is truncated back to this, instead of keeping its peak size.
  db.exec('PRAGMA journal_size_limit = 67108864');
  if (options.maxSizeMb !== undefined) {
    const pageSize = Number(db.prepare('PRAGMA page_size').get()?.page_size ?? 4096);
    db.exec(`PRAGMA max_page_count = ${Math.max(1, Math.floor((options.maxSizeMb * 2 ** 20) / pageSize))}`);
  }
}

function handle(db: Db, lock: StoreLock | null, file: string, schemaVersion: number, repos: Repos, log: Logger): Store {
  let open = true;
  return {
    file,
    schemaVersion,
    ...repos,
    ...createRecorder(db, file, repos),
    close() {
      if (!open) return;
      open = false;
      try {
        // Keeps the planner's statistics fresh at no cost when nothing changed.
        db.exec('PRAGMA optimize');
      } catch (err) {
        log.warn({ file, err: describeError(err) }, 'store: PRAGMA optimize failed on close');
      }
      db.close();
      lock?.release();
      log.debug({ file }, 'store: closed');
    },
  };
}
