import { AppError } from '../core/errors.js';
import type { Store } from '../store/index.js';
import type { WhatsAppSession } from '../whatsapp/session.js';
import type { RequestContext, SendPolicy } from './context.js';
import { checkCaps, DAY_MS, decide, HOUR_MS, MINUTE_MS, recipientRule, type ApprovalReason, type DenyReason, type RecipientFacts } from './policy.js';

/** Where a send goes, as the send path resolved it. */
export interface GuardTarget {
  /** What the answer calls the recipient: digits, or the group id. */
  to: string;
  chatId: string;
  isGroup: boolean;
}

export interface GuardRequest {
  /** Messages this request adds (a media send: one per file). */
  count: number;
  /** The chat ids of everyone the message mentions. */
  mentions?: readonly string[] | undefined;
}

/** Contacts a number search can return that contain the digits but are someone else. */
const CONTACT_CANDIDATES = 20;

/**
 * Enforces a client key's send policy before anything reaches the outbox (issue 12): gathers
 * the facts `policy.ts` decides on (the session for contacts and groups, the store for who
 * wrote when), throws RECIPIENT_NOT_ALLOWED or RATE_LIMITED, or answers whether a person
 * must approve the send first. A caller without a policy (the owner, the window) passes.
 */
export class SendGuard {
  constructor(
    private readonly account: string,
    private readonly store: Store,
    private readonly session: WhatsAppSession,
    private readonly now: () => number = Date.now,
  ) {}

  /** null: send it; otherwise the reason it waits for a person. */
  async check(ctx: RequestContext, target: GuardTarget, req: GuardRequest): Promise<ApprovalReason | null> {
    const policy = ctx.client.policy;
    if (!policy) return null;
    const now = this.now();
    const facts = await this.facts(policy, target.chatId, target.isGroup, now);
    const decision = decide(policy, facts, { now, readUntrustedFrom: ctx.session?.readUntrustedFrom });
    if (decision.verdict === 'deny') throw notAllowed(ctx, policy, named(target.to), decision.reason);
    for (const mentioned of req.mentions ?? []) {
      if (mentioned === target.chatId) continue;
      const rule = recipientRule(policy, await this.facts(policy, mentioned, false, now), now);
      if (rule.verdict === 'deny') throw notAllowed(ctx, policy, `the mention of ${named(mentioned.replace(/@.*/, ''))}`, rule.reason);
    }
    this.checkCaps(ctx, policy, target, req.count, now);
    return decision.verdict === 'approve' ? decision.reason : null;
  }

  private async facts(policy: SendPolicy, chatId: string, isGroup: boolean, now: number): Promise<RecipientFacts> {
    let ids: string[] = [chatId];
    let lastIncomingAt: number | null = null;
    if (policy.recipients === 'reply_only') {
      const found = this.store.outbox.lastIncoming(this.account, ids, Math.floor((now - policy.replyWindowHours * HOUR_MS) / 1000));
      lastIncomingAt = found.at;
      ids = [...ids, ...found.otherIds];
    }
    const isContact = policy.recipients === 'contacts' ? await this.isContact(chatId, isGroup) : null;
    const writtenBefore = policy.approve === 'new_recipients' ? this.store.outbox.everWrittenTo(this.account, ids) : true;
    return { ids, isGroup, isContact, lastIncomingAt, writtenBefore };
  }

  /** A saved contact (WhatsApp Web's isMyContact), or a group we are in. */
  private async isContact(chatId: string, isGroup: boolean): Promise<boolean> {
    await this.session.waitUntilReady();
    if (isGroup) return (await this.session.groupParticipants(chatId)) !== null;
    const digits = chatId.replace(/@.*/, '');
    const found = await this.session.searchContacts(digits, CONTACT_CANDIDATES);
    return found.some((c) => c.id === chatId && c.is_my_contact);
  }

  private checkCaps(ctx: RequestContext, policy: SendPolicy, target: GuardTarget, count: number, now: number): void {
    const key = ctx.client.id;
    if (key === null || (policy.maxNewRecipientsPerDay === null && policy.maxPerChatPerMinute === null)) return;
    const history = this.store.outbox;
    const newForKey = !history.clientWroteTo(this.account, key, target.chatId);
    const hit = checkCaps(policy, {
      now,
      count,
      newForKey,
      firstSendsLastDay: policy.maxNewRecipientsPerDay !== null && newForKey ? history.clientFirstSendsSince(this.account, key, now - DAY_MS) : [],
      chatSendsLastMinute: policy.maxPerChatPerMinute !== null ? history.clientSendsToChatSince(this.account, key, target.chatId, now - MINUTE_MS) : [],
    });
    if (!hit) return;
    const what =
      hit.cap === 'new_recipients_per_day'
        ? `This client key may write to ${hit.limit} new recipient${hit.limit === 1 ? '' : 's'} a day, and ${named(target.to)} would be one more`
        : `This client key may send ${hit.limit} message${hit.limit === 1 ? '' : 's'} a minute to one chat`;
    throw new AppError('RATE_LIMITED', `${what}. Nothing was sent; try again in ${hit.retryAfterSeconds} s.`, {
      retryAfterSeconds: hit.retryAfterSeconds,
      cap: hit.cap,
    });
  }
}

const named = (to: string): string => (to.endsWith('@g.us') ? `the group ${to}` : `+${to}`);

const RULES: Readonly<Record<DenyReason, (p: SendPolicy) => string>> = {
  not_a_contact: () => 'is not one of your saved contacts or a group you are in, and this client key may only write to those (recipients: contacts)',
  not_on_allowlist: () => 'is not on the allowlist of this client key (recipients: allowlist)',
  no_recent_message: (p) => `has not written to you in the last ${p.replyWindowHours} hours, and this client key may only reply to chats that did (recipients: reply_only)`,
};

function notAllowed(ctx: RequestContext, policy: SendPolicy, who: string, reason: DenyReason): AppError {
  const key = ctx.client.name ? ` ("${ctx.client.name}")` : '';
  return new AppError(
    'RECIPIENT_NOT_ALLOWED',
    `${who[0]!.toUpperCase()}${who.slice(1)} ${RULES[reason](policy).replace('this client key', `this client key${key}`)}. Nothing was sent. Ask the user to send it themselves, or to change the key's recipient policy.`,
    { reason },
  );
}
