import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createServices } from '../../../src/app/index.js';
import { requestHash } from '../../../src/app/outbox-payload.js';
import { silentLogger } from '../../../src/core/logger.js';
import { createMediaSpool, openStore, STORE_FILE } from '../../../src/store/index.js';
import type { OutgoingMessage } from '../../../src/whatsapp/outgoing.js';
import { FakeSession } from '../../helpers/fake-session.js';

/** The outbox as the bridge starts it after a crash: the store holds what the last run left. */
describe('the outbox at start-up', () => {
  it('regression: sends a crash left queued were failed with WA_NOT_STARTED at restart, before the saved session started; now they go out once it is ready', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'wa-outbox-restart-'));
    const file = path.join(dir, STORE_FILE);
    const chatId = '15550100001@c.us';
    const content: OutgoingMessage = { kind: 'text', text: 'queued when the bridge died' };
    const before = openStore({ file, log: silentLogger() });
    const { entry } = before.outbox.insert({ idempotencyKey: 'k1', requestHash: requestHash(chatId, content), kind: 'text', chatId, payload: content, matchText: content.text });
    before.close();

    // As startBridge does it: the outbox starts, then the saved session is started.
    const session = new FakeSession();
    session.saved = true;
    session.startInto = 'ready';
    const store = openStore({ file, log: silentLogger() });
    const services = createServices({ session, store, spool: createMediaSpool(dir), log: silentLogger(), pace: { perMinute: 6000, burst: 10_000 }, mediaDirs: [] });
    try {
      await services.start();
      expect(services.outbox.get(entry.id)?.status).toBe('queued');
      await session.start();
      const settled = await services.outbox.waitSettled(entry.id, 5_000);
      expect(settled).toMatchObject({ status: 'sent', attempts: 1 });
      expect(session.sent).toEqual([{ chatId, text: content.text }]);
    } finally {
      services.close();
      store.close();
    }
  });
});
