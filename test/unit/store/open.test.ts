import { spawnSync } from 'node:child_process';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/logger.js';
import { IN_MEMORY, SCHEMA_VERSION, StoreError, type Store } from '../../../src/store/index.js';
import { MIGRATIONS, migrate, schemaVersion, type Migration } from '../../../src/store/migrations.js';
import { sqlite } from '../../../src/store/sqlite.js';
import { open, tempStore, textEntry } from '../../helpers/store.js';

const opened: Store[] = [];
const track = (s: Store) => (opened.push(s), s);
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

/** A plain connection to the file, as the sqlite3 shell would open it. */
function raw(file: string) {
  return new (sqlite().DatabaseSync)(file);
}

function thrown(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StoreError) return err;
    throw err;
  }
  throw new Error('expected a StoreError, nothing was thrown');
}

describe('openStore', () => {
  it('creates an owner-only WAL database at the newest schema in a new data directory', () => {
    const { dataDir } = tempStore();
    const file = path.join(dataDir, 'nested', 'whatsapp.db');
    const store = track(open(file));
    expect(store.schemaVersion).toBe(SCHEMA_VERSION);
    store.outbox.insert(textEntry());
    const db = raw(file);
    expect(db.prepare('PRAGMA journal_mode').get()?.journal_mode).toBe('wal');
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    db.close();
    if (process.platform !== 'win32') {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(`${file}-wal`).mode & 0o777).toBe(0o600);
      expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    }
  });

  it('keeps every committed entry across close and reopen', () => {
    const { file } = tempStore();
    const first = open(file);
    const ids = Array.from({ length: 20 }, () => first.outbox.insert(textEntry()).entry.id);
    first.close();
    const again = track(open(file));
    expect(ids.map((id) => again.outbox.get(id)?.id)).toEqual(ids);
    expect(again.outbox.findByStatus('default', 'queued')).toHaveLength(20);
  });

  it('refuses a store written by a newer schema, names the file and leaves it untouched', () => {
    const { file } = tempStore();
    open(file).close();
    const db = raw(file);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 5}`);
    db.close();
    const before = readFileSync(file);
    const err = thrown(() => open(file));
    expect(err.code).toBe('STORE_NEWER_SCHEMA');
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/newer version/);
    expect(readFileSync(file).equals(before)).toBe(true);
    // The refusal let go of the lock: a fixed file opens.
    renameSync(file, `${file}.newer`);
    track(open(file));
  });

  it('reports garbage bytes as STORE_CORRUPT with the file named and what to do', () => {
    const { file } = tempStore();
    writeFileSync(file, Buffer.alloc(16_384, 0x5a));
    const err = thrown(() => open(file));
    expect(err.code).toBe('STORE_CORRUPT');
    expect(err.file).toBe(file);
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/move .* aside|to another folder/);
    expect(err.message).toMatch(/WhatsApp link is kept/);
    // Moving the file aside, as the message says, is enough to start again.
    renameSync(file, `${file}.damaged`);
    expect(track(open(file)).schemaVersion).toBe(SCHEMA_VERSION);
  });

  it('reports a database whose pages are damaged as STORE_CORRUPT', () => {
    const { file } = tempStore();
    const store = open(file);
    for (let i = 0; i < 50; i++) store.outbox.insert(textEntry());
    store.close();
    const bytes = readFileSync(file);
    // Keep the 100-byte header (so SQLite takes it for a database), overwrite the pages.
    bytes.fill(0xab, 100);
    writeFileSync(file, bytes);
    expect(thrown(() => open(file)).code).toBe('STORE_CORRUPT');
  });

  it('refuses a second opener while the store is held (STORE_LOCKED), and opens once it is closed', () => {
    const { file } = tempStore();
    const first = open(file);
    const err = thrown(() => open(file));
    expect(err.code).toBe('STORE_LOCKED');
    expect(err.message).toMatch(/another running bridge/);
    first.close();
    track(open(file));
  });

  it('runs in memory for tests of the layers above', () => {
    const store = track(open(IN_MEMORY));
    const { entry } = store.outbox.insert(textEntry());
    expect(store.outbox.get(entry.id)?.status).toBe('queued');
  });
});

describe('migrations', () => {
  it('are numbered 1..n in order', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('apply only what a file lacks, in order', () => {
    const { file } = tempStore();
    const db = raw(file);
    const applied: string[] = [];
    const step = (version: number): Migration => ({ version, name: `m${version}`, up: (d) => (applied.push(`m${version}`), d.exec(`CREATE TABLE t${version} (x)`)) });
    expect(migrate(db, file, silentLogger(), [step(1)])).toEqual({ from: 0, to: 1 });
    expect(migrate(db, file, silentLogger(), [step(1), step(2), step(3)])).toEqual({ from: 1, to: 3 });
    expect(migrate(db, file, silentLogger(), [step(1), step(2), step(3)])).toEqual({ from: 3, to: 3 });
    expect(applied).toEqual(['m1', 'm2', 'm3']);
    db.close();
  });

  it('leave the file as it was when one of them fails', () => {
    const { file } = tempStore();
    const db = raw(file);
    const failing: Migration[] = [
      ...MIGRATIONS,
      { version: MIGRATIONS.length + 1, name: 'adds a table', up: (d) => d.exec('CREATE TABLE extra (x)') },
      { version: MIGRATIONS.length + 2, name: 'broken', up: (d) => d.exec('THIS IS NOT SQL') },
    ];
    expect(() => migrate(db, file, silentLogger(), failing)).toThrow();
    expect(schemaVersion(db)).toBe(0);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name IN ('outbox', 'extra')").get()?.n).toBe(0);
    db.close();
  });
});

describe('a full disk', () => {
  it('fails the write with STORE_FULL, keeps what was committed, and writes again once there is room', () => {
    const { file } = tempStore();
    const store = open(file, { maxSizeMb: 0.25 });
    const big = 'x'.repeat(4_000);
    const ids: string[] = [];
    let err: StoreError | null = null;
    for (let i = 0; i < 1_000 && !err; i++) {
      try {
        ids.push(store.outbox.insert(textEntry({ payload: { text: big } })).entry.id);
      } catch (e) {
        if (!(e instanceof StoreError)) throw e;
        err = e;
      }
    }
    expect(err?.code).toBe('STORE_FULL');
    expect(err?.message).toMatch(/Free some disk space/);
    expect(ids.length).toBeGreaterThan(10);
    expect(store.outbox.findByStatus('default', 'queued').map((e) => e.id)).toEqual(ids);
    expect(store.outbox.get(ids[0]!)?.status).toBe('queued');
    store.close();
    // Space freed (here: no cap), the same write goes through; nothing is left half-written.
    const roomy = track(open(file));
    expect(roomy.outbox.findByStatus('default', 'queued')).toHaveLength(ids.length);
    expect(roomy.outbox.insert(textEntry({ payload: { text: big } })).created).toBe(true);
  });

  it('fails opening with STORE_FULL when the schema cannot be written, and leaves no half schema', () => {
    const { file } = tempStore();
    expect(thrown(() => open(file, { maxSizeMb: 4096 / 2 ** 20 })).code).toBe('STORE_FULL');
    const db = raw(file);
    expect(schemaVersion(db)).toBe(0);
    db.close();
    track(open(file));
  });
});

describe('node:sqlite loading', () => {
  it('drops only the SQLite ExperimentalWarning', () => {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const script = `
      import { sqlite } from ${JSON.stringify(path.join(here, '../../../src/store/sqlite.ts'))};
      sqlite();
      process.emitWarning('another experiment', 'ExperimentalWarning');`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.status).toBe(0);
    expect(child.stderr).not.toMatch(/SQLite/);
    expect(child.stderr).toMatch(/ExperimentalWarning: another experiment/);
  });
});
