import { describe, expect, it } from 'vitest';
import type { SendPolicy } from '../../../src/app/context.js';
import { policyLooserThan } from '../../../src/app/key-policy.js';
import { CLIENT_KEY, hashKey, newClientKey, requestedPolicy } from '../../../src/app/keys.js';
import { KEY_DEFAULTS } from '../../../src/app/schemas/keys.js';
import { isAppError } from '../../../src/core/errors.js';

describe('client key generation', () => {
  it('is wak_ + 43 base64url characters of 32 random bytes, different every time', () => {
    const keys = Array.from({ length: 200 }, newClientKey);
    for (const k of keys) {
      expect(k).toMatch(CLIENT_KEY);
      expect(Buffer.from(k.slice(4), 'base64url')).toHaveLength(32);
    }
    expect(new Set(keys).size).toBe(200);
  });

  it('is stored as its SHA-256 in hex', () => {
    // SHA-256("abc"), the FIPS 180-2 test vector.
    expect(hashKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('requested policy', () => {
  it('fills the safe defaults', () => {
    expect(requestedPolicy({ name: 'x' })).toEqual({
      recipients: 'reply_only',
      allowlist: [],
      replyWindowHours: 24,
      approve: 'new_recipients',
      quarantine: true,
      maxNewRecipientsPerDay: 20,
      maxPerChatPerMinute: 6,
    });
    expect(KEY_DEFAULTS.scopes).toEqual(['read', 'send']);
  });

  it('keeps null caps (no cap of its own) apart from omitted ones (the default)', () => {
    expect(requestedPolicy({ name: 'x', max_new_recipients_per_day: null, max_messages_per_chat_per_minute: 2 })).toMatchObject({ maxNewRecipientsPerDay: null, maxPerChatPerMinute: 2 });
  });

  it('refuses, never cleans, an allowlisted number', () => {
    const err = (() => {
      try {
        requestedPolicy({ name: 'x', recipients: 'allowlist', allowlist: ['+1 555 0100 001 ext 2'] });
      } catch (e) {
        return e;
      }
    })();
    expect(isAppError(err) && err.code).toBe('INVALID_PHONE');
  });
});

const base: SendPolicy = { recipients: 'reply_only', allowlist: [], replyWindowHours: 24, approve: 'new_recipients', quarantine: true, maxNewRecipientsPerDay: 20, maxPerChatPerMinute: 6 };
const allow: SendPolicy = { ...base, recipients: 'allowlist', allowlist: ['15550100001@c.us', '120363012345678901@g.us'] };

describe('a key minted by a key is no looser than its creator', () => {
  it.each<[string, SendPolicy, SendPolicy, string | null]>([
    ['the same policy', base, base, null],
    ['stricter everywhere', { ...base, replyWindowHours: 1, approve: 'always', maxNewRecipientsPerDay: 1, maxPerChatPerMinute: 1 }, base, null],
    ['anything under a parent with any', { ...base, recipients: 'contacts' }, { ...base, recipients: 'any' }, null],
    ['any under reply_only', { ...base, recipients: 'any' }, base, 'recipients'],
    ['contacts under allowlist (not comparable)', { ...base, recipients: 'contacts' }, allow, 'recipients'],
    ['a subset of the allowlist', { ...allow, allowlist: ['15550100001@c.us'] }, allow, null],
    ['a number beyond the allowlist', { ...allow, allowlist: ['15550100009@c.us'] }, allow, 'allowlist'],
    ['a longer reply window', { ...base, replyWindowHours: 48 }, base, 'reply_window_hours'],
    ['approve never under new_recipients', { ...base, approve: 'never' }, base, 'approve'],
    ['quarantine off under on', { ...base, quarantine: false }, base, 'quarantine'],
    ['quarantine on under off', base, { ...base, quarantine: false }, null],
    ['no cap under a cap', { ...base, maxNewRecipientsPerDay: null }, base, 'max_new_recipients_per_day'],
    ['a higher per-chat cap', { ...base, maxPerChatPerMinute: 60 }, base, 'max_messages_per_chat_per_minute'],
    ['any cap under no cap', { ...base, maxPerChatPerMinute: 600 }, { ...base, maxPerChatPerMinute: null }, null],
  ])('%s', (_what, child, parent, field) => {
    expect(policyLooserThan(child, parent)?.field ?? null).toBe(field);
  });
});
