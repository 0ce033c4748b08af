import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/logger.js';
import { SCHEMA_VERSION } from '../../../src/store/index.js';
import { MIGRATIONS, migrate, schemaVersion } from '../../../src/store/migrations.js';
import { sqlite } from '../../../src/store/sqlite.js';
import { open, tempStore, textEntry, wireMessage } from '../../helpers/store.js';

describe('migration v2 (listening)', () => {
  it('brings a v1 store written by the previous release to v2 and keeps its outbox', () => {
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
    expect(schemaVersion(check)).toBe(2);
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

  it('runs once: reopening a v2 store changes nothing', () => {
    const { file } = tempStore();
    const first = open(file);
    first.events.append('default', { type: 'status', payload: { state: 'ready' } });
    first.close();
    const again = open(file);
    try {
      expect(again.schemaVersion).toBe(2);
      expect(again.events.latestCursor('default')).toBe(1);
    } finally {
      again.close();
    }
  });
});
