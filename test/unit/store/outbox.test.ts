import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IDEMPOTENCY_RETENTION_MS, IN_MEMORY, OUTBOX_ID, type Store } from '../../../src/store/index.js';
import { manualClock, open, tempStore, textEntry } from '../../helpers/store.js';

let store: Store;
let clock: ReturnType<typeof manualClock>;
beforeEach(() => {
  clock = manualClock();
  store = open(IN_MEMORY, { now: clock.now });
});
afterEach(() => store.close());

describe('insert', () => {
  it('records a queued send with its content and the time', () => {
    const { entry, created } = store.outbox.insert(textEntry({ client: 'key_ci', payload: { text: 'Hi Alice', mentions: [] }, matchText: 'Hi Alice' }));
    expect(created).toBe(true);
    expect(entry.id).toMatch(OUTBOX_ID);
    expect(entry).toMatchObject({
      account: 'default',
      client: 'key_ci',
      kind: 'text',
      status: 'queued',
      attempts: 0,
      payload: { text: 'Hi Alice', mentions: [] },
      matchText: 'Hi Alice',
      messageId: null,
      createdAt: clock.now(),
      updatedAt: clock.now(),
      sentAt: null,
    });
    expect(store.outbox.get(entry.id)).toEqual(entry);
  });

  it('can hold a send for approval instead of queueing it', () => {
    const { entry } = store.outbox.insert(textEntry({ status: 'awaiting_approval' }));
    expect(entry.status).toBe('awaiting_approval');
    expect(store.outbox.nextQueued('default')).toBeNull();
  });

  it('refuses a payload JSON cannot hold, writing nothing', () => {
    expect(() => store.outbox.insert(textEntry({ payload: undefined }))).toThrow(/JSON/);
    expect(store.outbox.list({ account: 'default', limit: 10 }).entries).toEqual([]);
  });
});

describe('idempotency', () => {
  it('answers a retry with the same key and request with the first entry, never a second one', () => {
    const first = store.outbox.insert(textEntry({ idempotencyKey: 'k-1', requestHash: 'h-a' }));
    const retry = store.outbox.insert(textEntry({ idempotencyKey: 'k-1', requestHash: 'h-a' }));
    expect(retry).toEqual({ entry: first.entry, created: false, sameRequest: true });
    expect(store.outbox.list({ account: 'default', limit: 10 }).entries).toHaveLength(1);
  });

  it('flags the same key with a different request as a conflict, keeping the first entry', () => {
    const first = store.outbox.insert(textEntry({ idempotencyKey: 'k-2', requestHash: 'h-a' }));
    const other = store.outbox.insert(textEntry({ idempotencyKey: 'k-2', requestHash: 'h-b' }));
    expect(other).toEqual({ entry: first.entry, created: false, sameRequest: false });
  });

  it('keeps keys apart per account, and entries without a key are always new', () => {
    const a = store.outbox.insert(textEntry({ idempotencyKey: 'k-3', requestHash: 'h' }));
    const b = store.outbox.insert(textEntry({ idempotencyKey: 'k-3', requestHash: 'h', account: 'work' }));
    expect(b.created).toBe(true);
    expect(b.entry.id).not.toBe(a.entry.id);
    const n1 = store.outbox.insert(textEntry({ requestHash: 'same' }));
    const n2 = store.outbox.insert(textEntry({ requestHash: 'same' }));
    expect(n2.created).toBe(true);
    expect(n2.entry.id).not.toBe(n1.entry.id);
  });

  it('keeps keys at least 24 h and then forgets only those of settled sends', () => {
    const settled = store.outbox.insert(textEntry({ idempotencyKey: 'old-sent', requestHash: 'h' })).entry;
    const waiting = store.outbox.insert(textEntry({ idempotencyKey: 'old-queued', requestHash: 'h' })).entry;
    store.outbox.transition(settled.id, ['queued'], 'sending');
    store.outbox.transition(settled.id, ['sending'], 'sent', { messageId: 'm-old' });
    clock.advance(IDEMPOTENCY_RETENTION_MS - 1);
    expect(() => store.outbox.pruneIdempotency(clock.now())).toThrow(/24 h/);
    expect(store.outbox.pruneIdempotency(clock.now() - IDEMPOTENCY_RETENTION_MS)).toBe(0);
    clock.advance(2);
    expect(store.outbox.pruneIdempotency(clock.now() - IDEMPOTENCY_RETENTION_MS)).toBe(1);
    // The settled send's key is free again; the queued one still answers retries.
    expect(store.outbox.insert(textEntry({ idempotencyKey: 'old-sent', requestHash: 'h' })).created).toBe(true);
    expect(store.outbox.insert(textEntry({ idempotencyKey: 'old-queued', requestHash: 'h' })).entry.id).toBe(waiting.id);
    expect(store.outbox.get(settled.id)?.status).toBe('sent');
  });
});

