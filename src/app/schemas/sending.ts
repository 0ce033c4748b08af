import { z } from 'zod';
import { IDEMPOTENCY_KEY } from '../context.js';
import { OUTBOX_STATUSES } from '../../store/outbox-states.js';
import { PHONE_RULE } from '../../core/phone.js';
import { MESSAGE_ID, MESSAGE_MAX_CHARS, Recipient, body, flag, phone, replyTo } from './common.js';

/**
 * The seed's send, extended: a group instead of a number, a quoted reply, mentions (numbers
 * not written in the text are "ghost" mentions; "@everyone" in a group mentions all), and
 * link previews.
 */
export const SendMessageInput = z.object(
  {
    ...Recipient,
    message: z
      .string({ error: 'message must be a string' })
      .refine((s) => s.trim().length > 0, 'message must not be empty')
      .refine((s) => [...s].length <= MESSAGE_MAX_CHARS, `message must be at most ${MESSAGE_MAX_CHARS} characters`)
      .describe(`Text to send (Unicode, emoji and newlines are fine), 1-${MESSAGE_MAX_CHARS} characters.`),
    reply_to: MESSAGE_ID.optional().describe('Id of the message to reply to (shown quoted)'),
    mentions: z
      .array(z.string().max(64), { error: 'mentions must be a list of phone numbers' })
      .max(1024)
      .optional()
      .describe(`Phone numbers to mention (notified even when the text has no "@"), or ["@everyone"] in a group. Each number: ${PHONE_RULE}`),
    link_preview: z.boolean({ error: 'link_preview must be true or false' }).optional().describe('Show a preview of the first link (default true)'),
  },
  body('message and phone_number or group_id'),
);

export const SendResult = z.object({
  ok: z.literal(true),
  to: z.string().describe('Recipient digits, or the group id'),
  chat_id: z.string(),
  message_id: z.string().nullable().describe("WhatsApp's id of the message; null while it is still queued"),
  timestamp: z.string().describe('ISO 8601 time the send was recorded'),
  outbox_id: z.string().describe('The send in the outbox: GET /api/outbox/{outbox_id} follows it (sent, delivered, read)'),
  status: z
    .enum(OUTBOX_STATUSES)
    .describe('sent/delivered/read: WhatsApp has it (HTTP 200); queued/sending: still on its way, awaiting_approval: a person must approve it first (HTTP 202)'),
  approval: z
    .object({ reason: z.string(), expires_at: z.string().nullable() })
    .optional()
    .describe('While awaiting approval: why it was held (quarantine, new_recipient, always) and when it is canceled unless approved'),
  note: z.string().optional().describe('Why a send has not gone out yet (held for approval, agents paused), and what to do'),
});

/** How a caller makes a send safe to retry and says whether it waits; REST takes these as headers. */
export const SendControls = {
  idempotency_key: z
    .string()
    .regex(IDEMPOTENCY_KEY, 'idempotency_key must be 1-200 printable ASCII characters without spaces')
    .optional()
    .describe('Any unique string for this message (e.g. a UUID). Retrying with the same key never sends it twice: you get the first answer back.'),
  wait: z
    .boolean()
    .optional()
    .describe('false: answer as soon as the message is queued (status "queued", follow it with whatsapp_get_send_status); default true: answer once it went out'),
};

export const MediaItem = z
  .object({
    data: z.string().optional().describe('The file, base64-encoded (a data: URL prefix is accepted)'),
    path: z.string().max(4096).optional().describe('Or: an absolute path inside a folder allowed by WHATSAPP_MEDIA_DIRS (none by default)'),
    mimetype: z
      .string()
      .regex(/^[\w.+-]+\/[\w.+-]+$/, 'mimetype must look like "image/jpeg"')
      .optional()
      .describe('e.g. image/jpeg, video/mp4, audio/ogg, application/pdf; found from the content when omitted'),
    filename: z.string().max(255).optional().describe('File name shown to the recipient (documents keep it)'),
  })
  .strict()
  // What "data or path" means, as JSON Schema says it (the send checks it too, with a message).
  .meta({ oneOf: [{ type: 'object', properties: { data: {} }, required: ['data'] }, { type: 'object', properties: { path: {} }, required: ['path'] }] });

