import { createRequire } from 'node:module';
import type { DatabaseSync } from 'node:sqlite';

export type Db = DatabaseSync;
type SqliteModule = typeof import('node:sqlite');

const require = createRequire(import.meta.url);
let loaded: SqliteModule | null = null;

/**
 * `node:sqlite`, loaded without its one-time "SQLite is an experimental feature"
 * ExperimentalWarning (Node 22 prints it on stderr of every bridge start, which reads like a
 * fault to users). Only that warning, and only while the module loads, is dropped: any other
 * warning goes through, and `process.emitWarning` is restored at once.
 *
 * `require` rather than a static import: a static import is evaluated before any code of
 * ours could install the filter, and it keeps bundlers/test runners that do not know the
 * `node:`-only built-in from trying to resolve it.
 */
export function sqlite(): SqliteModule {
  if (loaded) return loaded;
  const original = process.emitWarning;
  process.emitWarning = function filtered(this: NodeJS.Process, warning: string | Error, ...rest: unknown[]): void {
    if (isSqliteExperimentalWarning(warning, rest[0])) return;
    Reflect.apply(original, this, [warning, ...rest]);
  } as typeof process.emitWarning;
  try {
    loaded = require('node:sqlite') as SqliteModule;
  } finally {
    process.emitWarning = original;
  }
  return loaded;
}

function isSqliteExperimentalWarning(warning: string | Error, typeOrOptions: unknown): boolean {
  const message = typeof warning === 'string' ? warning : warning.message;
  const type =
    typeof warning !== 'string'
      ? warning.name
      : typeof typeOrOptions === 'string'
        ? typeOrOptions
        : typeof typeOrOptions === 'object' && typeOrOptions !== null && 'type' in typeOrOptions
          ? String(typeOrOptions.type)
          : '';
  return type === 'ExperimentalWarning' && /^SQLite\b/.test(message);
}

/**
 * Runs `fn` in one write transaction. BEGIN IMMEDIATE takes the write lock up front, so a
 * read-then-write inside `fn` (the idempotency check) cannot race another connection, and a
 * busy database waits `busy_timeout` at BEGIN instead of failing half-way. Nested calls run
 * inside the outer transaction.
 */
export function immediate<T>(db: Db, fn: () => T): T {
  if (db.isTransaction) return fn();
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (err) {
    // A failed COMMIT (disk full) may already have rolled back by itself.
    if (db.isTransaction) db.exec('ROLLBACK');
    throw err;
  }
}
