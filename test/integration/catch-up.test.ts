import { afterEach, describe, expect, it } from 'vitest';
import type { ChatDto, MessageDto } from '../../src/whatsapp/session.js';
import { chatDto, FakeSession, messageFrom, ME } from '../helpers/fake-session.js';
import { startTestServer, TOKEN, type TestServer } from '../helpers/http.js';
import { openSse } from '../helpers/sse.js';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.js';

const ALICE = '15550100001@c.us';

/** A WhatsApp in which a message can arrive just as catch-up starts reading the chats. */
class ArrivingDuringCatchUp extends FakeSession {
  onListChats: (() => void) | null = null;

  /** A contact's message reaches WhatsApp Web's chat, and the live event follows unless `silently`. */
  arrive(m: MessageDto, silently = false): void {
    const entry = this.chats.get(ALICE) ?? { chat: chatDto(ALICE, 'Alice'), messages: [] };
    entry.messages.push(m);
    entry.chat = { ...entry.chat, timestamp: m.timestamp, last_message: m };
    this.chats.set(ALICE, entry);
    if (!silently) this.emit('event', { type: 'message', chat_id: ALICE, timestamp: m.timestamp, message: m });
  }

  override async listChats(limit: number): Promise<ChatDto[]> {
    const hook = this.onListChats;
    this.onListChats = null;
    hook?.();
    return super.listChats(limit);
  }
}

let srv: TestServer | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await srv?.close();
  await receiver?.close();
});

describe('catch-up on ready, with messages still arriving', () => {
  it('a message arriving while catch-up runs is recorded after the older ones it finds, and does not hide them (regression)', async () => {
    const session = new ArrivingDuringCatchUp();
    session.link(ME);
    receiver = await startReceiver();
    srv = await startTestServer({ session, webhooks: { retryScheduleMs: [10], pollMs: 20 } });
    expect((await srv.call('/api/webhooks', { method: 'POST', json: { url: `${receiver.url}/wa`, events: ['message'] } })).status).toBe(201);
    const t = Math.floor(Date.now() / 1000);
    session.arrive(messageFrom(ALICE, 'SEEN', 'seen live', t - 60));
    await receiver.until((all) => all.length === 1, 'the live message');

    // The bridge loses WhatsApp; two messages arrive meanwhile, without live events.
    session.set('disconnected');
    session.arrive(messageFrom(ALICE, 'MISSED1', 'missed one', t - 30), true);
    session.arrive(messageFrom(ALICE, 'MISSED2', 'missed two', t - 20), true);
    // Back: just as catch-up starts, a new message arrives (in the chat, and live).
    session.onListChats = () => session.arrive(messageFrom(ALICE, 'NEW', 'new one', t));
    session.link(ME);
    await receiver.until((all) => all.length >= 4, 'every message at the receiver');

    // The event log (and so every chat's webhook queue and SSE) in the chat's order, each once.
    const replay = await openSse(`${srv.url}/api/events?types=message&after=0`, { authorization: `Bearer ${TOKEN}` });
    await replay.next(4);
    replay.close();
    expect(replay.frames.map((f) => [f.data.data.message.body, f.data.backfilled])).toEqual([
      ['seen live', false],
      ['missed one', true],
      ['missed two', true],
      ['new one', true],
    ]);
    expect(receiver.received.map((r) => r.json.data.message.body)).toEqual(['seen live', 'missed one', 'missed two', 'new one']);
  });

  it('live events that come while catch-up runs are recorded once it is done, in the order they came', async () => {
    const session = new ArrivingDuringCatchUp();
    session.link(ME);
    srv = await startTestServer({ session });
    const t = Math.floor(Date.now() / 1000);
    session.arrive(messageFrom(ALICE, 'SEEN', 'seen live', t - 60));
    session.set('disconnected');
    // An ack and a message of another chat: live only, not in what catch-up reads.
    const BOB = '15550100002@c.us';
    session.onListChats = () => {
      session.emit('event', { type: 'message_ack', chat_id: ALICE, timestamp: null, message_id: 'x', ack: 'read' });
      session.emit('event', { type: 'message', chat_id: BOB, timestamp: t, message: messageFrom(BOB, 'B1', 'from bob', t) });
    };
    session.link(ME);
    const replay = await openSse(`${srv.url}/api/events?types=message,message_ack&after=0`, { authorization: `Bearer ${TOKEN}` });
    await replay.next(3);
    replay.close();
    expect(replay.frames.map((f) => [f.data.type, f.data.chat_id, f.data.backfilled])).toEqual([
      ['message', ALICE, false],
      ['message_ack', ALICE, false],
      ['message', BOB, false],
    ]);
  });
});

describe('catch-up reaches every message that arrived while the bridge was down', () => {
  const BOB = '15550100002@c.us';
  const bodies = async (server: TestServer) => {
    const all: string[] = [];
    for (let after = 0; ; ) {
      const page = (await server.call(`/api/events/log?types=message&after=${after}&limit=500`)).body;
      all.push(...page.events.map((e: { data: { message: { body: string } } }) => e.data.message.body));
      if (page.count < 500) return all;
      after = page.next_after;
    }
  };

  it('regression: 250 messages in one chat (more than a page of 100) are all recorded, in order', async () => {
    const session = new ArrivingDuringCatchUp();
    session.link(ME);
    srv = await startTestServer({ session });
    const t = Math.floor(Date.now() / 1000) - 1000;
    session.arrive(messageFrom(ALICE, 'SEEN', 'seen live', t));
    await expect.poll(async () => (await bodies(srv!)).length).toBe(1);
    session.set('disconnected');
    for (let i = 1; i <= 250; i++) session.arrive(messageFrom(ALICE, `M${i}`, `missed ${i}`, t + i), true);
    session.link(ME);
    await expect.poll(async () => (await bodies(srv!)).length, { timeout: 20_000 }).toBe(251);
    expect(await bodies(srv)).toEqual(['seen live', ...Array.from({ length: 250 }, (_, i) => `missed ${i + 1}`)]);
  });

  it('regression: someone new who wrote while the bridge was down is recorded (and an old chat with nothing new is not read back)', async () => {
    const session = new ArrivingDuringCatchUp();
    session.link(ME);
    const t = Math.floor(Date.now() / 1000) - 1000;
    // Bob's chat is old history the bridge never recorded: before the last thing it saw.
    session.chats.set(BOB, { chat: chatDto(BOB, 'Bob', { timestamp: t - 500 }), messages: [messageFrom(BOB, 'B0', 'old history', t - 500)] });
    srv = await startTestServer({ session });
    session.arrive(messageFrom(ALICE, 'SEEN', 'seen live', t));
    await expect.poll(async () => (await bodies(srv!)).length).toBe(1);
    session.set('disconnected');
    const CAROL = '15550100003@c.us';
    const hello = messageFrom(CAROL, 'C1', 'hi, new number here', t + 10);
    session.chats.set(CAROL, { chat: chatDto(CAROL, 'Carol', { timestamp: t + 10, last_message: hello }), messages: [hello] });
    session.link(ME);
    await expect.poll(async () => (await bodies(srv!)).length).toBe(2);
    expect(await bodies(srv)).toEqual(['seen live', 'hi, new number here']);
    const log = (await srv.call('/api/events/log?types=message&limit=1')).body;
    expect(log.events[0]).toMatchObject({ chat_id: CAROL, backfilled: true });
  });
});

