import { guarded } from './errors.js';
import type { Db } from './sqlite.js';

/**
 * The history import on the first link: which chats it set out to import and which are in,
 * kept in the `settings` table (schema v3) under one key per account, so an import the
 * bridge stopped in the middle of goes on at the next start.
 */
export interface FirstImport {
  /** WhatsApp Web's chat ids, most recent first, as they were when the device was linked. */
  chats: string[];
  /** Those imported so far. */
  done: string[];
  /** Milliseconds since the epoch. */
  startedAt: number;
  /** null while chats remain. */
  finishedAt: number | null;
}

export interface FirstImportRepo {
  /** Whether the store holds any message of the account: a first link finds none. */
  hasMessages(account: string): boolean;
  /** null before the first link's import began. */
  get(account: string): FirstImport | null;
  save(account: string, state: FirstImport): void;
}

const KEY = 'history.first_import';

export function createFirstImportRepo(db: Db, file: string, now: () => number): FirstImportRepo {
  const any = db.prepare('SELECT 1 AS yes FROM messages WHERE account = ? LIMIT 1');
  const read = db.prepare('SELECT value FROM settings WHERE account = ? AND key = ?');
  const write = db.prepare(`
    INSERT INTO settings (account, key, value, updated_at) VALUES (:account, :key, :value, :now)
    ON CONFLICT (account, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
  return {
    hasMessages: (account) => guarded(file, () => any.get(account) !== undefined),
    get: (account) =>
      guarded(file, () => {
        const row = read.get(account, KEY);
        return row ? (JSON.parse(String(row.value)) as FirstImport) : null;
      }),
    save: (account, state) => guarded(file, () => void write.run({ account, key: KEY, value: JSON.stringify(state), now: now() })),
  };
}
