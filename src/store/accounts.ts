import { int, text, type Row } from './columns.js';
import { guarded } from './errors.js';
import { immediate, type Db } from './sqlite.js';

/** A WhatsApp account of the registry (issue 14). Times are milliseconds since the epoch. */
export interface AccountRow {
  id: string;
  name: string;
  /** Creation order: the default account is 1. */
  seq: number;
  createdAt: number;
  updatedAt: number;
}

export interface AccountsRepo {
  /** Oldest first: the default account, then the others in the order they were created. */
  list(): AccountRow[];
  get(id: string): AccountRow | null;
  /** null when the id is taken. */
  create(account: { id: string; name: string }): AccountRow | null;
  rename(id: string, name: string): AccountRow | null;
  /**
   * Removes the account and everything stored for it (sends, events, messages and their
   * search entries, webhooks and their deliveries, settings, audit), in one transaction,
   * and drops it from the keys limited to it. false when there was no such account.
   */
  purge(id: string): boolean;
}

const T = 'accounts';

function toAccount(row: Row): AccountRow {
  return {
    id: text(row, T, 'id'),
    name: text(row, T, 'name'),
    seq: int(row, T, 'seq'),
    createdAt: int(row, T, 'created_at'),
    updatedAt: int(row, T, 'updated_at'),
  };
}

export function createAccountsRepo(db: Db, file: string, now: () => number): AccountsRepo {
  const all = db.prepare('SELECT * FROM accounts ORDER BY seq');
  const byId = db.prepare('SELECT * FROM accounts WHERE id = ?');
  const insert = db.prepare('INSERT INTO accounts (id, name, created_at, updated_at) VALUES (:id, :name, :now, :now) ON CONFLICT (id) DO NOTHING RETURNING *');
  const rename = db.prepare('UPDATE accounts SET name = :name, updated_at = :now WHERE id = :id RETURNING *');
  // The search entries go by rowid (contentless_delete), so before the rows they point at.
  const purge = [
    'DELETE FROM messages_trigram WHERE rowid IN (SELECT ord FROM messages WHERE account = :id)',
    'DELETE FROM messages_words WHERE rowid IN (SELECT ord FROM messages WHERE account = :id)',
    'DELETE FROM messages WHERE account = :id',
    // Deliveries go with their webhook (ON DELETE CASCADE), before the events they point at.
    'DELETE FROM webhooks WHERE account = :id',
    'DELETE FROM events WHERE account = :id',
    'DELETE FROM outbox WHERE account = :id',
    'DELETE FROM settings WHERE account = :id',
    'DELETE FROM audit WHERE account = :id',
    // A key limited to this account alone keeps an empty list: it reaches no account (never every one).
    `UPDATE client_keys SET accounts = (SELECT json_group_array(value) FROM json_each(client_keys.accounts) WHERE value <> :id)
     WHERE accounts IS NOT NULL AND EXISTS (SELECT 1 FROM json_each(client_keys.accounts) WHERE value = :id)`,
  ].map((sql) => db.prepare(sql));
  const remove = db.prepare('DELETE FROM accounts WHERE id = :id');

  return {
    list: () => guarded(file, () => all.all().map(toAccount)),
    get: (id) =>
      guarded(file, () => {
        const row = byId.get(id);
        return row ? toAccount(row) : null;
      }),
    create: ({ id, name }) =>
      guarded(file, () => {
        const row = insert.get({ id, name, now: now() });
        return row ? toAccount(row) : null;
      }),
    rename: (id, name) =>
      guarded(file, () => {
        const row = rename.get({ id, name, now: now() });
        return row ? toAccount(row) : null;
      }),
    purge: (id) =>
      guarded(file, () =>
        immediate(db, () => {
          for (const stmt of purge) stmt.run({ id });
          return Number(remove.run({ id }).changes) > 0;
        }),
      ),
  };
}
