import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/logger.js';
import { SCHEMA_VERSION, StoreError } from '../../../src/store/index.js';
import { MIGRATIONS, migrate, schemaVersion, type Migration } from '../../../src/store/migrations.js';
import { sqlite } from '../../../src/store/sqlite.js';
import { open, tempStore, textEntry, wireMessage } from '../../helpers/store.js';

describe('migration v2 (listening)', () => {
  it('brings a v1 store written by an older release to the newest schema and keeps its outbox', () => {
    // The file as the v1 release left it: the first migration only, with sends in its outbox.
    const { file: old } = tempStore();
    const seeded = new (sqlite().DatabaseSync)(old);
    seeded.exec('PRAGMA journal_mode = WAL');
    migrate(seeded, old, silentLogger(), MIGRATIONS.slice(0, 1));
    const insert = seeded.prepare(`
      INSERT INTO outbox (id, account, request_hash, kind, chat_id, payload, status, created_at, updated_at, idempotency_key)
      VALUES (?, 'default', 'h', 'text', '15550100001@c.us', '{"text":"hi"}', ?, 1, 1, ?)`);
    insert.run('ob_01HZZZZZZZZZZZZZZZZZZZZZZZ', 'queued', 'key-1');
    insert.run('ob_01HZZZZZZZZZZZZZZZZZZZZZZY', 'sent', null);
    expect(schemaVersion(seeded)).toBe(1);
    seeded.close();

    const store = open(old);
    const check = new (sqlite().DatabaseSync)(old, { readOnly: true });
    expect(schemaVersion(check)).toBe(SCHEMA_VERSION);
    check.close();
    try {
      expect(store.schemaVersion).toBe(SCHEMA_VERSION);
      expect(store.outbox.get('ob_01HZZZZZZZZZZZZZZZZZZZZZZZ')).toMatchObject({ status: 'queued', idempotencyKey: 'key-1', payload: { text: 'hi' } });
      expect(store.outbox.get('ob_01HZZZZZZZZZZZZZZZZZZZZZZY')?.status).toBe('sent');
      // The new tables work beside the old one.
      store.outbox.insert(textEntry());
      const recorded = store.recordIncoming('default', { type: 'message', payload: {} }, { message: wireMessage({ body: 'after the upgrade' }) });
      expect(recorded.event?.seq).toBe(1);
      expect(store.messages.search('default', { q: 'upgrade', limit: 5 }).hits).toHaveLength(1);
    } finally {
      store.close();
    }
  });

  it('runs once: reopening a migrated store changes nothing', () => {
    const { file } = tempStore();
    const first = open(file);
    first.events.append('default', { type: 'status', payload: { state: 'ready' } });
    first.close();
    const again = open(file);
    try {
      expect(again.schemaVersion).toBe(SCHEMA_VERSION);
      expect(again.events.latestCursor('default')).toBe(1);
    } finally {
      again.close();
    }
  });
});

describe('a runtime whose SQLite cannot hold the schema', () => {
  it('is refused with STORE_UNSUPPORTED, naming the file, before anything is changed', () => {
    const { file } = tempStore();
    const db = new (sqlite().DatabaseSync)(file);
    const lacking: Migration[] = [MIGRATIONS[0]!, { ...MIGRATIONS[1]!, missing: () => 'it is SQLite 3.31, and the message search needs 3.43 or newer' }];
    let err: unknown;
    try {
      migrate(db, file, silentLogger(), lacking);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({ code: 'STORE_UNSUPPORTED', file });
    expect((err as StoreError).message).toMatch(/3\.43 or newer.*Node\.js 22\.13/u);
    expect(schemaVersion(db)).toBe(0);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'outbox'").get()?.n).toBe(0);
    db.close();
  });

  it('is not this one: the bundled SQLite has what v2 needs', () => {
    const db = new (sqlite().DatabaseSync)(':memory:');
    expect(MIGRATIONS[1]!.missing?.(db)).toBeNull();
    db.close();
  });
});
