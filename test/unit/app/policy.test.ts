import { describe, expect, it } from 'vitest';
import type { SendPolicy } from '../../../src/app/context.js';
import { checkCaps, decide, recipientRule, type Decision, type RecipientFacts } from '../../../src/app/policy.js';
import { OPEN_POLICY } from '../../helpers/policy.js';

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const HOUR = 3600;
const nowS = NOW / 1000;

const ALICE = '15550100001@c.us';
const ALICE_LID = '99887766554433@lid';
const STRANGER = '15550100099@c.us';
const GROUP = '120363000000000001@g.us';

/** Keys: each a policy a client key can carry (the rest of the policy stays neutral). */
const base: SendPolicy = OPEN_POLICY;
const KEYS = {
  owner: undefined,
  any: base,
  contacts: { ...base, recipients: 'contacts' },
  allowlist: { ...base, recipients: 'allowlist', allowlist: [ALICE, GROUP] },
  reply_only: { ...base, recipients: 'reply_only' },
  approve_new: { ...base, approve: 'new_recipients' },
  approve_always: { ...base, approve: 'always' },
  quarantine: { ...base, quarantine: true },
  recommended: { ...base, recipients: 'reply_only', approve: 'new_recipients', quarantine: true },
} satisfies Record<string, SendPolicy | undefined>;

/** Recipients, each with what the store and the session know about them. */
const person = (id: string, facts: Partial<RecipientFacts>): RecipientFacts => ({ ids: [id], isGroup: false, isContact: false, lastIncomingAt: null, writtenBefore: false, ...facts });
const RECIPIENTS = {
  // A saved contact who wrote an hour ago, and whom we wrote to before.
  friend: person(ALICE, { isContact: true, lastIncomingAt: nowS - HOUR, writtenBefore: true }),
  // Wrote two days ago: outside a 24 h reply window.
  stale_friend: person(ALICE, { isContact: true, lastIncomingAt: nowS - 48 * HOUR, writtenBefore: true }),
  // The same person as "friend", known here only by their LID from the incoming side.
  friend_by_lid: person(ALICE, { ids: [ALICE, ALICE_LID], isContact: true, lastIncomingAt: nowS - HOUR, writtenBefore: true }),
  // Never wrote, never written to, not a contact: the attacker's number.
  stranger: person(STRANGER, {}),
  // Wrote to us a minute ago but is not saved and we never answered.
  new_writer: person(STRANGER, { lastIncomingAt: nowS - 60 }),
  group: { ids: [GROUP], isGroup: true, isContact: true, lastIncomingAt: nowS - 10 * HOUR, writtenBefore: true },
} satisfies Record<string, RecipientFacts>;

/** History: what the MCP session read (quarantine). */
const HISTORY = {
  rest: undefined,
  fresh_session: new Set<string>(),
  read_alice: new Set([ALICE]),
  read_alice_lid: new Set([ALICE_LID]),
  read_stranger: new Set([STRANGER]),
};

type K = keyof typeof KEYS;
type R = keyof typeof RECIPIENTS;
type H = keyof typeof HISTORY;
const allow: Decision = { verdict: 'allow' };
const deny = (reason: string): Decision => ({ verdict: 'deny', reason } as Decision);
const approve = (reason: string): Decision => ({ verdict: 'approve', reason } as Decision);

