/**
 * Failures of the store that a person has to act on. Each carries a stable code and a
 * message that names the file and says what to do, so the bridge can stop with that
 * message (and the window show it) instead of crashing and being restarted into the same
 * failure again and again.
 */
export type StoreErrorCode =
  /** The file is not a SQLite database, or its pages are damaged. */
  | 'STORE_CORRUPT'
  /** SQLITE_FULL: the disk (or the store's size cap) is full. */
  | 'STORE_FULL'
  /** Another running bridge holds this store. */
  | 'STORE_LOCKED'
  /** The file was migrated by a newer version of the app than this one. */
  | 'STORE_NEWER_SCHEMA'
  /** Cannot open, read or write the file (permissions, missing disk, I/O error). */
  | 'STORE_IO'
  /** The SQLite built into this runtime lacks what the schema needs (FTS5, its trigram tokenizer). */
  | 'STORE_UNSUPPORTED';

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  /** The database file concerned. */
  readonly file: string;

  constructor(code: StoreErrorCode, file: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
    this.file = file;
  }
}

export function isStoreError(err: unknown): err is StoreError {
  return err instanceof StoreError;
}

/** What node:sqlite attaches to the errors it throws (code ERR_SQLITE_ERROR). */
interface SqliteFailure {
  errcode: number;
  errstr: string;
  message: string;
}

function sqliteFailure(err: unknown): SqliteFailure | null {
  if (!(err instanceof Error) || !('errcode' in err) || typeof err.errcode !== 'number') return null;
  const errstr = 'errstr' in err && typeof err.errstr === 'string' ? err.errstr : err.message;
  return { errcode: err.errcode, errstr, message: err.message };
}

// Primary result codes (https://sqlite.org/rescode.html); extended codes keep them in the low byte.
const SQLITE_PERM = 3;
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_READONLY = 8;
const SQLITE_IOERR = 10;
const SQLITE_CORRUPT = 11;
const SQLITE_FULL = 13;
const SQLITE_CANTOPEN = 14;
const SQLITE_NOTADB = 26;

export const corruptMessage = (file: string, detail: string) =>
  `The local store ${file} is damaged (${detail}). Quit the bridge, move ${file} and any ${file}-wal and ${file}-shm beside it to another folder, then start again: a new, empty store is created. Your WhatsApp link is kept (it lives in the session folder); only the send history in that file is left behind.`;

export const fullMessage = (file: string) =>
  `The disk holding ${file} is full, or the store reached its size cap. Free some disk space and try again; the change that needed the space was not written.`;

export const lockedMessage = (file: string) =>
  `${file} is in use by another running bridge (WhatsApp MCP Desktop, or a headless or demo bridge with the same data directory). Quit that one first, or give this one its own data directory: two bridges on one store would send messages twice.`;

export const newerSchemaMessage = (file: string, found: number, known: number) =>
  `${file} was last used by a newer version of WhatsApp MCP Desktop (store schema ${found}; this version knows up to ${known}). Install that newer version again, or move ${file} aside to start with an empty store; your WhatsApp link is kept.`;

export const unsupportedMessage = (file: string, detail: string) =>
  `The SQLite built into this runtime cannot hold the schema of ${file}: ${detail}. Run the bridge with Node.js 22.13 or newer (or the app as released, which brings its own), and report your platform if it already does; the file was left as it was.`;

export const ioMessage = (file: string, detail: string) =>
  `Cannot read or write ${file} (${detail}). Check that the disk is present and that the data directory is writable by this user.`;

/**
 * The StoreError for a failure coming out of SQLite, or `err` itself when it is not one a
 * person can act on (a constraint or a bug in our SQL stays a programming error).
 */
export function toStoreError(err: unknown, file: string): unknown {
  if (err instanceof StoreError) return err;
  const failure = sqliteFailure(err);
  if (!failure) return err;
  const options = { cause: err };
  switch (failure.errcode & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return new StoreError('STORE_CORRUPT', file, corruptMessage(file, failure.errstr), options);
    case SQLITE_FULL:
      return new StoreError('STORE_FULL', file, fullMessage(file), options);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return new StoreError('STORE_LOCKED', file, lockedMessage(file), options);
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      return new StoreError('STORE_IO', file, ioMessage(file, failure.errstr), options);
    default:
      return err;
  }
}

/** Runs `fn`, turning SQLite failures a person can act on into StoreErrors. */
export function guarded<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw toStoreError(err, file);
  }
}
