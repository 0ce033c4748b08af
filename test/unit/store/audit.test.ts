import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IN_MEMORY, type NewAuditEntry, type Store } from '../../../src/store/index.js';
import { manualClock, open } from '../../helpers/store.js';

let store: Store;
let clock: ReturnType<typeof manualClock>;
beforeEach(() => {
  clock = manualClock();
  store = open(IN_MEMORY, { now: clock.now });
});
afterEach(() => store.close());

const entry = (over: Partial<NewAuditEntry> = {}) =>
  store.audit.append({ account: 'default', clientKind: 'key', clientId: 'key_A', clientName: 'Agent A', transport: 'rest', action: 'send_message', outcome: 'ok', ...over });

describe('audit repo', () => {
  it('appends with the clock time and lists newest first', () => {
    const first = entry({ target: '15550100001@c.us', outboxId: 'ob_1', detail: { status: 200 } });
    clock.advance(1);
    const second = entry({ clientKind: 'owner', clientId: null, clientName: 'owner', transport: 'mcp', action: 'create_key', outcome: 'ok' });
    expect(first).toMatchObject({ at: clock.now() - 1, target: '15550100001@c.us', outboxId: 'ob_1', code: null, detail: { status: 200 } });
    expect(second.seq).toBeGreaterThan(first.seq);
    expect(store.audit.list('default', { limit: 10 }).entries.map((e) => e.seq)).toEqual([second.seq, first.seq]);
    expect(store.audit.list('other', { limit: 10 }).entries).toEqual([]);
  });

  it('filters by client, action and time, and pages back with before', () => {
    const seqs: number[] = [];
    for (let i = 0; i < 5; i++) {
      seqs.push(entry({ clientId: i % 2 ? 'key_B' : 'key_A', action: i < 3 ? 'send_message' : 'revoke_key' }).seq);
      clock.advance(1000);
    }
    expect(store.audit.list('default', { clientId: 'key_B', limit: 10 }).entries.map((e) => e.seq)).toEqual([seqs[3], seqs[1]]);
    expect(store.audit.list('default', { action: 'revoke_key', limit: 10 }).entries.map((e) => e.seq)).toEqual([seqs[4], seqs[3]]);
    expect(store.audit.list('default', { since: clock.now() - 2000, limit: 10 }).entries.map((e) => e.seq)).toEqual([seqs[4], seqs[3]]);
    const page1 = store.audit.list('default', { limit: 2 });
    expect(page1.entries.map((e) => e.seq)).toEqual([seqs[4], seqs[3]]);
    expect(page1.nextBefore).toBe(seqs[3]);
    const page3 = store.audit.list('default', { limit: 2, before: store.audit.list('default', { limit: 2, before: page1.nextBefore! }).nextBefore! });
    expect(page3).toEqual({ entries: [expect.objectContaining({ seq: seqs[0] })], nextBefore: null });
    expect(() => store.audit.list('default', { limit: 0 })).toThrow(RangeError);
  });

  it('prunes what is older than the cut-off, and only that', () => {
    const old = entry();
    clock.advance(10_000);
    const recent = entry();
    expect(store.audit.prune(clock.now() - 5_000)).toBe(1);
    expect(store.audit.list('default', { limit: 10 }).entries.map((e) => e.seq)).toEqual([recent.seq]);
    expect(old.seq).toBeLessThan(recent.seq);
    expect(store.audit.prune(clock.now() - 5_000)).toBe(0);
  });

  it('refuses a client kind or transport the schema does not know', () => {
    expect(() => entry({ transport: 'carrier-pigeon' as never })).toThrow(/CHECK/);
  });
});
