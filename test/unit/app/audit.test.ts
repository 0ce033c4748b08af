import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Audit } from '../../../src/app/audit.js';
import { ownerContext } from '../../../src/app/context.js';
import { silentLogger } from '../../../src/core/logger.js';
import { IN_MEMORY, type Store } from '../../../src/store/index.js';
import { manualClock, open } from '../../helpers/store.js';

const DAY = 24 * 60 * 60_000;
let store: Store;
let clock: ReturnType<typeof manualClock>;
let audit: Audit;
beforeEach(() => {
  clock = manualClock();
  store = open(IN_MEMORY, { now: clock.now });
  audit = new Audit('default', store, silentLogger(), 90, clock.now);
});
afterEach(() => {
  audit.stop();
  store.close();
});

const keyCtx = ownerContext({ client: { kind: 'key', id: 'key_A', name: 'Agent A' }, transport: 'mcp' });

describe('audit', () => {
  it('records who, through which door, what, on what and how it ended', () => {
    audit.record(keyCtx, 'send_message', '15550100001@c.us', 'ok', { outboxId: 'ob_1' });
    audit.record(ownerContext(), 'create_key', 'key_A', 'KEY_NAME_TAKEN');
    expect(audit.list({ limit: 10 }).entries).toEqual([
      expect.objectContaining({ client_kind: 'owner', client_name: 'owner', transport: 'system', action: 'create_key', outcome: 'KEY_NAME_TAKEN', code: 'KEY_NAME_TAKEN' }),
      expect.objectContaining({ client_kind: 'key', client_id: 'key_A', client_name: 'Agent A', transport: 'mcp', target: '15550100001@c.us', outcome: 'ok', code: null, outbox_id: 'ob_1' }),
    ]);
  });

  it('keeps 90 days: start() prunes what is older', () => {
    audit.record(keyCtx, 'send_message', null, 'ok');
    clock.advance(89 * DAY);
    audit.record(keyCtx, 'react', null, 'ok');
    clock.advance(2 * DAY);
    audit.start();
    expect(audit.list({ limit: 10 }).entries.map((e) => e.action)).toEqual(['react']);
  });

  it('never throws: a send that went out is not failed by its audit row', () => {
    store.close();
    expect(() => audit.record(keyCtx, 'send_message', null, 'ok')).not.toThrow();
    store = open(IN_MEMORY);
  });
});