export const SendMediaInput = z.object({
  ...Recipient,
  media: z.array(MediaItem).min(1, 'media needs at least one file').max(10, 'media may hold at most 10 files').describe('Files to send, each one message'),
  caption: z.string().max(4096, 'caption must be at most 4096 characters').optional().describe('Caption, shown with the first photo, video or document'),
  view_once: flag('view_once: photos and videos can be opened once'),
  as_voice: flag('as_voice: send audio as a voice note'),
  as_gif: flag('as_gif: send a video as a GIF (plays silently, looping)'),
  as_document: flag('as_document: send any file as a document (no compression)'),
  reply_to: replyTo,
});

export const SendLocationInput = z.object({
  ...Recipient,
  latitude: z.number({ error: 'latitude must be a number' }).min(-90, 'latitude must be -90 to 90').max(90, 'latitude must be -90 to 90').describe('Degrees, -90 to 90'),
  longitude: z
    .number({ error: 'longitude must be a number' })
    .min(-180, 'longitude must be -180 to 180')
    .max(180, 'longitude must be -180 to 180')
    .describe('Degrees, -180 to 180'),
  name: z.string().max(256).optional().describe('Place name'),
  address: z.string().max(512).optional().describe('Address line'),
  reply_to: replyTo,
});

export const SendPollInput = z.object({
  ...Recipient,
  question: z.string({ error: 'question must be a string' }).trim().min(1, 'question must not be empty').max(255).describe('The poll question'),
  options: z
    .array(z.string().trim().min(1, 'options must not be empty').max(100, 'each option may be at most 100 characters'))
    .min(2, 'a poll needs 2 to 12 options')
    .max(12, 'a poll needs 2 to 12 options')
    .refine((o) => new Set(o.map((x) => x.toLowerCase())).size === o.length, 'options must be different from each other')
    .describe('2 to 12 answers'),
  selectable_count: z
    .number()
    .int()
    .min(0, 'selectable_count must be 0 to 12')
    .max(12, 'selectable_count must be 0 to 12')
    .default(1)
    .describe('1 (default): one answer; 0 or more than 1: several answers allowed (WhatsApp Web cannot cap it at a number)'),
});

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** A pictograph or flag somewhere in the cluster, or a keycap ("1️⃣", whose parts are not pictographs). */
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|^[0-9#*]\ufe0f?\u20e3$/u;

/** Exactly one emoji as people see it: one grapheme cluster ("👍🏽", "❤️", "🇩🇪", "👨‍👩‍👧"), not "👍👍" or "a". */
export function isOneEmoji(text: string): boolean {
  const clusters = [...graphemes.segment(text)];
  return clusters.length === 1 && EMOJI.test(text);
}

export const ReactionInput = z.object({
  emoji: z
    .string({ error: 'emoji must be a string' })
    .max(32, 'emoji must be exactly one emoji, e.g. "👍", or "" to remove your reaction')
    .refine((e) => e === '' || isOneEmoji(e), 'emoji must be exactly one emoji, e.g. "👍" or "👍🏽", or "" to remove your reaction')
    .describe('Exactly one emoji, e.g. "👍", "👍🏽", "❤️" or "🇩🇪" (not several, not a letter); an empty string removes your reaction'),
});

export const ForwardInput = z.object({ ...Recipient });

export const MessageIdParams = z.object({ id: MESSAGE_ID.describe('Serialized message id') });

export const MediaSendResult = SendResult.extend({
  message_ids: z.array(z.string().nullable()).optional().describe('One id per file when several went out'),
  outbox_ids: z.array(z.string()).optional().describe('One outbox entry per file when there are several'),
});

export const ReactionResult = z.object({
  ok: z.literal(true),
  outbox_id: z.string(),
  status: z.enum(OUTBOX_STATUSES),
});
