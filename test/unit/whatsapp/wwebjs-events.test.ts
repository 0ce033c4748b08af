import { EventEmitter } from 'node:events';
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/logger.js';
import type { WaEvent } from '../../../src/shared/events.js';
import { SYSTEM_MESSAGE_TYPES } from '../../../src/whatsapp/system-messages.js';
import { forwardEvents, IdentityLookup } from '../../../src/whatsapp/wwebjs-events.js';

const ME = '15550100100@c.us';
const ALICE = '15550100001@c.us';
const GRACE = '15550100007@c.us';
const GRACE_LID = '185000000000007@lid';

/** A page whose identity lookups answer when the test says so. */
function fakePage(pairs: Record<string, { phone: string | null; lid: string | null }>) {
  const calls: string[][] = [];
  let release: () => void = () => undefined;
  let gate: Promise<void> = Promise.resolve();
  const page = {
    evaluate: async (_fn: unknown, ids: string[]) => {
      calls.push(ids);
      await gate;
      return Object.fromEntries(ids.map((id) => [id, pairs[id] ?? (id.endsWith('@lid') ? { phone: null, lid: id } : { phone: id, lid: null })]));
    },
  };
  return {
    page: page as unknown as Page,
    calls,
    hold: () => {
      gate = new Promise((resolve) => (release = resolve));
    },
    release: () => release(),
  };
}

function setup(pairs: Record<string, { phone: string | null; lid: string | null }> = {}) {
  const client = new EventEmitter();
  const fake = fakePage(pairs);
  const events: WaEvent[] = [];
  let current = true;
  let now = 0;
  const people = new IdentityLookup(() => fake.page, silentLogger(), () => now);
  forwardEvents(client, { current: () => current, emit: (e) => events.push(e), page: () => fake.page, people, log: silentLogger() });
  return {
    client,
    events,
    fake,
    retire: () => (current = false),
    advance: (ms: number) => (now += ms),
    settled: async (n: number) => {
      for (let i = 0; i < 50 && events.length < n; i++) await new Promise((r) => setImmediate(r));
    },
  };
}

const incoming = (id: string, body: string, from = ALICE) => ({
  id: { _serialized: `false_${from}_${id}`, fromMe: false, remote: from },
  from,
  to: ME,
  fromMe: false,
  type: 'chat',
  body,
  timestamp: 1_760_000_000,
});

