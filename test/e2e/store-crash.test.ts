import { fork, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createMediaSpool, SPOOL_DIR } from '../../src/store/index.js';
import { sqlite } from '../../src/store/sqlite.js';
import type { ChildMessage } from '../helpers/store-child.js';
import { open, tempStore } from '../helpers/store.js';

const CHILD = fileURLToPath(new URL('../helpers/store-child.ts', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function start(args: string[]): ChildProcess {
  const child = fork(CHILD, args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  return child;
}

/** The next message of `type` from the child (or its early death as an error). */
function next<T extends ChildMessage['type']>(child: ChildProcess, type: T): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: ChildMessage) => {
      if (m.type !== type) return;
      child.off('message', onMessage).off('exit', onExit);
      resolve(m as Extract<ChildMessage, { type: T }>);
    };
    const onExit = (code: number | null) => reject(new Error(`store child exited (${code}) before "${type}"`));
    child.on('message', onMessage).once('exit', onExit);
  });
}

/** `kill -9`, and the exit it causes. */
async function kill9(child: ChildProcess): Promise<NodeJS.Signals | null> {
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  child.kill('SIGKILL');
  return exited;
}

describe('the store across kill -9 of its process', () => {
  it('keeps every committed entry, lists the ones caught sending, and frees the lock', async () => {
    const { dataDir, file } = tempStore('wa-crash-');
    const child = start(['hold', file, dataDir, '60']);
    const { entries } = await next(child, 'committed');

    // While it runs, a second bridge is refused.
    expect(() => open(file)).toThrow(expect.objectContaining({ code: 'STORE_LOCKED' }));

    expect(await kill9(child)).toBe('SIGKILL');
    const store = open(file);
    try {
      for (const e of entries) expect(store.outbox.get(e.id)?.status, e.id).toBe(e.status);
      const sending = entries.filter((e) => e.status === 'sending').map((e) => e.id);
      expect(sending.length).toBeGreaterThan(0);
      expect(store.outbox.findByStatus('default', 'sending').map((e) => e.id)).toEqual(sending);
      // Retries after the restart find the same entries.
      expect(store.outbox.insert({ idempotencyKey: 'key-7', requestHash: 'hash-7', kind: 'text', chatId: 'x@c.us', payload: {} }).entry.id).toBe(entries[7]!.id);

      // Media of unsettled sends is still there; the sweep drops only the settled ones'.
      const withMedia = entries.filter((e) => e.media);
      expect(readdirSync(path.join(dataDir, SPOOL_DIR)).sort()).toEqual(withMedia.map((e) => e.id).sort());
      const removed = await createMediaSpool(dataDir).sweep(store.outbox);
      expect(removed.sort()).toEqual(withMedia.filter((e) => e.status === 'sent').map((e) => e.id).sort());
      const kept = withMedia.find((e) => e.status === 'sending')!;
      expect(await createMediaSpool(dataDir).read(kept.id, 0)).not.toBeNull();
    } finally {
      store.close();
    }
  });

  it('loses nothing it reported committed when killed in the middle of writing', async () => {
    const { file } = tempStore('wa-crash-');
    const child = start(['churn', file]);
    const reported: string[] = [];
    await new Promise<void>((resolve) => {
      child.on('message', (m: ChildMessage) => {
        if (m.type !== 'committed') return;
        reported.push(...m.entries.map((e) => e.id));
        if (reported.length === 300) resolve();
      });
    });
    // The child keeps writing while the kill lands; whatever it reported after this is committed too.
    expect(await kill9(child)).toBe('SIGKILL');

    const db = new (sqlite().DatabaseSync)(file);
    expect(db.prepare('PRAGMA integrity_check').get()?.integrity_check).toBe('ok');
    db.close();
    const store = open(file);
    try {
      const sending = new Set(store.outbox.findByStatus('default', 'sending').map((e) => e.id));
      expect(reported.filter((id) => !sending.has(id))).toEqual([]);
    } finally {
      store.close();
    }
  });
});

describe('two connections inserting the same idempotency keys at once', () => {
  it('record exactly one entry per key, and both get its id', async () => {
    const { file } = tempStore('wa-race-');
    open(file).close();
    const count = 400;
    const racers = [start(['race', file, String(count)]), start(['race', file, String(count)])];
    await Promise.all(racers.map((c) => next(c, 'ready')));
    const results = racers.map((c) => next(c, 'raced'));
    for (const c of racers) c.send('go');
    const [a, b] = await Promise.all(results);

    expect(a!.created + b!.created).toBe(count);
    expect(a!.ids).toEqual(b!.ids);
    for (const c of racers) await kill9(c);
    const store = open(file);
    try {
      const ids = new Set<string>();
      let before: string | undefined;
      do {
        const page = store.outbox.list({ account: 'default', limit: 500, ...(before ? { before } : {}) });
        for (const e of page.entries) ids.add(e.id);
        before = page.nextBefore ?? undefined;
      } while (before);
      expect(ids.size).toBe(count);
    } finally {
      store.close();
    }
  });
});
