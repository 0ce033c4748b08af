import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DELIVERY_ID, IN_MEMORY, WEBHOOK_ID, WEBHOOK_SECRET, type Store } from '../../../src/store/index.js';
import { manualClock, open } from '../../helpers/store.js';

let store: Store;
let clock: ReturnType<typeof manualClock>;
beforeEach(() => {
  clock = manualClock();
  store = open(IN_MEMORY, { now: clock.now });
});
afterEach(() => store.close());

const A = '15550100001@c.us';
const B = '15550100002@c.us';
const A_LID = '185000000000001@lid';
const hook = (extra: { events?: string[] | null; chatId?: string | null; chatIds?: string[]; account?: string } = {}) =>
  store.webhooks.create({ account: extra.account ?? 'default', url: 'https://example.test/hook', events: extra.events ?? null, chatId: extra.chatId ?? null, ...(extra.chatIds ? { chatIds: extra.chatIds } : {}) });
/** Records an event the way the app layer does (event + its deliveries). */
const event = (chatId: string | null, type = 'message') => store.record('default', { type, chatId, payload: { chatId } });
const dueIds = (limit = 50) => store.deliveries.due(clock.now(), limit).map((d) => d.delivery.id);

describe('webhooks', () => {
  it('are created with a generated Standard Webhooks secret and listed, edited and deleted', () => {
    const w = hook({ events: ['message', 'message', 'message_ack'] });
    expect(w).toMatchObject({ account: 'default', url: 'https://example.test/hook', events: ['message', 'message_ack'], chatId: null, enabled: true, failureCount: 0 });
    expect(w.id).toMatch(WEBHOOK_ID);
    expect(w.secret).toMatch(WEBHOOK_SECRET);
    expect(Buffer.from(w.secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(hook().secret).not.toBe(w.secret);
    expect(store.webhooks.list('default').map((x) => x.id)).toHaveLength(2);
    clock.advance(10);
    const edited = store.webhooks.update(w.id, { url: 'http://127.0.0.1:9000/in', events: null, chatId: A });
    expect(edited).toMatchObject({ url: 'http://127.0.0.1:9000/in', events: null, chatId: A, secret: w.secret, updatedAt: clock.now() });
    expect(store.webhooks.update('wh_nope', { url: 'x' })).toBeNull();
    expect(store.webhooks.delete(w.id)).toBe(true);
    expect(store.webhooks.get(w.id)).toBeNull();
    expect(store.webhooks.delete(w.id)).toBe(false);
  });

  it('keep a secret brought by a config entry, and refuse an empty event list', () => {
    expect(store.webhooks.create({ account: 'default', url: 'https://x.test', secret: 'whsec_AAAA' }).secret).toBe('whsec_AAAA');
    expect(() => hook({ events: [] })).toThrow(RangeError);
  });

  it('record why they were disabled; enabling again clears it and the failures', () => {
    const w = hook();
    const e = event(A);
    store.deliveries.markFailed(e.deliveries[0]!.id, { nextAttemptAt: clock.now(), error: 'HTTP 500', statusCode: 500 });
    expect(store.webhooks.update(w.id, { enabled: false, disabledReason: 'failed 20 times in a row' })).toMatchObject({ enabled: false, disabledReason: 'failed 20 times in a row', failureCount: 1 });
    expect(store.webhooks.update(w.id, { enabled: true })).toMatchObject({ enabled: true, disabledReason: null, failureCount: 0 });
  });
});

describe('enqueueing deliveries', () => {
  it('creates one per enabled webhook that wants the event’s type and chat', () => {
    const all = hook();
    const messagesOnly = hook({ events: ['message'] });
    const chatA = hook({ chatId: A });
    const off = hook();
    store.webhooks.update(off.id, { enabled: false });
    hook({ account: 'work' });

    const byHook = (r: ReturnType<typeof event>) => r.deliveries.map((d) => d.webhookId).sort();
    expect(byHook(event(A))).toEqual([all.id, messagesOnly.id, chatA.id].sort());
    expect(byHook(event(B, 'message_ack'))).toEqual([all.id]);
    // An event without a chat goes only to webhooks without a chat filter.
    expect(byHook(event(null, 'status'))).toEqual([all.id]);
    const d = event(A).deliveries[0]!;
    expect(d).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: clock.now(), chatId: A });
    expect(d.id).toMatch(DELIVERY_ID);
  });

  it("a chat filter takes the events of every chat it stands for (a person's phone-number chat and LID chat), no other", () => {
    const person = hook({ chatId: A, chatIds: [A_LID] });
    expect(person).toMatchObject({ chatId: A, chatIds: [A, A_LID] });
    expect(hook({ chatId: B }).chatIds).toEqual([B]);
    const byHook = (r: ReturnType<typeof event>) => r.deliveries.map((d) => d.webhookId);
    expect(byHook(event(A_LID))).toEqual([person.id]);
    expect(byHook(event(A, 'message_ack'))).toEqual([person.id]);
    expect(byHook(event('185000000000002@lid'))).toEqual([]);
    // More chats for the same filter keep its id first; a new filter brings only its own.
    const b = hook({ chatId: B });
    expect(store.webhooks.update(b.id, { chatIds: ['185000000000002@lid'] })?.chatIds).toEqual([B, '185000000000002@lid']);
    expect(byHook(event('185000000000002@lid'))).toEqual([b.id]);
    expect(store.webhooks.update(person.id, { chatId: B })).toMatchObject({ chatId: B, chatIds: [B] });
    expect(byHook(event(A_LID))).toEqual([]);
    expect(store.webhooks.update(person.id, { chatId: null })).toMatchObject({ chatId: null, chatIds: null });
  });

  it('never creates a second delivery of one event to one webhook', () => {
    hook();
    const e = event(A);
    expect(store.deliveries.enqueueFor(e.event)).toEqual([]);
    expect(store.deliveries.list(e.deliveries[0]!.webhookId, { limit: 10 }).deliveries).toHaveLength(1);
  });

  it('cascades away with its webhook', () => {
    const w = hook();
    const d = event(A).deliveries[0]!;
    store.webhooks.delete(w.id);
    expect(store.deliveries.get(d.id)).toBeNull();
  });
});

