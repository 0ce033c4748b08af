import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IN_MEMORY, KEY_ID, type Store } from '../../../src/store/index.js';
import { manualClock, open } from '../../helpers/store.js';

let store: Store;
let clock: ReturnType<typeof manualClock>;
beforeEach(() => {
  clock = manualClock();
  store = open(IN_MEMORY, { now: clock.now });
});
afterEach(() => store.close());

const key = (name: string, hash = `hash-${name}`, account = 'default') =>
  store.keys.create({ account, name, keyHash: hash, keyPrefix: 'wak_AbCdEf', scopes: ['read', 'send'], policy: { recipients: 'reply_only', allowlist: [] } });

describe('client keys repo', () => {
  it('creates, finds by hash, gets and lists oldest first', () => {
    const a = key('A');
    clock.advance(5);
    const b = key('B');
    expect(a).toMatchObject({ account: 'default', name: 'A', keyHash: 'hash-A', keyPrefix: 'wak_AbCdEf', scopes: ['read', 'send'], policy: { recipients: 'reply_only', allowlist: [] }, createdAt: clock.now() - 5, lastUsedAt: null, revokedAt: null });
    expect(a.id).toMatch(KEY_ID);
    expect(store.keys.findByHash('hash-B')?.id).toBe(b.id);
    expect(store.keys.findByHash('nope')).toBeNull();
    expect(store.keys.get(a.id)?.name).toBe('A');
    expect(store.keys.get('key_nope')).toBeNull();
    key('other account', 'hash-x', 'work');
    expect(store.keys.list('default').map((k) => k.name)).toEqual(['A', 'B']);
  });

  it('refuses a second key with the same hash', () => {
    key('A', 'same');
    expect(() => key('B', 'same')).toThrow(/UNIQUE/);
  });

  it('revokes once (the first time stays), and a revoked key is no longer touched', () => {
    const a = key('A');
    clock.advance(10);
    expect(store.keys.touch(a.id)).toBe(true);
    expect(store.keys.get(a.id)?.lastUsedAt).toBe(clock.now());
    const revokedAt = clock.now() + 1;
    clock.advance(1);
    expect(store.keys.revoke(a.id)?.revokedAt).toBe(revokedAt);
    clock.advance(100);
    expect(store.keys.revoke(a.id)?.revokedAt).toBe(revokedAt);
    expect(store.keys.touch(a.id)).toBe(false);
    expect(store.keys.findByHash('hash-A')?.revokedAt).toBe(revokedAt);
    expect(store.keys.revoke('key_nope')).toBeNull();
  });
});
