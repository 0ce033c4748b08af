import { describe, expect, it } from 'vitest';
import { requestHash } from '../../../src/app/outbox-payload.js';
import { CLOCK_SLACK_MS, findSentCopy } from '../../../src/app/reconcile.js';
import type { MessageDto } from '../../../src/whatsapp/session.js';

const T = 1_796_000_000_000;
const msg = (id: string, fields: Partial<MessageDto>): MessageDto => ({
  id,
  from: 'me',
  to: 'them',
  author: null,
  from_me: true,
  type: 'chat',
  body: '',
  timestamp: T / 1000,
  has_media: false,
  ack: 'sent',
  quoted_message_id: null,
  mentioned_ids: [],
  media: null,
  edited: false,
  revoked: false,
  sender_phone: null,
  sender_lid: null,
  ...fields,
});

describe('finding a send that was cut off mid-way in its chat', () => {
  const none = () => false;

  it('takes our own message with the same text, sent at or after the attempt', () => {
    const recent = [msg('theirs', { from_me: false, body: 'ok' }), msg('older', { body: 'ok', timestamp: (T - CLOCK_SLACK_MS - 5000) / 1000 }), msg('mine', { body: 'ok' })];
    expect(findSentCopy({ kind: 'text', matchText: 'ok', attemptAt: T }, recent, none)?.id).toBe('mine');
  });

  it('finds nothing when only other texts, other kinds or already recorded copies are there: then it is sent again', () => {
    const recent = [msg('other-text', { body: 'not this' }), msg('a-photo', { type: 'image', body: 'ok', has_media: true }), msg('claimed', { body: 'ok' })];
    expect(findSentCopy({ kind: 'text', matchText: 'ok', attemptAt: T }, recent, (id) => id === 'claimed')).toBeNull();
  });

  it('two identical texts cut off together pair up oldest first, one copy each', () => {
    const recent = [msg('second', { body: 'ok', timestamp: T / 1000 + 2 }), msg('first', { body: 'ok', timestamp: T / 1000 + 1 })];
    const claimed = new Set<string>();
    const a = findSentCopy({ kind: 'text', matchText: 'ok', attemptAt: T }, recent, (id) => claimed.has(id));
    claimed.add(a!.id!);
    const b = findSentCopy({ kind: 'text', matchText: 'ok', attemptAt: T }, recent, (id) => claimed.has(id));
    expect([a?.id, b?.id]).toEqual(['first', 'second']);
  });

  it('media by caption and type; polls by question; a forward by being ours and new', () => {
    const recent = [msg('photo', { type: 'image', body: 'The view', has_media: true }), msg('poll', { type: 'poll_creation', body: 'Sat or Sun?' }), msg('fwd', { type: 'video', body: '' })];
    expect(findSentCopy({ kind: 'media', matchText: 'The view', attemptAt: T }, recent, none)?.id).toBe('photo');
    expect(findSentCopy({ kind: 'poll', matchText: 'Sat or Sun?', attemptAt: T }, recent, none)?.id).toBe('poll');
    expect(findSentCopy({ kind: 'forward', matchText: null, attemptAt: T }, recent, (id) => id !== 'fwd')?.id).toBe('fwd');
  });
});

describe('the request fingerprint behind Idempotency-Key', () => {
  it('is the same for the same request in any field order, and differs for another text, recipient or file', () => {
    const file = (b: string) => ({ data: Buffer.from(b), mimetype: 'image/png', filename: null });
    const base = requestHash('1@c.us', { kind: 'text', text: 'hi', linkPreview: true });
    expect(requestHash('1@c.us', { linkPreview: true, text: 'hi', kind: 'text' })).toBe(base);
    expect(requestHash('1@c.us', { kind: 'text', text: 'hi!', linkPreview: true })).not.toBe(base);
    expect(requestHash('2@c.us', { kind: 'text', text: 'hi', linkPreview: true })).not.toBe(base);
    expect(requestHash('1@c.us', { kind: 'media', file: file('a') })).not.toBe(requestHash('1@c.us', { kind: 'media', file: file('b') }));
  });
});