describe('due deliveries', () => {
  it('come with their webhook and event, one per (webhook, chat), oldest event first', () => {
    const w = hook();
    const a1 = event(A);
    const b1 = event(B);
    event(A);
    const due = store.deliveries.due(clock.now(), 10);
    expect(due.map((d) => d.delivery.id)).toEqual([a1.deliveries[0]!.id, b1.deliveries[0]!.id]);
    expect(due[0]!.webhook).toEqual(w);
    expect(due[0]!.event).toEqual(a1.event);
  });

  it('keep each chat in order: a failed one holds back its chat until its retry, not the other chats', () => {
    hook();
    const [a1, a2, a3] = [event(A), event(A), event(A)].map((r) => r.deliveries[0]!.id);
    const b1 = event(B).deliveries[0]!.id;
    const noChat = event(null, 'status').deliveries[0]!.id;
    expect(dueIds()).toEqual([a1, b1, noChat]);

    const retryAt = clock.now() + 30_000;
    const failed = store.deliveries.markFailed(a1!, { nextAttemptAt: retryAt, statusCode: 503, error: 'HTTP 503' });
    expect(failed).toMatchObject({ delivery: { status: 'failed', attempts: 1, nextAttemptAt: retryAt, lastStatusCode: 503, lastError: 'HTTP 503' }, failureCount: 1 });
    store.deliveries.markDelivered(b1, { statusCode: 204 });
    // A's next ones wait behind the failed one; B and the chat-less queue go on.
    expect(dueIds()).toEqual([noChat]);

    clock.advance(30_000);
    expect(dueIds()).toEqual([noChat, a1]);
    const delivered = store.deliveries.markDelivered(a1!, { statusCode: 200 });
    expect(delivered).toMatchObject({ status: 'delivered', attempts: 2, deliveredAt: clock.now(), lastStatusCode: 200, lastError: null });
    expect(dueIds()).toEqual([a2, noChat]);
    // Abandoning one lets the next of its chat go.
    store.deliveries.abandon(a2!, 'retries ran out after 24 h');
    expect(dueIds()).toContain(a3);
    expect(store.deliveries.get(a2!)).toMatchObject({ status: 'abandoned', lastError: 'retries ran out after 24 h' });
  });

  it('are marked only while outstanding', () => {
    hook();
    const d = event(A).deliveries[0]!.id;
    store.deliveries.markDelivered(d, { statusCode: 200 });
    expect(store.deliveries.markFailed(d, { nextAttemptAt: 0, error: 'late' })).toBeNull();
    expect(store.deliveries.markDelivered(d, { statusCode: 200 })).toBeNull();
    expect(store.deliveries.abandon(d, 'x')).toBeNull();
  });

  it('count a webhook’s failures in a row, reset by a delivered one', () => {
    const w = hook();
    const ds = [event(A), event(B), event('c@c.us')].map((r) => r.deliveries[0]!.id);
    expect(store.deliveries.markFailed(ds[0]!, { nextAttemptAt: 0, error: 'timeout' })?.failureCount).toBe(1);
    expect(store.deliveries.markFailed(ds[1]!, { nextAttemptAt: 0, error: 'timeout' })?.failureCount).toBe(2);
    store.deliveries.markDelivered(ds[2]!, { statusCode: 200 });
    expect(store.webhooks.get(w.id)?.failureCount).toBe(0);
  });

  it('skip disabled webhooks and resume where they were when enabled again', () => {
    const w = hook();
    const d = event(A).deliveries[0]!.id;
    store.webhooks.update(w.id, { enabled: false, disabledReason: 'paused' });
    expect(dueIds()).toEqual([]);
    store.webhooks.update(w.id, { enabled: true });
    expect(dueIds()).toEqual([d]);
  });

  it('find the head of each queue behind a long backlog, up to the limit', () => {
    const w1 = hook();
    const w2 = hook({ events: ['message'] });
    const chats = Array.from({ length: 30 }, (_, i) => `1555010${String(i).padStart(4, '0')}@c.us`);
    for (let round = 0; round < 20; round++) for (const c of chats) event(c);
    const due = store.deliveries.due(clock.now(), 1_000);
    expect(due).toHaveLength(60);
    expect(new Set(due.map((d) => `${d.webhook.id} ${d.delivery.chatId}`)).size).toBe(60);
    expect(due.every((d) => d.event.seq <= 30)).toBe(true);
    expect(store.deliveries.due(clock.now(), 7)).toHaveLength(7);
    expect(new Set(due.map((d) => d.webhook.id))).toEqual(new Set([w1.id, w2.id]));
  });
});

describe('the delivery log', () => {
  it('lists a webhook’s deliveries newest first, by page', () => {
    const w = hook();
    const ids = Array.from({ length: 5 }, () => event(A).deliveries[0]!.id);
    const first = store.deliveries.list(w.id, { limit: 3 });
    expect(first.deliveries.map((d) => d.id)).toEqual(ids.slice(2).reverse());
    const second = store.deliveries.list(w.id, { limit: 3, before: first.nextBefore! });
    expect(second).toEqual({ deliveries: expect.any(Array), nextBefore: null });
    expect(second.deliveries.map((d) => d.id)).toEqual(ids.slice(0, 2).reverse());
  });
});