const TABLE: [K, R, H, Decision][] = [
  // No policy (owner, window): everything goes.
  ['owner', 'stranger', 'rest', allow],
  ['owner', 'stranger', 'read_alice', allow],
  ['any', 'stranger', 'rest', allow],
  // contacts: saved contacts and groups we are in.
  ['contacts', 'friend', 'rest', allow],
  ['contacts', 'group', 'rest', allow],
  ['contacts', 'stranger', 'rest', deny('not_a_contact')],
  ['contacts', 'new_writer', 'rest', deny('not_a_contact')],
  // allowlist: the listed chats only, whoever wrote.
  ['allowlist', 'friend', 'rest', allow],
  ['allowlist', 'group', 'rest', allow],
  ['allowlist', 'new_writer', 'rest', deny('not_on_allowlist')],
  ['allowlist', 'stranger', 'read_stranger', deny('not_on_allowlist')],
  // reply_only: chats that wrote within the window.
  ['reply_only', 'friend', 'rest', allow],
  ['reply_only', 'new_writer', 'rest', allow],
  ['reply_only', 'group', 'rest', allow],
  ['reply_only', 'stale_friend', 'rest', deny('no_recent_message')],
  ['reply_only', 'stranger', 'read_alice', deny('no_recent_message')],
  // approve: new_recipients holds a first message; always holds every one.
  ['approve_new', 'friend', 'rest', allow],
  ['approve_new', 'new_writer', 'rest', approve('new_recipient')],
  ['approve_new', 'stranger', 'rest', approve('new_recipient')],
  ['approve_always', 'friend', 'rest', approve('always')],
  // quarantine: once the session read someone else's messages, other chats need a person.
  ['quarantine', 'stranger', 'rest', allow],
  ['quarantine', 'stranger', 'fresh_session', allow],
  ['quarantine', 'friend', 'read_alice', allow],
  ['quarantine', 'friend_by_lid', 'read_alice_lid', allow],
  ['quarantine', 'stranger', 'read_alice', approve('quarantine')],
  ['quarantine', 'group', 'read_alice', approve('quarantine')],
  // The recommended agent key: the rule first, then the most telling reason to hold.
  ['recommended', 'stranger', 'read_alice', deny('no_recent_message')],
  ['recommended', 'friend', 'read_alice', allow],
  ['recommended', 'new_writer', 'read_stranger', approve('new_recipient')],
  ['recommended', 'new_writer', 'read_alice', approve('quarantine')],
  ['recommended', 'stale_friend', 'rest', deny('no_recent_message')],
];

describe('decide(policy, recipient, history): key × recipient × history', () => {
  it.each(TABLE)('%s key → %s recipient, session %s', (key, recipient, history, expected) => {
    expect(decide(KEYS[key], RECIPIENTS[recipient], { now: NOW, readUntrustedFrom: HISTORY[history] })).toEqual(expected);
  });

  it('the reply window is the key\'s own: 72 h lets the two-day-old chat through', () => {
    expect(decide({ ...KEYS.reply_only, replyWindowHours: 72 }, RECIPIENTS.stale_friend, { now: NOW })).toEqual(allow);
  });

  it('a contact nobody looked up is not a contact', () => {
    expect(recipientRule(KEYS.contacts, { ...RECIPIENTS.friend, isContact: null }, NOW)).toEqual(deny('not_a_contact'));
  });
});

describe('checkCaps: new recipients per day, messages per chat per minute', () => {
  const capped: SendPolicy = { ...base, maxNewRecipientsPerDay: 2, maxPerChatPerMinute: 3 };
  const facts = { now: NOW, count: 1, newForKey: true, firstSendsLastDay: [] as number[], chatSendsLastMinute: [] as number[] };

  it('no caps, or room left: null', () => {
    expect(checkCaps(base, { ...facts, firstSendsLastDay: [NOW - 1, NOW - 2, NOW - 3], chatSendsLastMinute: [NOW, NOW, NOW] })).toBeNull();
    expect(checkCaps(capped, { ...facts, firstSendsLastDay: [NOW - 1000] })).toBeNull();
    expect(checkCaps(capped, { ...facts, chatSendsLastMinute: [NOW - 1000, NOW - 500] })).toBeNull();
  });

  it('a third new recipient in a day waits until the oldest first send is a day old', () => {
    const verdict = checkCaps(capped, { ...facts, firstSendsLastDay: [NOW - 3_600_000, NOW - 60_000] });
    expect(verdict).toEqual({ cap: 'new_recipients_per_day', limit: 2, retryAfterSeconds: 23 * 3600 });
  });

  it('a recipient the key wrote to before is not new: the daily cap does not apply', () => {
    expect(checkCaps(capped, { ...facts, newForKey: false, firstSendsLastDay: [NOW - 1, NOW - 2] })).toBeNull();
  });

  it('a fourth message to one chat within a minute waits until the oldest is a minute old', () => {
    const verdict = checkCaps(capped, { ...facts, newForKey: false, chatSendsLastMinute: [NOW - 50_000, NOW - 20_000, NOW - 1_000] });
    expect(verdict).toEqual({ cap: 'per_chat_per_minute', limit: 3, retryAfterSeconds: 10 });
  });

  it('a media send counts each file: two files after two sends need the two oldest to age out', () => {
    const verdict = checkCaps(capped, { ...facts, newForKey: false, count: 2, chatSendsLastMinute: [NOW - 50_000, NOW - 20_000] });
    expect(verdict).toEqual({ cap: 'per_chat_per_minute', limit: 3, retryAfterSeconds: 10 });
    expect(checkCaps(capped, { ...facts, newForKey: false, count: 4 })).toMatchObject({ cap: 'per_chat_per_minute', retryAfterSeconds: 60 });
  });
});