describe('transition (compare-and-set)', () => {
  it('moves only from the expected statuses, and only one of two racing claims wins', () => {
    const { entry } = store.outbox.insert(textEntry());
    clock.advance(5);
    const claimed = store.outbox.transition(entry.id, ['queued'], 'sending');
    expect(claimed).toMatchObject({ status: 'sending', attempts: 1, attemptAt: clock.now(), updatedAt: clock.now() });
    expect(store.outbox.transition(entry.id, ['queued'], 'sending')).toBeNull();
    expect(store.outbox.get(entry.id)).toEqual(claimed);
  });

  it('records the message id and the time of sending, and counts every attempt', () => {
    const { entry } = store.outbox.insert(textEntry());
    store.outbox.transition(entry.id, ['queued'], 'sending');
    const back = store.outbox.transition(entry.id, ['sending'], 'queued', { error: { code: 'WA_DISCONNECTED', message: 'reconnecting' } });
    expect(back).toMatchObject({ status: 'queued', errorCode: 'WA_DISCONNECTED', errorMessage: 'reconnecting' });
    clock.advance(1_000);
    store.outbox.transition(entry.id, ['queued'], 'sending');
    const sent = store.outbox.transition(entry.id, ['sending'], 'sent', { messageId: 'true_1555@c.us_3EB0AA', error: null });
    expect(sent).toMatchObject({ status: 'sent', attempts: 2, messageId: 'true_1555@c.us_3EB0AA', sentAt: clock.now(), errorCode: null, errorMessage: null });
  });

  it('keeps an error that a later move does not mention', () => {
    const { entry } = store.outbox.insert(textEntry());
    store.outbox.transition(entry.id, ['queued'], 'sending');
    const failed = store.outbox.transition(entry.id, ['sending'], 'failed', { error: { code: 'WA_SEND_FAILED', message: 'no such chat' } });
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'WA_SEND_FAILED', sentAt: null });
  });

  it('refuses a move the state machine does not allow, whatever the entry', () => {
    const { entry } = store.outbox.insert(textEntry());
    expect(() => store.outbox.transition(entry.id, ['read'], 'queued')).toThrow(RangeError);
    expect(() => store.outbox.transition(entry.id, ['queued', 'sent'], 'canceled')).toThrow(/sent → canceled/);
    expect(store.outbox.get(entry.id)?.status).toBe('queued');
  });

  it('answers null for an unknown id', () => {
    expect(store.outbox.transition('ob_00000000000000000000000000', ['queued'], 'sending')).toBeNull();
  });
});

describe('queue order and crash recovery reads', () => {
  it('gives queued sends in creation order even when the clock steps back', () => {
    const first = store.outbox.insert(textEntry()).entry;
    clock.advance(-60_000);
    const second = store.outbox.insert(textEntry()).entry;
    expect(store.outbox.nextQueued('default')?.id).toBe(first.id);
    store.outbox.transition(first.id, ['queued'], 'canceled');
    expect(store.outbox.nextQueued('default')?.id).toBe(second.id);
    expect(store.outbox.nextQueued('work')).toBeNull();
  });

  it('lists what was sending, oldest first, per account', () => {
    const ids = [0, 1, 2, 3].map(() => store.outbox.insert(textEntry()).entry.id);
    const other = store.outbox.insert(textEntry({ account: 'work' })).entry.id;
    for (const id of [ids[2]!, ids[0]!, other]) store.outbox.transition(id, ['queued'], 'sending');
    expect(store.outbox.findByStatus('default', 'sending').map((e) => e.id)).toEqual([ids[0], ids[2]]);
    expect(store.outbox.findByStatus('work', 'sending').map((e) => e.id)).toEqual([other]);
  });
});

