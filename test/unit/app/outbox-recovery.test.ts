import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createServices } from '../../../src/app/index.js';
import { requestHash } from '../../../src/app/outbox-payload.js';
import { silentLogger } from '../../../src/core/logger.js';
import { createMediaSpool, openStore, STORE_FILE } from '../../../src/store/index.js';
import type { OutgoingMessage } from '../../../src/whatsapp/outgoing.js';
import { AppError } from '../../../src/core/errors.js';
import type { SentMessage } from '../../../src/whatsapp/session.js';
import { FakeSession } from '../../helpers/fake-session.js';
import { startServices } from '../../helpers/services.js';

/** The outbox after a crash: what the last run left in the store, and sends cut off mid-way. */
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

/** WhatsApp takes the message, then the browser dies before saying so; the chat gets busy before WhatsApp is back. */
class BusyChatSession extends FakeSession {
  chatterAfterCutOff = 0;

  override async send(chatId: string, content: OutgoingMessage): Promise<SentMessage> {
    if (this.chatterAfterCutOff === 0) return super.send(chatId, content);
    this.store(chatId, { body: content.kind === 'text' ? content.text : '' });
    for (let i = 0; i < this.chatterAfterCutOff; i++) this.store(chatId, { from_me: false, from: chatId, body: `chatter ${i}` });
    this.chatterAfterCutOff = 0;
    throw new AppError('SEND_OUTCOME_UNKNOWN', 'The connection to WhatsApp Web was lost while the message was being sent.');
  }
}

describe('reconciling a send cut off mid-way', () => {
  it('regression: only the newest 50 messages of the chat were searched, so a send cut off in a busy chat (60 messages since) went out twice; now the chat is read back to the attempt', async () => {
    const session = new BusyChatSession();
    session.link();
    session.chatterAfterCutOff = 60;
    const { services, dispose } = await startServices(session);
    try {
      const { entry } = await services.outbox.submit({ chatId: '15550100002@c.us', content: { kind: 'text', text: 'sent before a busy minute' } });
      const settled = await services.outbox.waitSettled(entry.id, 5_000);
      const copies = session.chats.get('15550100002@c.us')!.messages.filter((m) => m.body === 'sent before a busy minute');
      expect(copies).toHaveLength(1);
      expect(settled).toMatchObject({ status: 'sent', attempts: 1, messageId: copies[0]!.id });
    } finally {
      dispose();
    }
  });
});
