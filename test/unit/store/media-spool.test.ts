import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMediaSpool, insertWithMedia, newOutboxId, SPOOL_DIR, type MediaSpool, type NewOutboxEntry, type Store } from '../../../src/store/index.js';
import { open, tempStore, textEntry } from '../../helpers/store.js';

const posix = process.platform !== 'win32';
const photo = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
const pdf = new TextEncoder().encode('%PDF-1.7 a small document');
const mediaEntry = (overrides: Partial<NewOutboxEntry> = {}) => textEntry({ kind: 'media', payload: { caption: 'Photos', files: [{ mimetype: 'image/jpeg' }, { mimetype: 'application/pdf' }] }, matchText: 'Photos', ...overrides });

let dataDir: string;
let store: Store;
let spool: MediaSpool;
beforeEach(() => {
  const t = tempStore('wa-spool-');
  dataDir = t.dataDir;
  store = open(t.file);
  spool = createMediaSpool(dataDir);
});
afterEach(() => store.close());

const entryDir = (id: string) => path.join(dataDir, SPOOL_DIR, id);

describe('media spool', () => {
  it('keeps the bytes owner-only on disk and reads them back', async () => {
    const id = newOutboxId();
    await spool.write(id, [photo, pdf]);
    expect(readdirSync(entryDir(id)).sort()).toEqual(['0', '1']);
    expect(new Uint8Array(await spool.read(id, 0) ?? [])).toEqual(photo);
    expect((await spool.read(id, 1))?.toString()).toBe('%PDF-1.7 a small document');
    expect(await spool.read(id, 2)).toBeNull();
    if (posix) {
      expect(statSync(path.join(dataDir, SPOOL_DIR)).mode & 0o777).toBe(0o700);
      expect(statSync(entryDir(id)).mode & 0o777).toBe(0o700);
      expect(statSync(path.join(entryDir(id), '0')).mode & 0o777).toBe(0o600);
    }
  });

  it('writes the files before the entry is committed, and the entry counts them', async () => {
    const seenAtInsert: string[][] = [];
    const watched = {
      insert: (entry: NewOutboxEntry) => {
        seenAtInsert.push(readdirSync(entryDir(entry.id!)).sort());
        return store.outbox.insert(entry);
      },
    };
    const { entry, created } = await insertWithMedia(watched, spool, mediaEntry(), [photo, pdf]);
    expect(created).toBe(true);
    expect(seenAtInsert).toEqual([['0', '1']]);
    expect(store.outbox.get(entry.id)?.mediaCount).toBe(2);
  });

  it('drops the new copy when the same idempotency key already has an entry, keeping the first one', async () => {
    const first = await insertWithMedia(store.outbox, spool, mediaEntry({ idempotencyKey: 'album', requestHash: 'h' }), [photo]);
    const retry = await insertWithMedia(store.outbox, spool, mediaEntry({ idempotencyKey: 'album', requestHash: 'h' }), [photo]);
    expect(retry.created).toBe(false);
    expect(retry.entry.id).toBe(first.entry.id);
    expect(readdirSync(path.join(dataDir, SPOOL_DIR))).toEqual([first.entry.id]);
  });

  it('leaves no files behind when the entry cannot be recorded', async () => {
    await expect(insertWithMedia(store.outbox, spool, mediaEntry({ payload: undefined }), [photo])).rejects.toThrow(/JSON/);
    expect(readdirSync(path.join(dataDir, SPOOL_DIR))).toEqual([]);
  });

  it('removes the files once the send is settled', async () => {
    const { entry } = await insertWithMedia(store.outbox, spool, mediaEntry(), [photo]);
    store.outbox.transition(entry.id, ['queued'], 'sending');
    store.outbox.transition(entry.id, ['sending'], 'sent', { messageId: 'm-photo' });
    await spool.remove(entry.id);
    expect(existsSync(entryDir(entry.id))).toBe(false);
    await spool.remove(entry.id);
  });

  it('sweeps at start-up what is settled or was never committed, and keeps what may still be sent', async () => {
    const queued = (await insertWithMedia(store.outbox, spool, mediaEntry(), [photo])).entry.id;
    const sending = (await insertWithMedia(store.outbox, spool, mediaEntry(), [photo])).entry.id;
    store.outbox.transition(sending, ['queued'], 'sending');
    const canceled = (await insertWithMedia(store.outbox, spool, mediaEntry(), [photo])).entry.id;
    store.outbox.transition(canceled, ['queued'], 'canceled');
    // The bridge died between writing the files and committing the entry.
    const orphan = newOutboxId();
    await spool.write(orphan, [photo]);
    // Not ours: left alone.
    mkdirSync(path.join(dataDir, SPOOL_DIR, 'notes'));
    writeFileSync(path.join(dataDir, SPOOL_DIR, 'notes', 'x'), 'x');

    expect((await spool.sweep(store.outbox)).sort()).toEqual([canceled, orphan].sort());
    expect(readdirSync(path.join(dataDir, SPOOL_DIR)).sort()).toEqual([queued, sending, 'notes'].sort());
  });

  it('sweeps nothing when nothing was ever spooled', async () => {
    expect(await spool.sweep(store.outbox)).toEqual([]);
  });

  it('takes only outbox ids as names, so no path leaves the spool', async () => {
    await expect(spool.write('../../etc', [photo])).rejects.toThrow(RangeError);
    await expect(spool.read('ob_../x', 0)).rejects.toThrow(RangeError);
  });
});
