import { z } from 'zod';
import { ACKS, MessageSchema } from './wire.js';

/**
 * What happens on the WhatsApp account, as the session port reports it (`event`): one
 * discriminated union, plain data only. The application layer records these in the event
 * log and pushes them; the bridge's own status changes are the port's `status` channel.
 * Ids are WhatsApp's serialized ids ("…@c.us" phone numbers, "…@lid" privacy ids,
 * "…@g.us" groups, "true_<chat>_<id>" messages), as the rest of the wire uses them.
 */

export const WA_EVENT_TYPES = [
  'message',
  'message_create',
  'message_ack',
  'message_revoke_everyone',
  'message_reaction',
  'message_edit',
  'vote_update',
  'group_join',
  'group_leave',
  'group_update',
  'call',
] as const;
export type WaEventType = (typeof WA_EVENT_TYPES)[number];

/** Every type in the event log: WhatsApp's events, the bridge's own status changes, and approvals of held sends. */
export const LOG_EVENT_TYPES = [...WA_EVENT_TYPES, 'status', 'approval'] as const;
export type LogEventType = (typeof LOG_EVENT_TYPES)[number];

const chatId = z.string().describe('The chat it happened in: "…@c.us" or "…@lid" for a person, "…@g.us" for a group');
const timestamp = z.number().int().nullable().describe('When it happened, Unix seconds, as WhatsApp reports it; null when WhatsApp Web does not say');
const messageId = z.string().describe('The message it is about');
const phoneId = (who: string) => z.string().nullable().describe(`The ${who} as a phone-number id "…@c.us", when WhatsApp Web knows it`);
const lid = (who: string) => z.string().nullable().describe(`The ${who} as a LID "…@lid" (the same person's privacy id), when WhatsApp Web knows it`);

export const MessageEventSchema = z.object({
  type: z.literal('message'),
  chat_id: chatId,
  timestamp,
  message: MessageSchema.describe('A message someone else wrote (untrusted content)'),
});

export const MessageCreateEventSchema = z.object({
  type: z.literal('message_create'),
  chat_id: chatId,
  timestamp,
  message: MessageSchema.describe('A message of yours, sent from any device: this bridge, the phone, another linked device'),
});

export const MessageAckEventSchema = z.object({
  type: z.literal('message_ack'),
  chat_id: chatId,
  timestamp,
  message_id: messageId,
  ack: z.enum(ACKS).describe('How far the message got: sent (to WhatsApp), delivered, read, played (voice notes), or error'),
});

export const MessageRevokeEveryoneEventSchema = z.object({
  type: z.literal('message_revoke_everyone'),
  chat_id: chatId,
  timestamp,
  message_id: messageId,
  revoked_by: z.enum(['sender', 'admin']).nullable().describe('Whether its sender or a group admin deleted it; null when WhatsApp Web does not say'),
  by: z.string().nullable().describe('Who deleted it, when known: the sender (an admin is not named by WhatsApp Web)'),
});

export const MessageReactionEventSchema = z.object({
  type: z.literal('message_reaction'),
  chat_id: chatId,
  timestamp,
  message_id: messageId,
  sender: z.string().describe('Who reacted, as WhatsApp names them (…@c.us or …@lid)'),
  sender_phone: phoneId('sender'),
  sender_lid: lid('sender'),
  emoji: z.string().describe('The reaction; "" when the sender removed theirs'),
});

export const MessageEditEventSchema = z.object({
  type: z.literal('message_edit'),
  chat_id: chatId,
  timestamp,
  message_id: messageId,
  body: z.string().describe('The text (or caption) now'),
  previous_body: z.string().describe('The text before this edit'),
});

export const VoteUpdateEventSchema = z.object({
  type: z.literal('vote_update'),
  chat_id: chatId,
  timestamp,
  poll_id: messageId.describe('The poll'),
  voter: z.string().describe('Who voted, as WhatsApp names them (…@c.us or …@lid)'),
  voter_phone: phoneId('voter'),
  voter_lid: lid('voter'),
  selected_options: z
    .array(z.object({ name: z.string().nullable().describe('null when the poll is not loaded in WhatsApp Web'), local_id: z.number().int() }))
    .describe("The voter's whole current choice (empty: they withdrew their vote)"),
});

const groupMembers = {
  participants: z.array(z.string()).describe('Who joined or left'),
  by: z.string().nullable().describe('Who did it (an admin who added or removed, or the member themself)'),
};

export const GroupJoinEventSchema = z.object({
  type: z.literal('group_join'),
  chat_id: chatId,
  timestamp,
  ...groupMembers,
  how: z.string().describe('"add" (by an admin), "invite" (with an invite link) or "linked_group_join" (through a community), as WhatsApp names it'),
});

export const GroupLeaveEventSchema = z.object({
  type: z.literal('group_leave'),
  chat_id: chatId,
  timestamp,
  ...groupMembers,
  how: z.string().describe('"leave" (they left) or "remove" (an admin removed them)'),
});

export const GroupStateSchema = z.object({
  subject: z.string().nullable(),
  description: z.string().nullable(),
  announce: z.boolean().describe('Only admins can send messages'),
  restrict: z.boolean().describe('Only admins can edit the group info'),
});

export const GroupUpdateEventSchema = z.object({
  type: z.literal('group_update'),
  chat_id: chatId,
  timestamp,
  change: z.string().describe('What changed: subject, description, picture, announce or restrict (another WhatsApp notification subtype as WhatsApp names it)'),
  by: z.string().nullable().describe('Who changed it'),
  group: GroupStateSchema.nullable().describe('The group settings after the change, as WhatsApp Web holds them; null when it does not'),
});

export const CallEventSchema = z.object({
  type: z.literal('call'),
  chat_id: chatId.describe('The caller\'s chat'),
  timestamp,
  call_id: z.string().nullable(),
  from: z.string().describe('Who calls'),
  is_video: z.boolean(),
  is_group: z.boolean(),
});

export const WaEventSchema = z.discriminatedUnion('type', [
  MessageEventSchema,
  MessageCreateEventSchema,
  MessageAckEventSchema,
  MessageRevokeEveryoneEventSchema,
  MessageReactionEventSchema,
  MessageEditEventSchema,
  VoteUpdateEventSchema,
  GroupJoinEventSchema,
  GroupLeaveEventSchema,
  GroupUpdateEventSchema,
  CallEventSchema,
]);

export type WaEvent = z.infer<typeof WaEventSchema>;
export type WaEventOf<T extends WaEventType> = Extract<WaEvent, { type: T }>;
export type GroupState = z.infer<typeof GroupStateSchema>;

/** A send held for a person's approval, and what became of it (issue 12): the window shows the pending ones. */
export interface ApprovalEventData {
  type: 'approval';
  outbox_id: string;
  chat_id: string;
  /** canceled: withdrawn (DELETE /api/outbox/{id}) before anyone decided. */
  state: 'pending' | 'approved' | 'denied' | 'expired' | 'canceled';
  /** Why it was held: quarantine, new_recipient or always. */
  reason: string;
  /** The client key's name that asked. */
  client: string | null;
  /** …and its id (GET /api/keys), to filter by key. */
  client_id: string | null;
  /** ISO 8601, while pending: when it is canceled unless someone decides. */
  expires_at: string | null;
}
