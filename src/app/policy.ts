import type { SendPolicy } from './context.js';

/**
 * The send policies of issue 12 as pure decisions: who a client key may write to, which
 * sends a person must approve first, and how fast a key may go. No I/O: `guard.ts` gathers
 * the facts, the tests drive these tables directly.
 */

/** What is known about a recipient when a send is decided. */
export interface RecipientFacts {
  /** The chat id, then the other ids the same person goes by (their LID): one person, one recipient. */
  ids: readonly string[];
  isGroup: boolean;
  /** A saved contact, or a group we are in; null when nobody looked (only `contacts` needs it). */
  isContact: boolean | null;
  /** When the chat last wrote to us, in Unix seconds; null when not within the lookback. */
  lastIncomingAt: number | null;
  /** This account wrote to the chat before (from this bridge, the phone or another device). */
  writtenBefore: boolean;
}

export interface DecisionContext {
  /** Milliseconds since the epoch. */
  now: number;
  /** The chats whose messages from other people this MCP session was shown; undefined outside MCP. */
  readUntrustedFrom?: ReadonlySet<string> | undefined;
}

export type DenyReason = 'not_a_contact' | 'not_on_allowlist' | 'no_recent_message';
export type ApprovalReason = 'quarantine' | 'new_recipient' | 'always';

export type Decision = { verdict: 'allow' } | { verdict: 'deny'; reason: DenyReason } | { verdict: 'approve'; reason: ApprovalReason };

const ALLOW: Decision = { verdict: 'allow' };

/** Whether the key's `recipients` rule lets it write to (or mention) this recipient. */
export function recipientRule(policy: SendPolicy | undefined, r: RecipientFacts, now: number): Decision {
  if (!policy) return ALLOW;
  switch (policy.recipients) {
    case 'any':
      return ALLOW;
    case 'contacts':
      return r.isContact === true ? ALLOW : { verdict: 'deny', reason: 'not_a_contact' };
    case 'allowlist':
      return r.ids.some((id) => policy.allowlist.includes(id)) ? ALLOW : { verdict: 'deny', reason: 'not_on_allowlist' };
    case 'reply_only':
      return r.lastIncomingAt !== null && r.lastIncomingAt * 1000 >= now - policy.replyWindowHours * HOUR_MS ? ALLOW : { verdict: 'deny', reason: 'no_recent_message' };
  }
}

/**
 * allow, deny (nothing is queued) or approve (held for a person). The recipients rule comes
 * first: a send that may not go out at all is not offered for approval. Of the reasons to
 * hold a send, the one that tells the person most is given: quarantine, then a new
 * recipient, then "every send".
 */
export function decide(policy: SendPolicy | undefined, r: RecipientFacts, ctx: DecisionContext): Decision {
  if (!policy) return ALLOW;
  const rule = recipientRule(policy, r, ctx.now);
  if (rule.verdict !== 'allow') return rule;
  const read = ctx.readUntrustedFrom;
  if (policy.quarantine && read && read.size > 0 && !r.ids.some((id) => read.has(id))) return { verdict: 'approve', reason: 'quarantine' };
  if (policy.approve === 'new_recipients' && !r.writtenBefore) return { verdict: 'approve', reason: 'new_recipient' };
  if (policy.approve === 'always') return { verdict: 'approve', reason: 'always' };
  return ALLOW;
}

/** What the caps need: this key's recent sends, in milliseconds since the epoch. */
export interface CapFacts {
  now: number;
  /** How many messages this request adds (the files of a media send are one message each). */
  count: number;
  /** The key never wrote to this recipient: it would be a new one. */
  newForKey: boolean;
  /** When each recipient the key first wrote to in the last 24 hours was first written to. */
  firstSendsLastDay: readonly number[];
  /** When the key's sends to this chat in the last minute were recorded. */
  chatSendsLastMinute: readonly number[];
}

export type CapVerdict = null | { cap: 'new_recipients_per_day' | 'per_chat_per_minute'; limit: number; retryAfterSeconds: number };

/** null when the key's caps allow the send; else which cap it hit and when trying again can work. */
export function checkCaps(policy: SendPolicy | undefined, f: CapFacts): CapVerdict {
  if (!policy) return null;
  const perDay = policy.maxNewRecipientsPerDay;
  if (perDay !== null && f.newForKey && f.firstSendsLastDay.length >= perDay) {
    const oldest = [...f.firstSendsLastDay].sort((a, b) => a - b)[f.firstSendsLastDay.length - perDay] ?? f.now;
    return { cap: 'new_recipients_per_day', limit: perDay, retryAfterSeconds: secondsUntil(oldest + DAY_MS, f.now) };
  }
  const perMinute = policy.maxPerChatPerMinute;
  if (perMinute !== null && f.chatSendsLastMinute.length + f.count > perMinute) {
    if (f.count > perMinute) return { cap: 'per_chat_per_minute', limit: perMinute, retryAfterSeconds: 60 };
    // The sends that must age out before this request fits.
    const sorted = [...f.chatSendsLastMinute].sort((a, b) => a - b);
    const mustAge = sorted[f.chatSendsLastMinute.length + f.count - perMinute - 1] ?? f.now;
    return { cap: 'per_chat_per_minute', limit: perMinute, retryAfterSeconds: secondsUntil(mustAge + MINUTE_MS, f.now) };
  }
  return null;
}

const secondsUntil = (at: number, now: number): number => Math.max(1, Math.ceil((at - now) / 1000));

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
