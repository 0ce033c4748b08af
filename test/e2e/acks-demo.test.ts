import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../../src/bridge.js';
import { SimulatorControl } from '../../src/whatsapp/simulator/index.js';
import { startDemoBridge, tempDataDir, until, waitForState, type Caller } from '../helpers/bridge.js';
import { b64, OGG_OPUS } from '../helpers/media-fixtures.js';

/**
 * Issue 10, acks end to end: REST → the outbox → our adapter → the unchanged whatsapp-web.js
 * → Chromium → the simulator, and back as `message_ack`. A message we send is delivered by
 * itself and read only when the contact reads it (POST /api/simulator/read); the outbox entry
 * and the message's `ack` follow. Everything is awaited on what the API shows, never on time.
 */
const ALICE = '15550100001@c.us';
const BOB = '15550100002@c.us';
const CARLA = '15550100003@c.us';
const DAVID = '15550100004@c.us';
const HIKE_GROUP = '120363000000000001@g.us'; // we, Alice, Bob and Carla

describe('acks: sent → delivered by themselves, read when the contact reads (demo control)', () => {
  let bridge: Bridge & { call: Caller };
  let sim: SimulatorControl;
  const post = (p: string, json?: unknown) => bridge.call(p, { method: 'POST', ...(json === undefined ? {} : { json }) });
  const outboxStatus = async (outboxId: string): Promise<string> => (await bridge.call(`/api/outbox/${outboxId}`)).body.entry.status;
  /** The message as GET /api/chats/{chat}/messages lists it. */
  const listed = async (chatId: string, messageId: string) => {
    const { body } = await bridge.call(`/api/chats/${chatId}/messages?limit=50`);
    return body.messages.find((m: { id: string }) => m.id === messageId);
  };
  const ackOf = async (chatId: string, messageId: string): Promise<string | null> => (await listed(chatId, messageId))?.ack ?? null;
  /** Sends a text through POST /api/send and waits until the chat shows it delivered. */
  const sendDelivered = async (recipient: { phone_number: string } | { group_id: string }, chatId: string, message: string) => {
    const res = await post('/api/send', { ...recipient, message });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await until(async () => (await ackOf(chatId, res.body.message_id)) === 'delivered', `${message}: delivered`);
    return { messageId: res.body.message_id as string, outboxId: res.body.outbox_id as string };
  };

  beforeAll(async () => {
    bridge = await startDemoBridge(tempDataDir('wa-e2e-acks-'));
  });
  afterAll(async () => {
    await bridge?.stop();
  });

  it('before WhatsApp is started the control is a 409 WA_NOT_STARTED, before a phone links a 409 WA_NOT_LINKED', async () => {
    const early = await post('/api/simulator/read', { phone_number: '15550100001' });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('WA_NOT_STARTED');

    await post('/api/auth/start');
    await waitForState(bridge.call, 'qr');
    const unlinked = await post('/api/simulator/read', { phone_number: '15550100001' });
    expect(unlinked.status).toBe(409);
    expect(unlinked.body.error).toMatchObject({ code: 'WA_NOT_LINKED', message: expect.stringMatching(/link it first/) });

    await post('/api/simulator/link');
    await waitForState(bridge.call, 'ready');
    sim = new SimulatorControl(bridge.session.page!);
  });

  it('a text to Alice is sent, then delivered, and read only when Alice reads the chat; her own message and Bob\'s chat are unaffected', async () => {
    const incoming = await post('/api/simulator/incoming', { phone_number: '15550100001', message: 'Are you there?' });
    await until(async () => Boolean(await listed(ALICE, incoming.body.id)), 'her message in the chat');
    const hersBefore = await listed(ALICE, incoming.body.id);
    const toBob = await sendDelivered({ phone_number: '15550100002' }, BOB, 'Nobody reads this one');

    const res = await post('/api/send', { phone_number: '+1 555 010 0001', message: 'Yes, here' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { outbox_id: outboxId, message_id: messageId } = res.body;
    expect(['sent', 'delivered']).toContain(await outboxStatus(outboxId));
    await until(async () => (await ackOf(ALICE, messageId)) === 'delivered', 'delivered');
    await until(async () => (await outboxStatus(outboxId)) === 'delivered', 'the outbox entry delivered');

    expect((await post('/api/simulator/read', { phone_number: '+1 555 010 0001' })).body).toEqual({ ok: true, read: 1 });
    await until(async () => (await outboxStatus(outboxId)) === 'read', 'the outbox entry read');
    expect(await ackOf(ALICE, messageId)).toBe('read');
    expect((await sim.message(messageId))!.ack).toBe(3);

    expect(await listed(ALICE, incoming.body.id)).toEqual(hersBefore);
    expect(await ackOf(BOB, toBob.messageId)).toBe('delivered');
    expect(await outboxStatus(toBob.outboxId)).toBe('delivered');
    // Read is as far as a text goes: reading again changes nothing.
    expect((await post('/api/simulator/read', { phone_number: '15550100001' })).body).toEqual({ ok: true, read: 0 });
    expect(await ackOf(ALICE, messageId)).toBe('read');
  });

  it('in a group, the members reading marks our delivered message read', async () => {
    const sent = await sendDelivered({ group_id: HIKE_GROUP }, HIKE_GROUP, 'Trailhead at 8');

    expect((await post('/api/simulator/read', { group_id: HIKE_GROUP })).body).toEqual({ ok: true, read: 1 });
    await until(async () => (await outboxStatus(sent.outboxId)) === 'read', 'the outbox entry read');
    expect(await ackOf(HIKE_GROUP, sent.messageId)).toBe('read');
  });

  it('with played, a voice note becomes played (the outbox counts that as read) and stays played when the chat is read again', async () => {
    const res = await post('/api/send/media', { phone_number: '15550100004', media: [{ data: b64(OGG_OPUS), mimetype: 'audio/ogg' }], as_voice: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { outbox_id: outboxId, message_id: messageId } = res.body;
    await until(async () => (await ackOf(DAVID, messageId)) === 'delivered', 'the voice note delivered');

    expect((await post('/api/simulator/read', { phone_number: '15550100004', played: true })).body).toEqual({ ok: true, read: 1 });
    await until(async () => (await ackOf(DAVID, messageId)) === 'played', 'played');
    await until(async () => (await outboxStatus(outboxId)) === 'read', 'the outbox entry read');

    expect((await post('/api/simulator/read', { phone_number: '15550100004' })).body).toEqual({ ok: true, read: 0 });
    expect(await ackOf(DAVID, messageId)).toBe('played');
  });

  it('read while WhatsApp is disconnected (TIMEOUT): the receipt reaches the outbox once it reconnects; an unread message stays delivered', async () => {
    const unread = await sendDelivered({ phone_number: '15550100002' }, BOB, 'Bob is busy');
    const sent = await sendDelivered({ phone_number: '15550100003' }, CARLA, 'Read while the connection is down');
    await post('/api/simulator/disconnect', { state: 'TIMEOUT' });

    expect((await post('/api/simulator/read', { phone_number: '15550100003' })).body).toEqual({ ok: true, read: 1 });
    await until(async () => (await outboxStatus(sent.outboxId)) === 'read', 'the outbox entry read after the reconnect');
    await waitForState(bridge.call, 'ready');
    expect(await ackOf(CARLA, sent.messageId)).toBe('read');
    // WhatsApp Web reconnects a second after a TIMEOUT: had the simulator marked Bob's message
    // read by itself (before issue 10 it did, 0.6 s after delivery), it would show by now.
    expect((await sim.message(unread.messageId))!.ack).toBe(2);
    expect(await ackOf(BOB, unread.messageId)).toBe('delivered');
    expect(await outboxStatus(unread.outboxId)).toBe('delivered');
  });

  it('bad input is a 400 and an unknown chat a 404, never a 502, and nothing is read', async () => {
    const sent = await sendDelivered({ phone_number: '15550100002' }, BOB, 'Still unread');
    for (const [body, code, fields, names] of [
      [{}, 'VALIDATION_ERROR', ['phone_number', 'group_id'], /exactly one chat/],
      [{ phone_number: '15550100002', group_id: HIKE_GROUP }, 'VALIDATION_ERROR', ['phone_number', 'group_id'], /exactly one chat/],
      [{ phone_number: '+1 555 010 0002 ext. 2' }, 'INVALID_PHONE', ['phone_number'], /"e" at position 17/],
      [{ phone_number: 15550100002 }, 'VALIDATION_ERROR', ['phone_number'], /must be a string/],
      [{ group_id: 'Weekend Hike' }, 'VALIDATION_ERROR', ['group_id'], /must look like "120363012345678901@g\.us"/],
      [{ phone_number: '15550100002', played: 'yes' }, 'VALIDATION_ERROR', ['played'], /true or false/],
      [{ chat_id: BOB }, 'VALIDATION_ERROR', undefined, /unknown field\(s\) chat_id/],
    ] as const) {
      const res = await post('/api/simulator/read', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error, JSON.stringify(body)).toMatchObject({ code, ...(fields ? { fields } : {}) });
      expect(res.body.error.message).toMatch(names);
    }
    expect((await post('/api/simulator/read')).status).toBe(400);

    for (const [body, names] of [
      [{ phone_number: '+1 555 010 7999' }, /no chat 15550107999@c\.us, .*: send them a message first/],
      [{ group_id: '120363999999999999@g.us' }, /no chat 120363999999999999@g\.us, .*: give one of the account's groups/],
    ] as const) {
      const res = await post('/api/simulator/read', body);
      expect(res.status, JSON.stringify(body)).toBe(404);
      expect(res.body.error).toMatchObject({ code: 'CHAT_NOT_FOUND', message: expect.stringMatching(names) });
    }
    expect(await ackOf(BOB, sent.messageId)).toBe('delivered');
  });
});