describe('list', () => {
  it('pages newest first with a cursor, every entry exactly once', () => {
    const ids = Array.from({ length: 23 }, () => store.outbox.insert(textEntry()).entry.id);
    const seen: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = store.outbox.list({ account: 'default', limit: 5, ...(before ? { before } : {}) });
      seen.push(...page.entries.map((e) => e.id));
      if (!page.nextBefore) break;
      before = page.nextBefore;
    }
    expect(seen).toEqual([...ids].reverse());
  });

  it('filters by status and chat, and keeps accounts apart', () => {
    const a = store.outbox.insert(textEntry({ chatId: 'a@c.us' })).entry;
    const b = store.outbox.insert(textEntry({ chatId: 'b@c.us' })).entry;
    store.outbox.insert(textEntry({ chatId: 'a@c.us', account: 'work' }));
    store.outbox.transition(b.id, ['queued'], 'canceled');
    const list = (q: { status?: 'queued' | 'canceled'; chatId?: string }) => store.outbox.list({ account: 'default', limit: 10, ...q }).entries.map((e) => e.id);
    expect(list({ chatId: 'a@c.us' })).toEqual([a.id]);
    expect(list({ status: 'canceled' })).toEqual([b.id]);
    expect(list({ status: 'queued', chatId: 'b@c.us' })).toEqual([]);
    expect(list({})).toEqual([b.id, a.id]);
  });

  it('gives an empty page for an unknown cursor and refuses a limit out of range', () => {
    store.outbox.insert(textEntry());
    expect(store.outbox.list({ account: 'default', limit: 5, before: 'ob_nope' })).toEqual({ entries: [], nextBefore: null });
    expect(() => store.outbox.list({ account: 'default', limit: 0 })).toThrow(RangeError);
    expect(() => store.outbox.list({ account: 'default', limit: 501 })).toThrow(RangeError);
  });
});

describe('updateAck', () => {
  function sentEntry(messageId: string) {
    const { entry } = store.outbox.insert(textEntry());
    store.outbox.transition(entry.id, ['queued'], 'sending');
    return store.outbox.transition(entry.id, ['sending'], 'sent', { messageId })!;
  }

  it('advances sent → delivered → read, a played voice note counting as read', () => {
    const e = sentEntry('m-1');
    expect(store.outbox.updateAck('default', 'm-1', 'delivered')?.status).toBe('delivered');
    expect(store.outbox.updateAck('default', 'm-1', 'played')?.status).toBe('read');
    expect(store.outbox.get(e.id)?.sentAt).toBe(e.sentAt);
  });

  it('ignores a late or repeated receipt, an unknown message and another account', () => {
    sentEntry('m-2');
    store.outbox.updateAck('default', 'm-2', 'read');
    expect(store.outbox.updateAck('default', 'm-2', 'delivered')).toBeNull();
    expect(store.outbox.updateAck('default', 'm-2', 'read')).toBeNull();
    expect(store.outbox.updateAck('default', 'm-unknown', 'read')).toBeNull();
    expect(store.outbox.updateAck('work', 'm-2', 'read')).toBeNull();
    expect(store.outbox.getByMessageId('default', 'm-2')?.status).toBe('read');
  });
});

describe('on disk', () => {
  it('keeps transitions across reopen', () => {
    const { file } = tempStore();
    const first = open(file);
    const { entry } = first.outbox.insert(textEntry({ idempotencyKey: 'disk' }));
    first.outbox.transition(entry.id, ['queued'], 'sending');
    first.close();
    const again = open(file);
    expect(again.outbox.findByStatus('default', 'sending').map((e) => e.id)).toEqual([entry.id]);
    expect(again.outbox.insert(textEntry({ idempotencyKey: 'disk', requestHash: entry.requestHash })).created).toBe(false);
    again.close();
  });
});
