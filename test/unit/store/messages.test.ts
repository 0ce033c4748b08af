import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IN_MEMORY, laterAck, type IncomingMessage, type Store } from '../../../src/store/index.js';
import { manualClock, open, wireMessage } from '../../helpers/store.js';

let store: Store;
let clock: ReturnType<typeof manualClock>;
beforeEach(() => {
  clock = manualClock();
  store = open(IN_MEMORY, { now: clock.now });
});
afterEach(() => store.close());

const CHAT = '15550100001@c.us';
const found = (q: string) => store.messages.search('default', { q, limit: 10 }).hits.map((h) => h.message.id);

describe('upsert', () => {
  it('stores the first copy with the wire object, its extras and where it came from', () => {
    const message = wireMessage({ body: 'Lunch at 1?', author: null });
    const input: IncomingMessage = {
      message,
      senderPhone: CHAT,
      senderLid: '20000000001@lid',
      quotedId: 'false_x_QUOTED',
      mentions: ['15550100002@c.us'],
      media: { mimetype: 'image/jpeg', filename: null, size: 2048 },
    };
    const r = store.messages.upsert('default', input, 'live');
    expect(r).toMatchObject({ created: true, changed: true });
    expect(r.message).toMatchObject({
      account: 'default',
      id: message.id,
      chatId: CHAT,
      fromMe: false,
      sender: CHAT,
      senderPhone: CHAT,
      senderLid: '20000000001@lid',
      body: 'Lunch at 1?',
      timestamp: message.timestamp,
      quotedId: 'false_x_QUOTED',
      mentions: ['15550100002@c.us'],
      media: { mimetype: 'image/jpeg', filename: null, size: 2048 },
      edited: false,
      revoked: false,
      source: 'live',
      raw: message,
      insertedAt: clock.now(),
    });
    expect(store.messages.get('default', message.id!)).toEqual(r.message);
  });

  it('puts our own messages in the chat they were sent to, and group messages under their author', () => {
    const mine = store.messages.upsert('default', { message: wireMessage({ from_me: true, from: '15550009999@c.us', to: CHAT }) }, 'sent').message;
    expect(mine).toMatchObject({ chatId: CHAT, fromMe: true, source: 'sent' });
    const group = store.messages.upsert('default', { message: wireMessage({ from: '120363000000000001@g.us', author: '15550100003@c.us' }) }, 'live').message;
    expect(group).toMatchObject({ chatId: '120363000000000001@g.us', sender: '15550100003@c.us' });
  });

  it('moves acks forward only: a late "delivered" after "read" changes nothing', () => {
    const message = wireMessage({ from_me: true, to: CHAT, ack: 'sent' });
    store.messages.upsert('default', { message }, 'sent');
    expect(store.messages.upsert('default', { message: { ...message, ack: 'read' } }, 'live').message.ack).toBe('read');
    const late = store.messages.upsert('default', { message: { ...message, ack: 'delivered' } }, 'history');
    expect(late).toMatchObject({ created: false, changed: false });
    expect(late.message.ack).toBe('read');
    expect(store.messages.updateAck('default', message.id!, 'delivered')).toBeNull();
    expect(store.messages.updateAck('default', message.id!, 'played')?.ack).toBe('played');
  });

  it('orders acks: error overrides pending and sent only; null never erases', () => {
    expect(laterAck('pending', 'error')).toBe('error');
    expect(laterAck('sent', 'error')).toBe('error');
    expect(laterAck('delivered', 'error')).toBe('delivered');
    expect(laterAck('error', 'read')).toBe('read');
    expect(laterAck('read', null)).toBe('read');
    expect(laterAck(null, 'pending')).toBe('pending');
  });

  it('takes a newer edit from a copy, keeps the previous text, and lets no older copy undo it', () => {
    const message = wireMessage({ body: 'see you at 5' });
    const id = message.id!;
    store.messages.upsert('default', { message }, 'live');
    const edited = store.messages.upsert('default', { message: { ...message, body: 'see you at 6' }, editedAt: 1_000 }, 'live').message;
    expect(edited).toMatchObject({ body: 'see you at 6', edited: true, editedAt: 1_000, edits: [{ body: 'see you at 5', at: 1_000 }] });
    expect(edited.raw.body).toBe('see you at 6');
    // A history import brings the original copy back: the edit stands.
    expect(store.messages.upsert('default', { message }, 'history').changed).toBe(false);
    // And an edit event older than the one held is ignored.
    expect(store.messages.edit('default', id, { body: 'see you at 4', at: 900 })).toBeNull();
    const later = store.messages.edit('default', id, { body: 'see you at 7', at: 2_000 });
    expect(later).toMatchObject({ body: 'see you at 7', editedAt: 2_000 });
    expect(later?.edits.map((e) => e.body)).toEqual(['see you at 5', 'see you at 6']);
    expect(store.messages.get('default', id)?.source).toBe('live');
  });

  it('keeps the search index in step with edits and deletions', () => {
    const message = wireMessage({ body: 'the zeppelin lands' });
    store.messages.upsert('default', { message }, 'live');
    expect(found('zeppelin')).toEqual([message.id]);
    store.messages.edit('default', message.id!, { body: 'the balloon lands', at: 5 });
    expect(found('zeppelin')).toEqual([]);
    expect(found('balloon')).toEqual([message.id]);
    expect(store.messages.delete('default', message.id!)).toBe(true);
    expect(found('balloon')).toEqual([]);
    expect(store.messages.get('default', message.id!)).toBeNull();
    expect(store.messages.delete('default', message.id!)).toBe(false);
  });

  it('marks a message deleted for everyone without losing its text, and no copy brings it back', () => {
    const message = wireMessage({ body: 'oops wrong chat' });
    store.messages.upsert('default', { message }, 'live');
    // whatsapp-web.js reports the revoked copy with type "revoked" and an empty body.
    const revoked = store.messages.upsert('default', { message: { ...message, type: 'revoked', body: '' } }, 'live').message;
    expect(revoked).toMatchObject({ revoked: true, revokedAt: clock.now(), body: 'oops wrong chat', type: 'chat' });
    expect(store.messages.upsert('default', { message }, 'history').message.revoked).toBe(true);
    expect(store.messages.edit('default', message.id!, { body: 'edited later', at: 10 })).toBeNull();
    expect(store.messages.revoke('default', message.id!)).toBeNull();
  });

  it('fills in what a later copy knows and never erases it with an unknown', () => {
    const message = wireMessage();
    store.messages.upsert('default', { message }, 'history');
    const known = store.messages.upsert('default', { message, senderLid: '20000000001@lid', mentions: ['a@c.us'] }, 'live').message;
    expect(known).toMatchObject({ senderLid: '20000000001@lid', mentions: ['a@c.us'], source: 'history' });
    const again = store.messages.upsert('default', { message, senderLid: null, mentions: [] }, 'live');
    expect(again.changed).toBe(false);
    expect(again.message.senderLid).toBe('20000000001@lid');
  });

  it('upserts a batch in one transaction and says which were new', () => {
    const a = wireMessage();
    store.messages.upsert('default', { message: a }, 'live');
    const results = store.messages.upsertMany('default', [{ message: a }, { message: wireMessage() }, { message: wireMessage() }], 'history');
    expect(results.map((r) => r.created)).toEqual([false, true, true]);
    const before = store.messages.list('default', CHAT, { limit: 100 }).messages.length;
    expect(() => store.messages.upsertMany('default', [{ message: wireMessage() }, { message: wireMessage({ id: null }) }], 'history')).toThrow(/id/);
    expect(store.messages.list('default', CHAT, { limit: 100 }).messages).toHaveLength(before);
  });
});

