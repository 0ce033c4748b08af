import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { describeError } from '../core/errors.js';
import { StoreError, fullMessage, ioMessage } from './errors.js';
import { newOutboxId, OUTBOX_ID } from './ids.js';
import type { NewOutboxEntry } from './outbox-rows.js';
import { isSettled } from './outbox-states.js';
import type { InsertResult, OutboxRepo } from './outbox.js';

export const SPOOL_DIR = 'outbox-media';

/**
 * The bytes of outgoing files, kept on disk from before their outbox entry is committed
 * until the send is settled, so a send queued or in flight when the bridge dies can still
 * go out after the restart. Layout: `<dataDir>/outbox-media/<outbox id>/<n>`, directories
 * 0700 and files 0600 (they are the user's private media).
 */
export interface MediaSpool {
  readonly dir: string;
  /** Writes and fsyncs the files of one entry. Call before inserting the entry (see insertWithMedia). */
  write(outboxId: string, files: readonly Uint8Array[]): Promise<void>;
  /** The `index`th file of an entry, or null when it is gone. */
  read(outboxId: string, index: number): Promise<Buffer | null>;
  /** Drops an entry's files; call once the send is settled. Missing files are fine. */
  remove(outboxId: string): Promise<void>;
  /** At start-up: drops the files of entries that are settled or were never committed; returns their ids. */
  sweep(outbox: Pick<OutboxRepo, 'get'>): Promise<string[]>;
}

export function createMediaSpool(dataDir: string): MediaSpool {
  const root = path.join(dataDir, SPOOL_DIR);
  const entryDir = (id: string) => {
    // The id becomes a path: nothing but our own ids, so no "../" can reach outside.
    if (!OUTBOX_ID.test(id)) throw new RangeError(`not an outbox id: ${JSON.stringify(id)}`);
    return path.join(root, id);
  };

  return {
    dir: root,

    async write(outboxId, files) {
      const dir = entryDir(outboxId);
      try {
        await mkdir(root, { recursive: true, mode: 0o700 });
        await mkdir(dir, { mode: 0o700 });
        for (const [n, bytes] of files.entries()) {
          const fh = await open(path.join(dir, String(n)), 'wx', 0o600);
          try {
            await fh.writeFile(bytes);
            await fh.sync();
          } finally {
            await fh.close();
          }
        }
        // The new names must be on disk too, not only the bytes behind them.
        await syncDir(dir);
        await syncDir(root);
      } catch (err) {
        await rm(dir, { recursive: true, force: true }).catch(() => undefined);
        throw spoolError(err, dir);
      }
    },

    async read(outboxId, index) {
      const file = path.join(entryDir(outboxId), String(index));
      try {
        return await readFile(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw spoolError(err, file);
      }
    },

    async remove(outboxId) {
      await rm(entryDir(outboxId), { recursive: true, force: true });
    },

    async sweep(outbox) {
      let names: string[];
      try {
        names = await readdir(root);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw spoolError(err, root);
      }
      const removed: string[] = [];
      for (const name of names) {
        // Only what we wrote; anything else in the folder is left alone.
        if (!OUTBOX_ID.test(name)) continue;
        const entry = outbox.get(name);
        if (entry && !isSettled(entry.status)) continue;
        await rm(path.join(root, name), { recursive: true, force: true });
        removed.push(name);
      }
      return removed;
    },
  };
}

/**
 * Records a send with media in the order that survives a crash at any point: bytes first
 * (fsynced), then the entry. A crash in between leaves only files without an entry, which
 * the next sweep removes; an entry never points at files that are not there. When the
 * entry already existed (same idempotency key) the new copy of the files is dropped.
 */
export async function insertWithMedia(
  outbox: Pick<OutboxRepo, 'insert'>,
  spool: MediaSpool,
  entry: Omit<NewOutboxEntry, 'id' | 'mediaCount'>,
  files: readonly Uint8Array[],
  now: number = Date.now(),
): Promise<InsertResult> {
  const id = newOutboxId(now);
  await spool.write(id, files);
  let result: InsertResult;
  try {
    result = outbox.insert({ ...entry, id, mediaCount: files.length });
  } catch (err) {
    await spool.remove(id);
    throw err;
  }
  if (!result.created) await spool.remove(id);
  return result;
}

async function syncDir(dir: string): Promise<void> {
  // Windows cannot open a directory to fsync it; NTFS journals the names itself.
  if (process.platform === 'win32') return;
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

function spoolError(err: unknown, where: string): unknown {
  if (err instanceof RangeError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new StoreError('STORE_FULL', where, fullMessage(where), { cause: err });
  if (code === undefined) return err;
  return new StoreError('STORE_IO', where, ioMessage(where, describeError(err)), { cause: err });
}
