import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../../src/bridge.js';
import type { WaEvent, WaEventOf, WaEventType } from '../../src/shared/events.js';
import { WaEventSchema } from '../../src/shared/events.js';
import { LID_CONTACTS, SimulatorControl } from '../../src/whatsapp/simulator/index.js';
import { startDemoBridge, tempDataDir, waitForState, type Caller } from '../helpers/bridge.js';
import { b64, PDF } from '../helpers/media-fixtures.js';

/**
 * Issue 11, "Record": the real adapter (whatsapp-web.js in Chromium against the simulator)
 * reports every kind of WhatsApp event on the port's one `event` channel, as plain data,
 * driven by the demo's REST controls as a user of `npm run demo` would.
 */
const ME = '15550100100@c.us';
const ALICE = '15550100001@c.us';
const BOB = '15550100002@c.us';
const CARLA = '15550100003@c.us';
const DAVID = '15550100004@c.us';
const HIKE = '120363000000000001@g.us';
const GRACE = '15550100007@c.us';
const GRACE_LID = `${LID_CONTACTS['15550100007']}@lid`;

describe('the session reports what happens on the account as typed events (demo)', () => {
  const dataDir = path.join(tempDataDir('wa-e2e-events-'), 'data');
  let bridge: Bridge & { call: Caller };
  const seen: WaEvent[] = [];
  const post = async (p: string, json?: unknown) => {
    const res = await bridge.call(p, { method: 'POST', ...(json === undefined ? {} : { json }) });
    if (res.status >= 300) throw new Error(`${p} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };

  /** The first event (seen already, or coming) of `type` that `match` accepts. */
  function event<T extends WaEventType>(type: T, match: (e: WaEventOf<T>) => boolean = () => true, timeoutMs = 15_000): Promise<WaEventOf<T>> {
    const accepts = (e: WaEvent): e is WaEventOf<T> => e.type === type && match(e as WaEventOf<T>);
    const found = seen.find(accepts);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        bridge.session.off('event', onEvent);
        reject(new Error(`no ${type} event within ${timeoutMs} ms; seen: ${JSON.stringify(seen.map((e) => e.type))}`));
      }, timeoutMs);
      const onEvent = (e: WaEvent) => {
        if (!accepts(e)) return;
        clearTimeout(timer);
        bridge.session.off('event', onEvent);
        resolve(e);
      };
      bridge.session.on('event', onEvent);
    });
  }
  const messageEvent = (type: 'message' | 'message_create', id: string) => event(type, (e) => e.message.id === id);

  beforeAll(async () => {
    bridge = await startDemoBridge(dataDir);
    bridge.session.on('event', (e) => seen.push(e));
    await post('/api/auth/start');
    await waitForState(bridge.call, 'qr');
    await post('/api/simulator/link');
  });
  afterAll(async () => {
    await bridge?.stop();
  });

  it('every event is plain data that the wire schema accepts', async () => {
    const { id } = await post('/api/simulator/incoming', { phone_number: '+1 555 010 0001', message: 'Schema check' });
    await messageEvent('message', id);
    for (const e of seen) expect(() => WaEventSchema.parse(e), e.type).not.toThrow();
    expect(JSON.parse(JSON.stringify(seen))).toEqual(seen);
  });

  it('a contact writes: message, with the message as the wire shows it and the sender\'s phone id', async () => {
    const { id } = await post('/api/simulator/incoming', { phone_number: '+1 555 010 0001', message: 'Lunch at 12?', pushname: 'Alice' });
    const e = await messageEvent('message', id);
    expect(e).toMatchObject({ type: 'message', chat_id: ALICE, timestamp: expect.any(Number) });
    expect(e.message).toMatchObject({
      id,
      from: ALICE,
      to: ME,
      from_me: false,
      type: 'chat',
      body: 'Lunch at 12?',
      has_media: false,
      quoted_message_id: null,
      mentioned_ids: [],
      media: null,
      edited: false,
      revoked: false,
      sender_phone: ALICE,
      sender_lid: null,
    });
    // Received messages are `message` only: whatsapp-web.js's message_create for them is not repeated.
    expect(seen.filter((x) => x.type === 'message_create' && x.message.id === id)).toEqual([]);
  });

  it('a file from a contact carries its type, name and size', async () => {
    const { id } = await post('/api/simulator/incoming-media', { phone_number: '15550100003', data: b64(PDF), mimetype: 'application/pdf', filename: 'plan.pdf', caption: 'The plan' });
    const e = await messageEvent('message', id);
    expect(e.message).toMatchObject({ type: 'document', has_media: true, body: 'The plan', media: { mimetype: 'application/pdf', filename: 'plan.pdf', size: PDF.length } });
  });

  it('what this bridge sends: message_create with the reply and mentions, then message_ack sent → delivered → read', async () => {
    const { id: hers } = await post('/api/simulator/incoming', { phone_number: '15550100001', message: 'Who comes?' });
    await messageEvent('message', hers);
    const sent = await post('/api/send', { phone_number: '15550100001', message: 'Me, and Bob', reply_to: hers, mentions: ['15550100002'] });
    const created = await messageEvent('message_create', sent.message_id);
    expect(created).toMatchObject({ chat_id: ALICE, message: { from_me: true, body: 'Me, and Bob', quoted_message_id: hers, mentioned_ids: [BOB], sender_phone: ME } });
    // Delivered to Alice's phone; read once she opens the chat.
    await event('message_ack', (e) => e.message_id === sent.message_id && e.ack === 'delivered');
    await post('/api/simulator/read', { phone_number: '15550100001' });
    const read = await event('message_ack', (e) => e.message_id === sent.message_id && e.ack === 'read');
    const acks = seen.filter((e): e is WaEventOf<'message_ack'> => e.type === 'message_ack' && e.message_id === sent.message_id);
    expect(acks.map((e) => e.ack)).toEqual(['sent', 'delivered', 'read']);
    expect(read).toEqual({ type: 'message_ack', chat_id: ALICE, timestamp: null, message_id: sent.message_id, ack: 'read' });
  });

  it('the phone writes: message_create of ours from another device (and no message)', async () => {
    const { id } = await post('/api/simulator/phone-send', { phone_number: '15550100002', message: 'From my phone' });
    const e = await messageEvent('message_create', id);
    expect(e).toMatchObject({ chat_id: BOB, message: { id, from_me: true, body: 'From my phone', from: ME, to: BOB } });
    await event('message_ack', (a) => a.message_id === id && a.ack === 'delivered');
    await post('/api/simulator/read', { phone_number: '15550100002' });
    await event('message_ack', (a) => a.message_id === id && a.ack === 'read');
    expect(seen.some((x) => x.type === 'message' && x.message.id === id)).toBe(false);
  });

  it('a contact edits a message: message_edit with the new and previous text', async () => {
    const { id } = await post('/api/simulator/incoming', { phone_number: '15550100001', message: 'At 8' });
    await messageEvent('message', id);
    await post('/api/simulator/edit', { message_id: id, message: 'At 9' });
    expect(await event('message_edit', (e) => e.message_id === id)).toEqual({
      type: 'message_edit',
      chat_id: ALICE,
      timestamp: expect.any(Number),
      message_id: id,
      body: 'At 9',
      previous_body: 'At 8',
    });
    const read = await bridge.call('/api/messages?phone_number=15550100001&limit=5');
    expect(read.body.messages.find((m: { id: string }) => m.id === id)).toMatchObject({ body: 'At 9', edited: true });
  });

  it('a contact deletes their message for everyone: message_revoke_everyone naming them; ours they cannot', async () => {
    const { id } = await post('/api/simulator/incoming', { phone_number: '15550100001', message: 'Wrong chat' });
    await messageEvent('message', id);
    await post('/api/simulator/revoke', { message_id: id });
    expect(await event('message_revoke_everyone', (e) => e.message_id === id)).toEqual({
      type: 'message_revoke_everyone',
      chat_id: ALICE,
      timestamp: null,
      message_id: id,
      revoked_by: 'sender',
      by: ALICE,
    });

    // The phone's message is ours: a contact cannot delete it.
    const mine = await post('/api/simulator/phone-send', { phone_number: '15550100001', message: 'Mine' });
    const refused = await bridge.call('/api/simulator/revoke', { method: 'POST', json: { message_id: mine.id } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('SIMULATOR_REFUSED');
  });

  it('a group admin deletes a member\'s message: revoked_by admin, by unknown', async () => {
    // Bob writes in Weekend Hike; Alice administers it.
    const { id } = await new SimulatorControl(bridge.session.page!).incoming({ from: '15550100002', body: 'Off-topic', group: HIKE });
    await messageEvent('message', id);
    await post('/api/simulator/revoke', { message_id: id, by_phone_number: '15550100001' });
    expect(await event('message_revoke_everyone', (e) => e.message_id === id)).toMatchObject({ chat_id: HIKE, revoked_by: 'admin', by: null });
  });

  it('a contact reacts to our message, then takes it back', async () => {
    const sent = await post('/api/send', { phone_number: '15550100003', message: 'Slides attached' });
    await post('/api/simulator/react', { message_id: sent.message_id, phone_number: '15550100003', emoji: '🙏' });
    await post('/api/simulator/react', { message_id: sent.message_id, phone_number: '15550100003', emoji: '' });
    const removed = await event('message_reaction', (e) => e.message_id === sent.message_id && e.emoji === '');
    const both = seen.filter((e): e is WaEventOf<'message_reaction'> => e.type === 'message_reaction' && e.message_id === sent.message_id);
    expect(both.map((e) => e.emoji)).toEqual(['🙏', '']);
    expect(removed).toEqual({
      type: 'message_reaction',
      chat_id: CARLA,
      timestamp: expect.any(Number),
      message_id: sent.message_id,
      sender: CARLA,
      sender_phone: CARLA,
      sender_lid: null,
      emoji: '',
    });
  });

  it('members vote in our poll: vote_update with their whole choice by name', async () => {
    const poll = await post('/api/send/poll', { group_id: HIKE, question: 'Which day?', options: ['Sat', 'Sun'], selectable_count: 0 });
    await post('/api/simulator/vote', { message_id: poll.message_id, phone_number: '15550100001', options: ['Sat', 'Sun'] });
    expect(await event('vote_update', (e) => e.poll_id === poll.message_id)).toEqual({
      type: 'vote_update',
      chat_id: HIKE,
      timestamp: expect.any(Number),
      poll_id: poll.message_id,
      voter: ALICE,
      voter_phone: ALICE,
      voter_lid: null,
      selected_options: [
        { name: 'Sat', local_id: 0 },
        { name: 'Sun', local_id: 1 },
      ],
    });
  });

  it('people join, leave and change a group: group_join, group_leave, group_update with the group as it is now', async () => {
    await post('/api/simulator/group-join', { group_id: HIKE, phone_numbers: ['+1 555 010 0004'], by_phone_number: '15550100001' });
    expect(await event('group_join', (e) => e.chat_id === HIKE)).toEqual({
      type: 'group_join',
      chat_id: HIKE,
      timestamp: expect.any(Number),
      participants: [DAVID],
      by: ALICE,
      how: 'add',
    });
    await post('/api/simulator/group-leave', { group_id: HIKE, phone_numbers: ['15550100004'] });
    expect(await event('group_leave', (e) => e.chat_id === HIKE)).toMatchObject({ participants: [DAVID], by: DAVID, how: 'leave' });
    await post('/api/simulator/group-update', { group_id: HIKE, by_phone_number: '15550100001', subject: 'Sunday Hike', restrict: true });
    const subject = await event('group_update', (e) => e.change === 'subject');
    expect(subject).toMatchObject({ chat_id: HIKE, by: ALICE, group: { subject: 'Sunday Hike' } });
    expect(await event('group_update', (e) => e.change === 'restrict')).toMatchObject({ group: { subject: 'Sunday Hike', restrict: true, announce: false } });
    const refused = await bridge.call('/api/simulator/group-update', { method: 'POST', json: { group_id: HIKE, by_phone_number: '15550100003', subject: 'Mine now' } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('SIMULATOR_REFUSED');
  });

  it('a contact calls: call, with who and whether it is video', async () => {
    const { id } = await post('/api/simulator/call', { phone_number: '15550100004', video: true });
    expect(await event('call', (e) => e.call_id === id)).toEqual({ type: 'call', chat_id: DAVID, timestamp: null, call_id: id, from: DAVID, is_video: true, is_group: false });
  });

  it('a contact known by LID: the message carries both of her ids, one person', async () => {
    const { id } = await post('/api/simulator/incoming', { phone_number: '15550100007', message: 'Hi, Grace here' });
    expect(id.startsWith(`false_${GRACE_LID}_`)).toBe(true);
    const e = await messageEvent('message', id);
    expect(e).toMatchObject({ chat_id: GRACE_LID, message: { from: GRACE_LID, sender_lid: GRACE_LID, sender_phone: GRACE } });
    await post('/api/simulator/react', { message_id: id, phone_number: '15550100007', emoji: '👋' });
    expect(await event('message_reaction', (r) => r.message_id === id)).toMatchObject({ sender: GRACE_LID, sender_phone: GRACE, sender_lid: GRACE_LID });
    // Reading the chat back through the port (history import): the same two ids.
    const page = await bridge.session.chatMessages(GRACE_LID, 1);
    expect(page!.messages[0]).toMatchObject({ id, sender_phone: GRACE, sender_lid: GRACE_LID });
  });

  it('a message that arrives while WhatsApp Web is not running is in the chat the next time it loads, with no live event', async () => {
    await bridge.session.close();
    const { id } = await post('/api/simulator/incoming', { phone_number: '15550100006', message: 'Are you there?' });
    expect(id).toMatch(/^false_15550100006@c\.us_[0-9A-F]{32}$/);
    const before = seen.length;
    await post('/api/auth/start');
    await waitForState(bridge.call, 'ready');
    const chat = await bridge.call('/api/messages?phone_number=15550100006&limit=1');
    expect(chat.body.messages[0]).toMatchObject({ id, body: 'Are you there?', from_me: false, sender_phone: '15550100006@c.us' });
    expect(chat.body.chat.unread_count).toBeGreaterThan(0);
    expect(seen.slice(before).filter((e) => e.type === 'message')).toEqual([]);
  });
});