describe('reading', () => {
  it('lists a chat in WhatsApp’s order even when older messages are imported later, and pages', () => {
    const live = [10, 20, 30].map((t) => wireMessage({ timestamp: 1_767_225_600 + t }));
    store.messages.upsertMany('default', live.map((message) => ({ message })), 'live');
    const history = [1, 2, 3, 15].map((t) => wireMessage({ timestamp: 1_767_225_600 + t }));
    store.messages.upsertMany('default', history.map((message) => ({ message })), 'history');
    // Two in the same second stay in the order they were stored.
    const twin = wireMessage({ timestamp: 1_767_225_600 + 30 });
    store.messages.upsert('default', { message: twin }, 'live');

    const expected = [twin, live[2], live[1], history[3], live[0], history[2], history[1], history[0]].map((m) => m!.id);
    const ids: (string | null)[] = [];
    let before: string | undefined;
    do {
      const page = store.messages.list('default', CHAT, { limit: 3, ...(before ? { before } : {}) });
      ids.push(...page.messages.map((m) => m.id));
      before = page.nextBefore ?? undefined;
    } while (before);
    expect(ids).toEqual(expected);
    expect(store.messages.newestInChat('default', CHAT)).toEqual({ id: twin.id, timestamp: twin.timestamp });
    expect(store.messages.list('default', CHAT, { limit: 3, before: 'no-such-id' }).messages).toEqual([]);
  });

  it('reads one person’s phone-number chat and LID chat as one', () => {
    const lid = '20000000001@lid';
    const a = wireMessage({ from: CHAT, timestamp: 1_767_225_700 });
    const b = wireMessage({ from: lid, timestamp: 1_767_225_800 });
    store.messages.upsertMany('default', [{ message: a }, { message: b }, { message: wireMessage({ from: '15550100002@c.us' }) }], 'live');
    expect(store.messages.list('default', [CHAT, lid], { limit: 10 }).messages.map((m) => m.id)).toEqual([b.id, a.id]);
    expect(store.messages.newestInChat('default', [CHAT, lid])?.id).toBe(b.id);
    expect(store.messages.newestInChat('default', 'nobody@c.us')).toBeNull();
  });

  it('keeps accounts apart', () => {
    const m = wireMessage({ body: 'private words' });
    store.messages.upsert('work', { message: m }, 'live');
    expect(store.messages.get('default', m.id!)).toBeNull();
    expect(store.messages.search('default', { q: 'private', limit: 5 }).hits).toEqual([]);
    expect(store.messages.search('work', { q: 'private', limit: 5 }).hits).toHaveLength(1);
  });
});
