import type { SendPolicy } from './context.js';

const APPROVE_STRICTNESS: Record<SendPolicy['approve'], number> = { never: 0, new_recipients: 1, always: 2 };

/** A cap of null is no cap: looser than any number. */
const capLooser = (child: number | null, parent: number | null): boolean => parent !== null && (child === null || child > parent);

/**
 * Why `child` lets through something `parent` would not, or null when it is at least as
 * strict on every setting. Recipient rules compare only when they are the same rule (or
 * the parent's is `any`): contacts and an allowlist cannot be ordered, so a different rule
 * counts as looser.
 */
export function policyLooserThan(child: SendPolicy, parent: SendPolicy): { field: string; why: string } | null {
  if (parent.recipients !== 'any') {
    if (child.recipients !== parent.recipients) return { field: 'recipients', why: `recipients must be "${parent.recipients}" like this key's` };
    if (child.recipients === 'allowlist') {
      const extra = child.allowlist.filter((id) => !parent.allowlist.includes(id));
      if (extra.length) return { field: 'allowlist', why: `${extra.join(', ')} ${extra.length > 1 ? 'are' : 'is'} not on this key's allowlist` };
    }
    if (child.recipients === 'reply_only' && child.replyWindowHours > parent.replyWindowHours) {
      return { field: 'reply_window_hours', why: `reply_window_hours may be at most ${parent.replyWindowHours}, this key's` };
    }
  }
  if (APPROVE_STRICTNESS[child.approve] < APPROVE_STRICTNESS[parent.approve]) return { field: 'approve', why: `approve must be "${parent.approve}" or stricter` };
  if (parent.quarantine && !child.quarantine) return { field: 'quarantine', why: 'quarantine must stay on' };
  if (capLooser(child.maxNewRecipientsPerDay, parent.maxNewRecipientsPerDay)) {
    return { field: 'max_new_recipients_per_day', why: `max_new_recipients_per_day may be at most ${parent.maxNewRecipientsPerDay}` };
  }
  if (capLooser(child.maxPerChatPerMinute, parent.maxPerChatPerMinute)) {
    return { field: 'max_messages_per_chat_per_minute', why: `max_messages_per_chat_per_minute may be at most ${parent.maxPerChatPerMinute}` };
  }
  return null;
}
