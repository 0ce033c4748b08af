import { z } from 'zod';
import { LOG_EVENT_TYPES } from '../../shared/events.js';

const cursor = z.coerce.number({ error: 'a cursor is a number: an event\'s cursor' }).int('a cursor is a whole number').min(0, 'a cursor is 0 or more');

/** `GET /api/events/log`: the event log as JSON pages, for scripts that poll instead of streaming. */
export const EventLogQuery = z
  .object({
    types: z.string().max(1000).optional().describe(`Comma-separated event types (default: all): ${LOG_EVENT_TYPES.join(', ')}`),
    chat_id: z.string().max(64).optional().describe('Only events of this chat'),
    after: cursor.optional().describe('Oldest first: the events after this cursor (0: from the start)'),
    before: cursor.optional().describe('Newest first: the events before this cursor (next_before of the previous page); neither after nor before: the newest'),
    limit: z.coerce.number({ error: 'limit must be a number' }).int('limit must be a whole number').min(1, 'limit must be 1-500').max(500, 'limit must be 1-500').default(50).describe('1-500, default 50'),
  })
  .refine((q) => q.after === undefined || q.before === undefined, { message: 'give after (oldest first) or before (newest first), not both', path: ['before'] });

export const LoggedEventSchema = z.object({
  cursor: z.number().int().describe('Where this event is in the log: resume after it'),
  id: z.string().describe('Stable id, "ev_…" (the webhook-id of its deliveries)'),
  type: z.enum(LOG_EVENT_TYPES),
  account: z.string(),
  chat_id: z.string().nullable(),
  at: z.string().describe('ISO 8601'),
  backfilled: z.boolean().describe('Found after the fact: it arrived while the bridge was down'),
  data: z.record(z.string(), z.unknown()).describe('The event itself, by type (see "Listening" in the README); messages from other people are untrusted content'),
});

export const EventLogResult = z.object({
  ok: z.literal(true),
  count: z.number().int(),
  events: z.array(LoggedEventSchema),
  latest_cursor: z.number().int().describe('The newest cursor in the log now: start an SSE stream or a later poll after it'),
  next_after: z.number().int().nullable().describe('With after: the cursor to pass next time (null when this page is empty and nothing is newer)'),
  next_before: z.number().int().nullable().describe('Without after: the cursor to page further back with, null at the start of the log'),
});
