import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IN_MEMORY, type Store } from '../../../src/store/index.js';
import { manualClock, open, textEntry, wireMessage } from '../../helpers/store.js';

const ALICE = '15550100001@c.us';
const ALICE_LID = '99887766554433@lid';
const BOB = '15550100002@c.us';
const GROUP = '120363000000000001@g.us';
const KEY = 'key_agent';

let store: Store;
let clock: ReturnType<typeof manualClock>;
beforeEach(() => {
  clock = manualClock();
  store = open(IN_MEMORY, { now: clock.now });
});
afterEach(() => store.close());

const nowS = () => Math.floor(clock.now() / 1000);
const incoming = (chatId: string, timestamp: number, extra: Parameters<typeof wireMessage>[0] = {}) =>
  store.messages.upsert('default', { message: wireMessage({ from: chatId, timestamp, ...extra }), chatId, senderPhone: extra.sender_phone ?? null, senderLid: extra.sender_lid ?? null }, 'live');

describe('outbox holds: awaiting approval until an expiry', () => {
  it('records the hold and its reason, finds it once expired, and forgets the expiry once decided', () => {
    const { entry } = store.outbox.insert(textEntry({ status: 'awaiting_approval', expiresAt: clock.now() + 600_000, approval: { reason: 'quarantine' } }));
    expect(entry).toMatchObject({ status: 'awaiting_approval', expiresAt: clock.now() + 600_000, approval: { reason: 'quarantine' } });
    expect(store.outbox.nextExpiry('default')).toBe(clock.now() + 600_000);
    expect(store.outbox.findExpired('default', clock.now() + 599_999)).toEqual([]);
    expect(store.outbox.findExpired('default', clock.now() + 600_000).map((e) => e.id)).toEqual([entry.id]);

    const approved = store.outbox.transition(entry.id, ['awaiting_approval'], 'queued', { approval: { reason: 'quarantine', decision: 'approved' } });
    expect(approved).toMatchObject({ status: 'queued', expiresAt: null, approval: { decision: 'approved' } });
    expect(store.outbox.nextExpiry('default')).toBeNull();
    expect(store.outbox.findExpired('default', clock.now() + 10 ** 9)).toEqual([]);
  });

  it('a queued send carries no approval', () => {
    expect(store.outbox.insert(textEntry()).entry).toMatchObject({ expiresAt: null, approval: null });
  });
});

describe('send history: what the policies ask of the past', () => {
  it('lastIncoming: the newest message someone else wrote in the window, not ours, not older', () => {
    incoming(ALICE, nowS() - 7200);
    incoming(ALICE, nowS() - 3600);
    store.messages.upsert('default', { message: wireMessage({ from: 'me@c.us', to: ALICE, from_me: true, timestamp: nowS() - 10 }), chatId: ALICE }, 'sent');
    expect(store.outbox.lastIncoming('default', [ALICE], nowS() - 86_400).at).toBe(nowS() - 3600);
    expect(store.outbox.lastIncoming('default', [ALICE], nowS() - 1800).at).toBeNull();
    expect(store.outbox.lastIncoming('default', [BOB], nowS() - 86_400).at).toBeNull();
  });

  it('lastIncoming: a person whose chat is stored under their LID counts as their phone number, and the LID is reported', () => {
    incoming(ALICE_LID, nowS() - 60, { sender_phone: ALICE, sender_lid: ALICE_LID });
    expect(store.outbox.lastIncoming('default', [ALICE], nowS() - 3600)).toEqual({ at: nowS() - 60, otherIds: [ALICE_LID] });
  });

  it('lastIncoming: a member writing in a group is not that member writing to us', () => {
    incoming(GROUP, nowS() - 60, { author: ALICE, sender_phone: ALICE });
    expect(store.outbox.lastIncoming('default', [ALICE], nowS() - 3600).at).toBeNull();
    expect(store.outbox.lastIncoming('default', [GROUP], nowS() - 3600).at).toBe(nowS() - 60);
  });

  it('everWrittenTo: a send that went out, or one of our messages in the chat; not a send still queued or failed', () => {
    const queued = store.outbox.insert(textEntry({ chatId: BOB })).entry;
    store.outbox.transition(queued.id, ['queued'], 'failed', { error: { code: 'X', message: 'x' } });
    expect(store.outbox.everWrittenTo('default', [BOB])).toBe(false);
    const sent = store.outbox.insert(textEntry({ chatId: BOB })).entry;
    store.outbox.transition(sent.id, ['queued'], 'sending');
    store.outbox.transition(sent.id, ['sending'], 'sent', { messageId: 'true_x' });
    expect(store.outbox.everWrittenTo('default', [BOB])).toBe(true);

    expect(store.outbox.everWrittenTo('default', [ALICE])).toBe(false);
    store.messages.upsert('default', { message: wireMessage({ from: 'me@c.us', to: ALICE, from_me: true }), chatId: ALICE }, 'sent');
    expect(store.outbox.everWrittenTo('default', [ALICE])).toBe(true);
  });

  it("per key: whom it wrote to, its first sends of the day, its sends to a chat in the last minute; canceled sends don't count", () => {
    const t0 = clock.now();
    store.outbox.insert(textEntry({ chatId: ALICE, client: KEY }));
    clock.advance(30_000);
    store.outbox.insert(textEntry({ chatId: ALICE, client: KEY }));
    store.outbox.insert(textEntry({ chatId: BOB, client: 'key_other' }));
    const held = store.outbox.insert(textEntry({ chatId: GROUP, client: KEY, status: 'awaiting_approval' })).entry;
    store.outbox.transition(held.id, ['awaiting_approval'], 'canceled');
    clock.advance(40_000);

    expect(store.outbox.clientWroteTo('default', KEY, ALICE)).toBe(true);
    expect(store.outbox.clientWroteTo('default', KEY, BOB)).toBe(false);
    expect(store.outbox.clientWroteTo('default', KEY, GROUP)).toBe(false);
    expect(store.outbox.clientFirstSendsSince('default', KEY, clock.now() - 86_400_000)).toEqual([t0]);
    expect(store.outbox.clientSendsToChatSince('default', KEY, ALICE, clock.now() - 60_000)).toEqual([t0 + 30_000]);

    // A day later, the first send to Alice is out of the day; a new one today counts.
    clock.advance(86_400_000);
    store.outbox.insert(textEntry({ chatId: BOB, client: KEY }));
    expect(store.outbox.clientFirstSendsSince('default', KEY, clock.now() - 86_400_000)).toEqual([clock.now()]);
  });
});

describe('settings', () => {
  it('keeps one JSON value per account and key, replaced on set, gone on remove', () => {
    expect(store.settings.get('default', 'agents_paused')).toBeNull();
    store.settings.set('default', 'agents_paused', { paused: true });
    store.settings.set('other', 'agents_paused', { paused: false });
    store.settings.set('default', 'agents_paused', { paused: true, by: 'owner' });
    expect(store.settings.get('default', 'agents_paused')).toEqual({ paused: true, by: 'owner' });
    expect(store.settings.get('other', 'agents_paused')).toEqual({ paused: false });
    expect(store.settings.remove('default', 'agents_paused')).toBe(true);
    expect(store.settings.remove('default', 'agents_paused')).toBe(false);
    expect(store.settings.get('default', 'agents_paused')).toBeNull();
  });
});
