import { toJson } from './columns.js';
import { guarded } from './errors.js';
import type { Db } from './sqlite.js';

/**
 * Small per-account settings that must survive a restart (issue 12: whether agents are
 * paused). One JSON value per (account, key); the app layer owns the keys and their shapes.
 */
export interface SettingsRepo {
  /** The parsed value, or null when the key was never set (or was removed). */
  get(account: string, key: string): unknown;
  set(account: string, key: string, value: unknown): void;
  /** false when there was nothing to remove. */
  remove(account: string, key: string): boolean;
}

export function createSettingsRepo(db: Db, file: string, now: () => number): SettingsRepo {
  const read = db.prepare('SELECT value FROM settings WHERE account = ? AND key = ?');
  const write = db.prepare(`
    INSERT INTO settings (account, key, value, updated_at) VALUES (:account, :key, :value, :now)
    ON CONFLICT (account, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
  const drop = db.prepare('DELETE FROM settings WHERE account = ? AND key = ?');
  return {
    get: (account, key) =>
      guarded(file, () => {
        const row = read.get(account, key);
        return row ? (JSON.parse(String(row.value)) as unknown) : null;
      }),
    set: (account, key, value) => guarded(file, () => void write.run({ account, key, value: toJson(value, `setting ${key}`), now: now() })),
    remove: (account, key) => guarded(file, () => Number(drop.run(account, key).changes) > 0),
  };
}
