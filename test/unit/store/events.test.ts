import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENT_ID, IN_MEMORY, type Store } from '../../../src/store/index.js';
import { sqlite } from '../../../src/store/sqlite.js';
import { manualClock, open, tempStore } from '../../helpers/store.js';

let store: Store;
let clock: ReturnType<typeof manualClock>;
beforeEach(() => {
  clock = manualClock();
  store = open(IN_MEMORY, { now: clock.now });
});
afterEach(() => store.close());

const A = '15550100001@c.us';
const B = '15550100002@c.us';

describe('the event log', () => {
  it('hands out increasing cursors and stable ids, and returns events in cursor order', () => {
    const first = store.events.append('default', { type: 'message', chatId: A, payload: { body: 'one' } });
    clock.advance(5);
    const second = store.events.append('default', { type: 'message_ack', chatId: A, payload: { ack: 'read' }, backfilled: true });
    expect(first).toMatchObject({ seq: 1, account: 'default', type: 'message', chatId: A, at: clock.now() - 5, backfilled: false, payload: { body: 'one' } });
    expect(first.id).toMatch(EVENT_ID);
    expect(second.seq).toBeGreaterThan(first.seq);
    expect(second.backfilled).toBe(true);
    expect(store.events.after('default', 0, { limit: 10 })).toEqual([first, second]);
    expect(store.events.after('default', first.seq, { limit: 10 })).toEqual([second]);
    expect(store.events.get(second.seq)).toEqual(second);
    expect(store.events.latestCursor('default')).toBe(second.seq);
  });

  it('keeps the time it is given (WhatsApp’s) and stores events without a chat', () => {
    const e = store.events.append('default', { type: 'status', at: 1_000, payload: { state: 'ready' } });
    expect(e).toMatchObject({ chatId: null, at: 1_000 });
  });

  it('filters by type, by chat, and by both, staying in cursor order', () => {
    const kinds = ['message', 'message_ack', 'message', 'call', 'message_edit', 'message'];
    const all = kinds.map((type, i) => store.events.append('default', { type, chatId: i % 2 ? B : A, payload: { i } }));
    const seqs = (events: { seq: number }[]) => events.map((e) => e.seq);
    expect(seqs(store.events.after('default', 0, { types: ['message'], limit: 10 }))).toEqual(seqs(all.filter((e) => e.type === 'message')));
    expect(seqs(store.events.after('default', 0, { types: ['message_ack', 'call'], limit: 10 }))).toEqual([all[1]!.seq, all[3]!.seq]);
    expect(seqs(store.events.after('default', 0, { chatIds: [B], limit: 10 }))).toEqual(seqs(all.filter((e) => e.chatId === B)));
    expect(seqs(store.events.after('default', 0, { chatIds: [A], types: ['message'], limit: 10 }))).toEqual([all[0]!.seq, all[2]!.seq]);
    expect(seqs(store.events.after('default', all[2]!.seq, { types: ['message'], limit: 10 }))).toEqual([all[5]!.seq]);
    // An empty type list is no filter.
    expect(store.events.after('default', 0, { types: [], limit: 10 })).toHaveLength(6);
  });

  it('pages with limit and keeps accounts apart', () => {
    for (let i = 0; i < 5; i++) store.events.append('default', { type: 'message', payload: { i } });
    store.events.append('work', { type: 'message', payload: {} });
    const page1 = store.events.after('default', 0, { limit: 2 });
    const page2 = store.events.after('default', page1.at(-1)!.seq, { limit: 2 });
    const page3 = store.events.after('default', page2.at(-1)!.seq, { limit: 2 });
    expect([...page1, ...page2, ...page3].map((e) => (e.payload as { i: number }).i)).toEqual([0, 1, 2, 3, 4]);
    expect(store.events.latestCursor('work')).toBe(6);
    expect(store.events.latestCursor('nobody')).toBe(0);
    expect(store.events.after('work', 0, { limit: 10 })).toHaveLength(1);
  });

  it('appends a batch in one transaction: one bad event and none is written', () => {
    store.events.appendMany('default', [{ type: 'a', payload: 1 }, { type: 'b', payload: 2 }]);
    expect(() => store.events.appendMany('default', [{ type: 'c', payload: 3 }, { type: 'd', payload: undefined }])).toThrow(/JSON/);
    expect(store.events.after('default', 0, { limit: 10 }).map((e) => e.type)).toEqual(['a', 'b']);
  });

  it('refuses a bad limit, cursor or type as programming errors', () => {
    expect(() => store.events.after('default', 0, { limit: 0 })).toThrow(RangeError);
    expect(() => store.events.after('default', -1, { limit: 1 })).toThrow(RangeError);
    expect(() => store.events.append('default', { type: '', payload: {} })).toThrow(RangeError);
  });
});

describe('cursors across restarts', () => {
  it('never hands a cursor out twice, even when the newest events were deleted', () => {
    const { file } = tempStore();
    const first = open(file);
    for (let i = 0; i < 3; i++) first.events.append('default', { type: 'message', payload: { i } });
    first.close();
    const db = new (sqlite().DatabaseSync)(file);
    db.exec('DELETE FROM events');
    db.close();
    const again = open(file);
    try {
      // A consumer that had seen seq 3 must not take a new event for one it already has.
      expect(again.events.append('default', { type: 'message', payload: {} }).seq).toBe(4);
    } finally {
      again.close();
    }
  });
});
