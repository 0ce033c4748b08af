import { describe, expect, it } from 'vitest';
import { ackSources, ackStatus, canTransition, isSettled, OUTBOX_STATUSES, SETTLED_STATUSES, TRANSITIONS } from '../../../src/store/outbox-states.js';

describe('outbox state machine', () => {
  it('walks the whole happy path, acks included', () => {
    const path = ['queued', 'sending', 'sent', 'delivered', 'read'] as const;
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1]!, path[i]!)).toBe(true);
    expect(canTransition('awaiting_approval', 'queued')).toBe(true);
  });

  it('never leaves read, failed or canceled', () => {
    for (const end of ['read', 'failed', 'canceled'] as const) expect(TRANSITIONS[end]).toEqual([]);
  });

  it('puts a send back in the queue only from sending, never once WhatsApp has it', () => {
    const toQueued = OUTBOX_STATUSES.filter((s) => canTransition(s, 'queued'));
    expect(toQueued.sort()).toEqual(['awaiting_approval', 'sending']);
  });

  it('lets nothing return to awaiting approval, and cancels only what has not started', () => {
    expect(OUTBOX_STATUSES.filter((s) => canTransition(s, 'awaiting_approval'))).toEqual([]);
    expect(OUTBOX_STATUSES.filter((s) => canTransition(s, 'canceled')).sort()).toEqual(['awaiting_approval', 'queued']);
  });

  it('names only known statuses in its table', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...OUTBOX_STATUSES].sort());
    for (const targets of Object.values(TRANSITIONS)) for (const t of targets) expect(OUTBOX_STATUSES).toContain(t);
  });

  it('counts as settled exactly what needs no more media bytes', () => {
    expect([...SETTLED_STATUSES].sort()).toEqual(['canceled', 'delivered', 'failed', 'read', 'sent']);
    expect(isSettled('sending')).toBe(false);
    expect(isSettled('queued')).toBe(false);
    expect(isSettled('awaiting_approval')).toBe(false);
  });

  it('moves acks only forwards, a played voice note counting as read', () => {
    expect(ackStatus('played')).toBe('read');
    expect(ackSources('sent')).toEqual(['sending']);
    expect(ackSources('delivered')).toEqual(['sending', 'sent']);
    expect(ackSources('read')).toEqual(['sending', 'sent', 'delivered']);
    expect(ackSources('played')).toEqual(ackSources('read'));
  });
});
