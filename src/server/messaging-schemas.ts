import { z } from 'zod';
import { PHONE_RULE } from '../core/phone.js';
import { ChatSchema, limit, MESSAGE_ID, MessageSchema, Recipient, SendResult } from './schemas.js';

/**
 * Schemas of the capabilities beyond the seed (media, groups, replies, polls, reactions):
 * one per input, shared by the REST route, the MCP tool and the OpenAPI document.
 */
const replyTo = MESSAGE_ID.optional().describe('Id of the message to reply to (quoted)');
const flag = (what: string) => z.boolean({ error: `${what.split(':')[0]} must be true or false` }).optional().describe(what);

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
  .strict();

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

export const ChatIdParams = z.object({
  chat_id: z
    .string()
    .min(1)
    .max(64)
    .describe(`A chat id ("15551234567@c.us", "120363…@g.us") or a phone number. A phone number: ${PHONE_RULE}`),
});

export const ChatMessagesQuery = z.object({
  limit: limit(20)
    .describe('How many messages, oldest first: 1-100, default 20'),
  before: MESSAGE_ID.optional().describe('Page back: the messages just before this one (next_before of the previous page)'),
});

export const ContactsQuery = z.object({
  query: z.string().max(100).default('').describe('Part of a name or number; empty lists contacts'),
  limit: limit(20).describe('How many contacts: 1-100, default 20'),
});

export const MediaSendResult = SendResult.extend({
  message_ids: z.array(z.string().nullable()).optional().describe('One id per file when several went out'),
});

export const GroupSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  participants: z.number().int().describe('How many members'),
  is_admin: z.boolean().describe('Whether you administer it'),
});

export const GroupsResult = z.object({ ok: z.literal(true), count: z.number().int(), groups: z.array(GroupSchema) });

export const ContactSchema = z.object({
  id: z.string(),
  number: z.string().nullable(),
  name: z.string().nullable().describe('Name in your address book'),
  pushname: z.string().nullable().describe('Name they chose'),
  is_my_contact: z.boolean(),
  is_business: z.boolean(),
});

export const ContactsResult = z.object({ ok: z.literal(true), count: z.number().int(), contacts: z.array(ContactSchema) });

export const ChatPageResult = z.object({
  ok: z.literal(true),
  chat: ChatSchema,
  count: z.number().int(),
  messages: z.array(MessageSchema),
  next_before: z.string().nullable().describe('Pass as before= for older messages; null at the start of the chat'),
});

export const DownloadMeta = z.object({
  ok: z.literal(true),
  message_id: z.string(),
  mimetype: z.string(),
  filename: z.string().nullable(),
  size: z.number().int().describe('Bytes'),
});
