import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IN_MEMORY, type Store } from '../../../src/store/index.js';
import { open, wireMessage } from '../../helpers/store.js';

let store: Store;
beforeEach(() => {
  store = open(IN_MEMORY);
});
afterEach(() => store.close());

const eventsOf = () => store.events.after('default', 0, { limit: 100 });

describe('recordIncoming', () => {
  it('stores the message, appends its event in its chat and queues its webhook deliveries, together', () => {
    store.webhooks.create({ account: 'default', url: 'https://x.test' });
    const message = wireMessage({ body: 'hello' });
    const r = store.recordIncoming('default', { type: 'message', payload: { id: message.id } }, { message });
    expect(r.message.created).toBe(true);
    expect(r.event).toMatchObject({ type: 'message', chatId: message.from, backfilled: false });
    expect(r.deliveries).toHaveLength(1);
    expect(store.messages.get('default', message.id!)?.source).toBe('live');
    expect(eventsOf()).toEqual([r.event]);
  });

  it('marks backfilled messages as such, and with ifNew records no second event for a message it has', () => {
    const message = wireMessage();
    store.recordIncoming('default', { type: 'message', payload: {} }, { message });
    const again = store.recordIncoming('default', { type: 'message', backfilled: true, payload: {} }, { message }, { ifNew: true });
    expect(again.event).toBeNull();
    expect(eventsOf()).toHaveLength(1);
    const missed = wireMessage();
    const caught = store.recordIncoming('default', { type: 'message', backfilled: true, payload: {} }, { message: missed }, { ifNew: true });
    expect(caught.event?.backfilled).toBe(true);
    expect(store.messages.get('default', missed.id!)?.source).toBe('backfill');
  });

  it('writes nothing when any part fails: no message without its event', () => {
    const message = wireMessage();
    expect(() => store.recordIncoming('default', { type: 'message', payload: undefined }, { message })).toThrow(/JSON/);
    expect(store.messages.get('default', message.id!)).toBeNull();
    expect(eventsOf()).toEqual([]);
  });
});

describe('transaction', () => {
  it('groups repository calls, and rolls them all back on a throw', () => {
    const message = wireMessage({ from_me: true, ack: 'sent' });
    store.messages.upsert('default', { message }, 'sent');
    store.transaction(() => {
      store.messages.updateAck('default', message.id!, 'read');
      store.record('default', { type: 'message_ack', chatId: message.to, payload: { ack: 'read' } });
    });
    expect(store.messages.get('default', message.id!)?.ack).toBe('read');
    expect(() =>
      store.transaction(() => {
        store.messages.updateAck('default', message.id!, 'played');
        throw new Error('the app failed half-way');
      }),
    ).toThrow('half-way');
    expect(store.messages.get('default', message.id!)?.ack).toBe('read');
    expect(eventsOf()).toHaveLength(1);
  });

  it('refuses an async function, which would commit before its work is done', () => {
    expect(() => store.transaction(async () => store.record('default', { type: 'x', payload: {} }))).toThrow(/synchronous/);
    expect(eventsOf()).toEqual([]);
  });
});
