import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/logger.js';
import { SCHEMA_VERSION } from '../../../src/store/index.js';
import { MIGRATIONS, migrate, schemaVersion } from '../../../src/store/migrations.js';
import { sqlite } from '../../../src/store/sqlite.js';
import { open, tempStore } from '../../helpers/store.js';

describe('migration v3 (agent safety)', () => {
  it('brings a v2 store to v3: its sends keep their state and gain empty approval columns; the new tables exist', () => {
    const { file } = tempStore();
    const seeded = new (sqlite().DatabaseSync)(file);
    seeded.exec('PRAGMA journal_mode = WAL');
    migrate(seeded, file, silentLogger(), MIGRATIONS.slice(0, 2));
    seeded
      .prepare(
        `INSERT INTO outbox (id, account, request_hash, kind, chat_id, payload, status, created_at, updated_at)
         VALUES ('ob_01HZZZZZZZZZZZZZZZZZZZZZZZ', 'default', 'h', 'text', '15550100001@c.us', '{"text":"held"}', 'awaiting_approval', 1, 1)`,
      )
      .run();
    expect(schemaVersion(seeded)).toBe(2);
    seeded.close();

    const store = open(file);
    store.close();
    const db = new (sqlite().DatabaseSync)(file, { readOnly: true });
    try {
      expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
      expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(3);
      expect(db.prepare("SELECT status, expires_at, approval FROM outbox WHERE id = 'ob_01HZZZZZZZZZZZZZZZZZZZZZZZ'").get()).toEqual({
        status: 'awaiting_approval',
        expires_at: null,
        approval: null,
      });
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('client_keys', 'audit', 'settings') ORDER BY name").all();
      expect(tables.map((t) => t.name)).toEqual(['audit', 'client_keys', 'settings']);
    } finally {
      db.close();
    }
  });

  it('refuses two keys with the same hash and a detail that is not JSON', () => {
    const { file } = tempStore();
    open(file).close();
    const db = new (sqlite().DatabaseSync)(file);
    try {
      const key = db.prepare(
        `INSERT INTO client_keys (id, name, key_hash, key_prefix, scopes, policy, created_at) VALUES (?, 'agent', 'same-hash', 'wak_', '["read"]', '{}', 1)`,
      );
      key.run('key_1');
      expect(() => key.run('key_2')).toThrow(/UNIQUE/);
      expect(() =>
        db.prepare(`INSERT INTO audit (at, account, client_kind, transport, action, outcome, detail) VALUES (1, 'default', 'owner', 'rest', 'send', 'ok', 'not json')`).run(),
      ).toThrow(/CHECK/);
    } finally {
      db.close();
    }
  });
});
