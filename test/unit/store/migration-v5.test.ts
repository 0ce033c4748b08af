import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/logger.js';
import { MIGRATIONS, migrate, schemaVersion } from '../../../src/store/migrations.js';
import { sqlite } from '../../../src/store/sqlite.js';
import { open, tempStore } from '../../helpers/store.js';

describe('migration v5 (webhook filters follow a person)', () => {
  it("brings a v4 store to v5: a webhook's chat filter follows its one chat, and still takes that chat's events", () => {
    const { file } = tempStore();
    const seeded = new (sqlite().DatabaseSync)(file);
    seeded.exec('PRAGMA journal_mode = WAL');
    migrate(seeded, file, silentLogger(), MIGRATIONS.slice(0, 4));
    const add = seeded.prepare(`INSERT INTO webhooks (id, account, url, chat_id, secret, created_at, updated_at) VALUES (?, 'default', 'https://example.test/hook', ?, 'whsec_AAAA', 1, 1)`);
    add.run('wh_01HZZZZZZZZZZZZZZZZZZZZZZA', '15550100001@c.us');
    add.run('wh_01HZZZZZZZZZZZZZZZZZZZZZZB', null);
    expect(schemaVersion(seeded)).toBe(4);
    seeded.close();

    const store = open(file);
    try {
      expect(store.webhooks.list('default').map((w) => [w.chatId, w.chatIds])).toEqual([
        ['15550100001@c.us', ['15550100001@c.us']],
        [null, null],
      ]);
      const delivered = store.record('default', { type: 'message', chatId: '15550100001@c.us', payload: {} }).deliveries.map((d) => d.webhookId);
      expect(delivered).toEqual(['wh_01HZZZZZZZZZZZZZZZZZZZZZZA', 'wh_01HZZZZZZZZZZZZZZZZZZZZZZB']);
    } finally {
      store.close();
    }
  });
});
