import { toStoreError } from './errors.js';
import { sqlite, type Db } from './sqlite.js';

export interface StoreLock {
  readonly file: string;
  release(): void;
}

/**
 * One bridge per store: two bridges on one data directory would each send the same queued
 * messages. WAL itself lets any number of processes in, so the lock is separate: an
 * exclusive SQLite transaction held open on `<file>.lock` for the life of the store.
 *
 * Why not a pid file: after `kill -9` it stays behind, and a reused pid makes it look held.
 * Why not `PRAGMA locking_mode=EXCLUSIVE` on the store itself: it would also shut out a
 * read-only connection of our own (a search worker) and the sqlite3 shell used to inspect a
 * running bridge. SQLite's lock is an OS file lock (fcntl on POSIX, LockFileEx on Windows),
 * which the kernel drops when the process dies however it dies; SQLite also tracks it per
 * file inside a process, so a second `openStore` in the same process is refused as well.
 */
export function acquireLock(storeFile: string, waitMs: number): StoreLock {
  const file = `${storeFile}.lock`;
  let db: Db | null = null;
  try {
    db = new (sqlite().DatabaseSync)(file, { timeout: waitMs });
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    db?.close();
    // SQLITE_BUSY here is the other bridge: STORE_LOCKED.
    throw toStoreError(err, storeFile);
  }
  const held = db;
  let released = false;
  return {
    file,
    release() {
      if (released) return;
      released = true;
      // Closing rolls the empty transaction back and drops the OS lock.
      held.close();
    },
  };
}