describe('whatsapp-web.js events become the port\'s WaEvents', () => {
  it('keeps the order of the client\'s events even when one waits for the page (a sender\'s other id)', async () => {
    const { client, events, fake, settled } = setup({ [GRACE_LID]: { phone: GRACE, lid: GRACE_LID } });
    fake.hold();
    client.emit('message', incoming('A', 'first', GRACE_LID));
    client.emit('message_ack', { id: { _serialized: `true_${ALICE}_3EB0`, fromMe: true, remote: ALICE }, from: ME, to: ALICE }, 2);
    await settled(0);
    expect(events).toEqual([]);
    fake.release();
    await settled(2);
    expect(events.map((e) => e.type)).toEqual(['message', 'message_ack']);
    expect(events[0]).toMatchObject({ chat_id: GRACE_LID, message: { body: 'first', sender_phone: GRACE, sender_lid: GRACE_LID } });
    expect(events[1]).toEqual({ type: 'message_ack', chat_id: ALICE, timestamp: null, message_id: `true_${ALICE}_3EB0`, ack: 'delivered' });
  });

  it('reports a received message once (message, not message_create) and ours as message_create', async () => {
    const { client, events, settled } = setup();
    client.emit('message_create', incoming('B', 'hers'));
    client.emit('message', incoming('B', 'hers'));
    client.emit('message_create', { id: { _serialized: `true_${ALICE}_3EB1`, fromMe: true, remote: ALICE }, from: ME, to: ALICE, fromMe: true, body: 'mine', timestamp: 5 });
    await settled(2);
    expect(events.map((e) => [e.type, e.type === 'message' || e.type === 'message_create' ? e.message.body : null])).toEqual([
      ['message', 'hers'],
      ['message_create', 'mine'],
    ]);
  });

  it('system notices WhatsApp Web adds as messages (security code changed, a missed call, protocol messages…) are not reported as messages', async () => {
    const { client, events, settled } = setup();
    for (const type of SYSTEM_MESSAGE_TYPES) {
      const notice = { ...incoming(`N-${type}`, ''), type };
      client.emit('message_create', notice);
      client.emit('message', notice);
    }
    client.emit('message_create', { id: { _serialized: `true_${ALICE}_3EB2`, fromMe: true, remote: ALICE }, from: ME, to: ALICE, fromMe: true, type: 'protocol', body: '', timestamp: 5 });
    client.emit('message', incoming('C', 'a real one'));
    await settled(1);
    await settled(2);
    expect(SYSTEM_MESSAGE_TYPES).toEqual(expect.arrayContaining(['e2e_notification', 'notification_template', 'call_log', 'protocol', 'gp2']));
    expect(events.map((e) => (e.type === 'message' ? e.message.body : e.type))).toEqual(['a real one']);
  });

  it('never throws on odd input: events without the fields they need are dropped, the rest still flow', async () => {
    const { client, events, settled } = setup();
    for (const args of [
      ['message', {}],
      ['message', null],
      ['message_create', null],
      ['message_ack', { id: null }, 3],
      ['message_ack', { id: { _serialized: `true_${ALICE}_X`, remote: ALICE } }, 99],
      ['message_reaction', {}],
      ['message_reaction', { msgId: 'not-a-key', senderId: 7 }],
      ['vote_update', { selectedOptions: 'no' }],
      ['group_join', { recipientIds: 'x' }],
      ['group_update', null],
      ['call', { from: { nope: true } }],
      ['message_edit', undefined, 1, 2],
    ] as const) {
      expect(() => client.emit(args[0], ...args.slice(1))).not.toThrow();
    }
    client.emit('call', { id: 'CALL1', from: ALICE, isVideo: 1, isGroup: false });
    await settled(1);
    expect(events).toEqual([{ type: 'call', chat_id: ALICE, timestamp: null, call_id: 'CALL1', from: ALICE, is_video: true, is_group: false }]);
  });

  it('maps reactions, edits, revokes, votes and group notifications to plain data', async () => {
    const { client, events, settled } = setup({ [GRACE]: { phone: GRACE, lid: GRACE_LID } });
    const msgKey = { _serialized: `true_${ALICE}_3EB2`, fromMe: true, remote: ALICE, id: '3EB2' };
    client.emit('message_reaction', { msgId: msgKey, senderId: GRACE, reaction: '👍', timestamp: 1_760_000_001.5 });
    client.emit('message_edit', { ...incoming('C', 'new'), latestEditSenderTimestampMs: 1_760_000_002_000 }, 'new', 'old');
    client.emit('message_revoke_everyone', { ...incoming('D', ''), type: 'revoked', _data: { subtype: 'sender_revoke' } });
    client.emit('message_revoke_everyone', { ...incoming('E', ''), type: 'revoked', _data: { subtype: 'admin_revoke' } });
    client.emit('vote_update', {
      voter: GRACE,
      selectedOptions: [{ name: 'Sat', localId: 0 }, { localId: 1 }],
      interractedAtTs: 1_760_000_003_000,
      parentMsgKey: { _serialized: `true_${ALICE}_POLL`, remote: ALICE },
    });
    client.emit('group_leave', { chatId: '120363000000000001@g.us', author: ALICE, recipientIds: [{ _serialized: ALICE }], type: 'leave', timestamp: 1_760_000_004 });
    await settled(6);
    expect(events).toEqual([
      { type: 'message_reaction', chat_id: ALICE, timestamp: 1_760_000_001, message_id: msgKey._serialized, sender: GRACE, sender_phone: GRACE, sender_lid: GRACE_LID, emoji: '👍' },
      { type: 'message_edit', chat_id: ALICE, timestamp: 1_760_000_002, message_id: `false_${ALICE}_C`, body: 'new', previous_body: 'old' },
      { type: 'message_revoke_everyone', chat_id: ALICE, timestamp: null, message_id: `false_${ALICE}_D`, revoked_by: 'sender', by: ALICE },
      { type: 'message_revoke_everyone', chat_id: ALICE, timestamp: null, message_id: `false_${ALICE}_E`, revoked_by: 'admin', by: null },
      {
        type: 'vote_update',
        chat_id: ALICE,
        timestamp: 1_760_000_003,
        poll_id: `true_${ALICE}_POLL`,
        voter: GRACE,
        voter_phone: GRACE,
        voter_lid: GRACE_LID,
        selected_options: [
          { name: 'Sat', local_id: 0 },
          { name: null, local_id: 1 },
        ],
      },
      { type: 'group_leave', chat_id: '120363000000000001@g.us', timestamp: 1_760_000_004, participants: [ALICE], by: ALICE, how: 'leave' },
    ]);
  });

  it('drops the late events of a retired client', async () => {
    const { client, events, fake, retire, settled } = setup();
    fake.hold();
    client.emit('message', incoming('F', 'in flight'));
    retire();
    client.emit('message', incoming('G', 'after'));
    fake.release();
    await settled(1);
    expect(events).toEqual([]);
  });

  it('asks the page once for a person both of whose ids are known, again later for one whose other id was not', async () => {
    const { client, fake, advance, settled, events } = setup({ [GRACE_LID]: { phone: GRACE, lid: GRACE_LID } });
    for (const id of ['1', '2']) client.emit('message', incoming(id, 'x', GRACE_LID));
    for (const id of ['3', '4']) client.emit('message', incoming(id, 'x', ALICE));
    await settled(4);
    expect(fake.calls).toEqual([[GRACE_LID], [ALICE]]);
    advance(31_000);
    client.emit('message', incoming('5', 'x', ALICE));
    client.emit('message', incoming('6', 'x', GRACE_LID));
    await settled(6);
    expect(fake.calls).toEqual([[GRACE_LID], [ALICE], [ALICE]]);
  });
});
