import { z } from 'zod';
import { OUTBOX_ID } from '../../store/ids.js';
import { OUTBOX_STATUSES } from '../../store/outbox-states.js';
import { OUTGOING_KINDS } from '../../whatsapp/outgoing.js';
import { limit } from './common.js';

/** Why a send was held for approval and what became of it (issue 12). */
export const ApprovalSchema = z.object({
  reason: z.string().describe('quarantine (the agent read untrusted messages and writes elsewhere), new_recipient, or always'),
  reason_text: z.string().describe('The reason in words, for the person deciding'),
  requested_by: z.string().nullable().describe('The name of the client key that asked'),
  expires_at: z.string().nullable().describe('ISO 8601, while awaiting approval: canceled (APPROVAL_EXPIRED) unless decided by then'),
  files: z.array(z.object({ filename: z.string().nullable(), mimetype: z.string(), size: z.number().int() })).describe('The files of a media send'),
  decision: z.enum(['approved', 'denied', 'expired']).nullable(),
  decided_by: z.string().nullable().describe('"owner", "window", a client key\'s name, "user (MCP client)" or "expiry"'),
  decided_at: z.string().nullable().describe('ISO 8601'),
});

/** One send as the outbox shows it: what was asked, where it is, and what became of it. */
export const OutboxEntrySchema = z.object({
  id: z.string().describe('The outbox id, e.g. "ob_01J…"'),
  kind: z.enum(OUTGOING_KINDS).describe('text, media, location, poll, forward or reaction'),
  chat_id: z.string(),
  client_id: z.string().nullable().describe('The client key that asked for it (GET /api/keys names it); null for the owner token and the window'),
  status: z
    .enum(OUTBOX_STATUSES)
    .describe('queued → sending → sent → delivered → read; or failed (see error) / canceled; awaiting_approval while a person decides'),
  message_id: z.string().nullable().describe("WhatsApp's id once sent"),
  attempts: z.number().int().describe('How many times sending started'),
  error: z.object({ code: z.string(), message: z.string() }).nullable().describe('Why it failed, or why it went back to the queue'),
  text: z.string().nullable().describe('What the message shows: the text, caption or poll question'),
  created_at: z.string().describe('ISO 8601'),
  updated_at: z.string().describe('ISO 8601'),
  sent_at: z.string().nullable().describe('ISO 8601, when WhatsApp took it'),
  approval: ApprovalSchema.nullable().describe('Set when the send was held for a person to approve: why, until when, and what they decided'),
});

export const OutboxIdParams = z.object({ id: z.string().regex(OUTBOX_ID, 'an outbox id looks like "ob_" and 26 letters and digits').describe('The outbox id') });

export const OutboxListQuery = z.object({
  status: z.enum(OUTBOX_STATUSES).optional().describe('Only sends in this status'),
  chat_id: z.string().max(64).optional().describe('Only sends to this chat id'),
  client_id: z
    .string()
    .regex(/^(owner|key_[0-9A-HJKMNP-TV-Z]{26})$/, 'client_id is a key id ("key_…") or "owner"')
    .optional()
    .describe('Only the sends of this client key, or "owner" for the owner token and the window'),
  limit: limit(20).describe('How many, newest first: 1-100, default 20'),
  before: z.string().regex(OUTBOX_ID, 'before takes the next_before of the previous page').optional().describe('Page back: next_before of the previous page'),
});

export const OutboxListResult = z.object({
  ok: z.literal(true),
  count: z.number().int(),
  entries: z.array(OutboxEntrySchema),
  next_before: z.string().nullable(),
});

export const OutboxEntryResult = z.object({ ok: z.literal(true), entry: OutboxEntrySchema });
