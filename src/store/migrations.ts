import type { Logger } from '../core/logger.js';
import { StoreError, newerSchemaMessage, unsupportedMessage } from './errors.js';
import { immediate, type Db } from './sqlite.js';

/**
 * The schema's history, oldest first. A released migration is never edited: a change is a
 * new entry at the end. The file's version is SQLite's `PRAGMA user_version` (a field of
 * the file header, written with the transaction that changes it).
 */
export interface Migration {
  version: number;
  name: string;
  /** What this runtime's SQLite lacks for `up`, or null: checked first, so a refusal changes nothing. */
  missing?(db: Db): string | null;
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

/**
 * v2, listening (issue 11): the event log, stored messages with their full-text indexes,
 * webhooks and their deliveries. See README.md for what each column means and why the
 * search uses two indexes.
 */
const V2_LISTENING = `
-- AUTOINCREMENT: a seq is never handed out twice, even after the newest events are pruned,
-- so a consumer's cursor can never point at a different event later.
CREATE TABLE events (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  id         TEXT    NOT NULL UNIQUE,
  account    TEXT    NOT NULL,
  type       TEXT    NOT NULL CHECK (length(type) BETWEEN 1 AND 64),
  chat_id    TEXT,
  at         INTEGER NOT NULL,
  backfilled INTEGER NOT NULL DEFAULT 0 CHECK (backfilled IN (0, 1)),
  payload    TEXT    NOT NULL CHECK (json_valid(payload))
) STRICT;
CREATE INDEX events_account ON events (account, seq);
CREATE INDEX events_chat ON events (account, chat_id, seq);
CREATE INDEX events_type ON events (account, type, seq);

-- ord = timestamp (s) * 2^20 + a tie-breaker: the chat's order whatever order the messages
-- arrive in (history imports come late), and the rowid of both full-text indexes, so their
-- scans run newest first and a date range is a rowid range.
CREATE TABLE messages (
  ord          INTEGER PRIMARY KEY,
  account      TEXT    NOT NULL,
  id           TEXT    NOT NULL,
  chat_id      TEXT    NOT NULL,
  from_me      INTEGER NOT NULL CHECK (from_me IN (0, 1)),
  sender       TEXT,
  sender_phone TEXT,
  sender_lid   TEXT,
  type         TEXT,
  body         TEXT    NOT NULL,
  timestamp    INTEGER NOT NULL,
  ack          TEXT    CHECK (ack IN ('error', 'pending', 'sent', 'delivered', 'read', 'played')),
  quoted_id    TEXT,
  mentions     TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(mentions)),
  has_media    INTEGER NOT NULL DEFAULT 0 CHECK (has_media IN (0, 1)),
  media        TEXT    CHECK (media IS NULL OR json_valid(media)),
  edited       INTEGER NOT NULL DEFAULT 0 CHECK (edited IN (0, 1)),
  edited_at    INTEGER,
  edits        TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(edits)),
  revoked      INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
  revoked_at   INTEGER,
  source       TEXT    NOT NULL CHECK (source IN ('live', 'sent', 'history', 'backfill')),
  raw          TEXT    NOT NULL CHECK (json_valid(raw)),
  inserted_at  INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  UNIQUE (account, id)
) STRICT;
CREATE INDEX messages_chat ON messages (account, chat_id, ord);

-- Contentless (the text lives once, in messages.body) with contentless_delete, so the repo
-- can drop or replace a message's entry by rowid alone. Written by the repo in the same
-- transaction as the row (words need segmenting in JS, which a trigger cannot do).
CREATE VIRTUAL TABLE messages_trigram USING fts5(body, content = '', contentless_delete = 1, tokenize = 'trigram remove_diacritics 1');
CREATE VIRTUAL TABLE messages_words USING fts5(body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2');

CREATE TABLE webhooks (
  seq             INTEGER PRIMARY KEY,
  id              TEXT    NOT NULL UNIQUE,
  account         TEXT    NOT NULL,
  url             TEXT    NOT NULL,
  events          TEXT    CHECK (events IS NULL OR json_valid(events)),
  chat_id         TEXT,
  secret          TEXT    NOT NULL,
  enabled         INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  disabled_reason TEXT,
  failure_count   INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX webhooks_account ON webhooks (account, seq);

CREATE TABLE webhook_deliveries (
  seq              INTEGER PRIMARY KEY,
  id               TEXT    NOT NULL UNIQUE,
  webhook_id       TEXT    NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  event_seq        INTEGER NOT NULL REFERENCES events (seq),
  chat_id          TEXT,
  -- Deliveries without a chat (status changes) are one more queue of their own.
  chat_key         TEXT    GENERATED ALWAYS AS (coalesce(chat_id, '')) VIRTUAL,
  status           TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed', 'abandoned')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  last_status_code INTEGER,
  last_error       TEXT,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  delivered_at     INTEGER,
  UNIQUE (webhook_id, event_seq)
) STRICT;
-- The outstanding deliveries of each (webhook, chat) queue in event order: its head is the
-- only one that may be due.
CREATE INDEX deliveries_queue ON webhook_deliveries (webhook_id, chat_key, event_seq) WHERE status IN ('pending', 'failed');
CREATE INDEX deliveries_log ON webhook_deliveries (webhook_id, seq);
-- For the foreign key when old events are pruned.
CREATE INDEX deliveries_event ON webhook_deliveries (event_seq);
`;

/**
 * v3, agent safety (issue 12): client keys (stored hashed; the key itself is shown once),
 * the audit trail, small persistent settings (the "pause agents" switch), and the outbox's
 * approval bookkeeping: when a held send expires and who decided it.
 */
const V3_SAFETY = `
CREATE TABLE client_keys (
  seq          INTEGER PRIMARY KEY,
  id           TEXT    NOT NULL UNIQUE,
  account      TEXT    NOT NULL DEFAULT 'default',
  name         TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- SHA-256 of the key, hex: keys are 256 random bits, so a slow hash adds nothing.
  key_hash     TEXT    NOT NULL UNIQUE,
  -- The first characters of the key, to tell keys apart in lists ("wak_3f9c…").
  key_prefix   TEXT    NOT NULL,
  scopes       TEXT    NOT NULL CHECK (json_valid(scopes)),
  policy       TEXT    NOT NULL CHECK (json_valid(policy)),
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at   INTEGER
) STRICT;
CREATE INDEX client_keys_account ON client_keys (account, seq);

CREATE TABLE audit (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  at          INTEGER NOT NULL,
  account     TEXT    NOT NULL,
  client_kind TEXT    NOT NULL CHECK (client_kind IN ('owner', 'key', 'window')),
  client_id   TEXT,
  client_name TEXT,
  transport   TEXT    NOT NULL CHECK (transport IN ('rest', 'mcp', 'window', 'tray', 'system')),
  action      TEXT    NOT NULL,
  target      TEXT,
  outcome     TEXT    NOT NULL,
  code        TEXT,
  outbox_id   TEXT,
  detail      TEXT    CHECK (detail IS NULL OR json_valid(detail))
) STRICT;
CREATE INDEX audit_account ON audit (account, seq);
CREATE INDEX audit_client ON audit (client_id, seq) WHERE client_id IS NOT NULL;

CREATE TABLE settings (
  account    TEXT    NOT NULL,
  key        TEXT    NOT NULL,
  value      TEXT    NOT NULL CHECK (json_valid(value)),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (account, key)
) STRICT;

-- A send held for approval expires (-> canceled) at expires_at; approval records why it
-- was held and who decided ({"reason", "decided_by", "decision", "decided_at"}).
ALTER TABLE outbox ADD COLUMN expires_at INTEGER;
ALTER TABLE outbox ADD COLUMN approval TEXT CHECK (approval IS NULL OR json_valid(approval));
CREATE INDEX outbox_expiry ON outbox (expires_at) WHERE status = 'awaiting_approval';
`;

/**
 * v4, accounts (issue 14): the registry of WhatsApp accounts (the default one always
 * exists), and the accounts a client key is limited to (NULL: every account). Every other
 * table already carries its account.
 */
const V4_ACCOUNTS = `
CREATE TABLE accounts (
  seq        INTEGER PRIMARY KEY,
  id         TEXT    NOT NULL UNIQUE CHECK (length(id) BETWEEN 1 AND 32),
  name       TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
ALTER TABLE client_keys ADD COLUMN accounts TEXT CHECK (accounts IS NULL OR json_valid(accounts));
`;

function accountsUp(db: Db): void {
  db.exec(V4_ACCOUNTS);
  const now = Date.now();
  db.prepare("INSERT INTO accounts (id, name, created_at, updated_at) VALUES ('default', 'Default', ?, ?)").run(now, now);
}

/**
 * v5, a webhook's chat filter follows a person (issue 14): `chat_ids` are the chats its
 * `chat_id` stands for, the person's phone-number chat and LID chat where known (the app
 * resolves them as SSE does; the store only matches). Existing filters follow their one chat.
 */
const V5_WEBHOOK_CHATS = `
ALTER TABLE webhooks ADD COLUMN chat_ids TEXT CHECK (chat_ids IS NULL OR json_valid(chat_ids));
UPDATE webhooks SET chat_ids = json_array(chat_id) WHERE chat_id IS NOT NULL;
`;

/** FTS5 with the trigram tokenizer (3.34) and contentless_delete (3.43). */
function searchSupport(db: Db): string | null {
  const version = String(db.prepare('SELECT sqlite_version() AS v').get()?.v);
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major < 3 || (major === 3 && minor < 43)) return `it is SQLite ${version}, and the message search needs 3.43 or newer`;
  const fts5 = db.prepare("SELECT 1 AS yes FROM pragma_compile_options WHERE compile_options = 'ENABLE_FTS5'").get();
  return fts5 ? null : `its SQLite ${version} was built without FTS5, which the message search needs`;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'outbox', up: (db) => db.exec(V1_OUTBOX) },
  { version: 2, name: 'listening', missing: searchSupport, up: (db) => db.exec(V2_LISTENING) },
  { version: 3, name: 'safety', up: (db) => db.exec(V3_SAFETY) },
  { version: 4, name: 'accounts', up: accountsUp },
  { version: 5, name: 'webhook-chats', up: (db) => db.exec(V5_WEBHOOK_CHATS) },
];

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
    for (const m of migrations.slice(found)) {
      const lack = m.missing?.(db) ?? null;
      if (lack !== null) throw new StoreError('STORE_UNSUPPORTED', file, unsupportedMessage(file, lack));
      m.up(db);
    }
    // PRAGMA takes no parameters; `known` is an integer we computed.
    if (found < known) db.exec(`PRAGMA user_version = ${known}`);
    return found;
  });
  // Logged after COMMIT, so the log never claims a migration that was rolled back.
  for (const m of migrations.slice(from)) log.info({ file, version: m.version, migration: m.name }, 'store: migration applied');
  return { from, to: known };
}
