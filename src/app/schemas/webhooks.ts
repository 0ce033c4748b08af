import { z } from 'zod';
import { DELIVERY_STATUSES } from '../../store/deliveries.js';
import { DELIVERY_ID, WEBHOOK_ID } from '../../store/ids.js';
import { LOG_EVENT_TYPES } from '../../shared/events.js';
import { limit } from './common.js';

/** Every type a webhook can subscribe to: WhatsApp's events and the bridge's status changes. */

const url = z
  .string({ error: 'url must be a string: the http(s) address that receives the events' })
  .max(2048, 'url is too long (2048 characters at most)')
  .describe('Where events are POSTed: an http:// or https:// URL, without user:password');
const events = z
  .array(z.enum(LOG_EVENT_TYPES, { error: `events takes types among ${LOG_EVENT_TYPES.join(', ')}` }))
  .min(1, 'events needs at least one type; leave it out (or null) for all')
  .max(LOG_EVENT_TYPES.length)
  .nullable()
  .describe('The event types it receives; omitted or null: all');
const chatId = z
  .string()
  .min(1)
  .max(64)
  .nullable()
  .describe('Only events of this chat ("…@c.us", "…@lid", "…@g.us"); a person\'s id follows both of their chats (phone number and LID); omitted or null: every chat');

export const CreateWebhookInput = z.object({ url, events: events.optional(), chat_id: chatId.optional() }, { error: 'Send a JSON object with url (and optionally events, chat_id)' }).strict();

export const UpdateWebhookInput = z
  .object(
    {
      url: url.optional(),
      events: events.optional(),
      chat_id: chatId.optional(),
      enabled: z.boolean().optional().describe('false pauses it; true resumes it (and clears the reason it was disabled)'),
    },
    { error: 'Send a JSON object with any of url, events, chat_id, enabled' },
  )
  .strict();

export const WebhookIdParams = z.object({ id: z.string().regex(WEBHOOK_ID, 'a webhook id looks like "wh_" and 26 letters and digits').describe('The webhook id') });

export const DeliveriesQuery = z.object({
  limit: limit(20).describe('How many, newest first: 1-100, default 20'),
  before: z.string().regex(DELIVERY_ID, 'before takes the next_before of the previous page').optional().describe('Page back: next_before of the previous page'),
});

export const WebhookSchema = z.object({
  id: z.string().describe('"wh_…"'),
  url: z.string(),
  events: z.array(z.string()).nullable().describe('null: all types'),
  chat_id: z.string().nullable().describe('null: every chat'),
  chat_ids: z
    .array(z.string())
    .nullable()
    .describe("The chats chat_id follows: it, and for a person their other chat (phone number \"…@c.us\" and LID \"…@lid\") where WhatsApp Web or the stored messages know it; null: every chat"),
  enabled: z.boolean(),
  disabled_reason: z.string().nullable().describe('Why it is disabled (repeated failure, or by request)'),
  failure_count: z.number().int().describe('Failed attempts since the last delivered one'),
  created_at: z.string().describe('ISO 8601'),
  updated_at: z.string().describe('ISO 8601'),
});

export const WebhookResult = z.object({ ok: z.literal(true), webhook: WebhookSchema });
export const CreatedWebhookResult = z.object({
  ok: z.literal(true),
  webhook: WebhookSchema.extend({ secret: z.string().describe('"whsec_…": verifies the signatures. Shown this once: keep it') }),
});
export const WebhookListResult = z.object({ ok: z.literal(true), count: z.number().int(), webhooks: z.array(WebhookSchema) });

export const DeliverySchema = z.object({
  id: z.string().describe('"msg_…": the webhook-id header, the same on every retry'),
  event_cursor: z.number().int().describe('The event it carries (its cursor in the event log)'),
  chat_id: z.string().nullable(),
  status: z.enum(DELIVERY_STATUSES).describe('pending → delivered; failed (retried at next_attempt_at); abandoned (retries ran out)'),
  attempts: z.number().int(),
  next_attempt_at: z.string().describe('ISO 8601'),
  last_status_code: z.number().int().nullable(),
  last_error: z.string().nullable(),
  created_at: z.string().describe('ISO 8601'),
  delivered_at: z.string().nullable().describe('ISO 8601'),
});

export const DeliveriesResult = z.object({ ok: z.literal(true), count: z.number().int(), deliveries: z.array(DeliverySchema), next_before: z.string().nullable() });

export const WebhookTestResult = z.object({
  ok: z.literal(true),
  delivered: z.boolean().describe('The receiver answered 2xx'),
  status_code: z.number().int().nullable(),
  error: z.string().nullable().describe('Why it was not delivered'),
});

export type CreateWebhookInput = z.infer<typeof CreateWebhookInput>;
export type UpdateWebhookInput = z.infer<typeof UpdateWebhookInput>;
export type WebhookView = z.infer<typeof WebhookSchema>;
export type DeliveryView = z.infer<typeof DeliverySchema>;
