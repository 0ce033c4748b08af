import type { Logger } from '../core/logger.js';
import { StoreError, newerSchemaMessage } from './errors.js';
import { immediate, type Db } from './sqlite.js';

/**
 * The schema's history, oldest first. A released migration is never edited: a change is a
 * new entry at the end. The file's version is SQLite's `PRAGMA user_version` (a field of
 * the file header, written with the transaction that changes it).
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Db): void;
}

/**
 * v1, the outbox (issue 10, part 3). `seq` gives creation order whatever the clock does;
 * `id` is the public, time-sortable name. Timestamps are milliseconds since the epoch.
 * The literal status list is frozen here on purpose: a new status is a new migration.
 */
const V1_OUTBOX = `
CREATE TABLE outbox (
  seq             INTEGER PRIMARY KEY,
  id              TEXT    NOT NULL UNIQUE,
  account         TEXT    NOT NULL DEFAULT 'default',
  client          TEXT,
  idempotency_key TEXT,
  request_hash    TEXT    NOT NULL,
  kind            TEXT    NOT NULL,
  chat_id         TEXT    NOT NULL,
  payload         TEXT    NOT NULL CHECK (json_valid(payload)),
  match_text      TEXT,
  media_count     INTEGER NOT NULL DEFAULT 0 CHECK (media_count >= 0),
  status          TEXT    NOT NULL CHECK (status IN
                    ('awaiting_approval', 'queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'canceled')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  message_id      TEXT,
  error_code      TEXT,
  error_message   TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  attempt_at      INTEGER,
  sent_at         INTEGER
) STRICT;
-- Same (account, key) is one send; a key set to NULL by pruning frees the name.
CREATE UNIQUE INDEX outbox_idempotency ON outbox (account, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX outbox_idempotency_age ON outbox (created_at) WHERE idempotency_key IS NOT NULL;
CREATE INDEX outbox_status ON outbox (account, status, seq);
CREATE INDEX outbox_chat ON outbox (account, chat_id, seq);
CREATE INDEX outbox_message ON outbox (account, message_id) WHERE message_id IS NOT NULL;
`;

export const MIGRATIONS: readonly Migration[] = [{ version: 1, name: 'outbox', up: (db) => db.exec(V1_OUTBOX) }];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function schemaVersion(db: Db): number {
  const row = db.prepare('PRAGMA user_version').get();
  return typeof row?.user_version === 'number' ? row.user_version : 0;
}

/**
 * Brings the file to the newest schema in one transaction: a crash or a full disk half-way
 * leaves the file as it was, never half-migrated. A file from a newer app is refused
 * untouched rather than guessed at.
 */
export function migrate(db: Db, file: string, log: Logger, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
  const known = migrations.length;
  const from = immediate(db, () => {
    const found = schemaVersion(db);
    if (found > known) throw new StoreError('STORE_NEWER_SCHEMA', file, newerSchemaMessage(file, found, known));
    for (const m of migrations.slice(found)) m.up(db);
    // PRAGMA takes no parameters; `known` is an integer we computed.
    if (found < known) db.exec(`PRAGMA user_version = ${known}`);
    return found;
  });
  // Logged after COMMIT, so the log never claims a migration that was rolled back.
  for (const m of migrations.slice(from)) log.info({ file, version: m.version, migration: m.name }, 'store: migration applied');
  return { from, to: known };
}
