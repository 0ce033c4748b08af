import { z } from 'zod';
import { PHONE_RULE } from '../core/phone.js';
import { SESSION_STATES } from '../core/status.js';

/**
 * One schema per input, shared by the REST route and the MCP tool (and later the OpenAPI
 * document). Phone numbers are only type-checked here: `normalizePhone` owns their rules
 * so that REST and MCP answer with the same INVALID_PHONE error.
 */
export const MESSAGE_MAX_CHARS = 65_536;

const phone = (what: string) =>
  z
    .string({ error: 'phone_number must be a string with the country code, e.g. "+15551234567"' })
    .max(64, 'phone_number is too long: give the international number, e.g. "+15551234567"')
    .describe(`${what}. ${PHONE_RULE}`);

/** A 1-100 page size; query strings arrive as text, hence the coercion. */
export const limit = (fallback: number) =>
  z.coerce
    .number({ error: 'limit must be a whole number from 1 to 100' })
    .int('limit must be a whole number from 1 to 100')
    .min(1, 'limit must be a whole number from 1 to 100')
    .max(100, 'limit must be a whole number from 1 to 100')
    .default(fallback);

/** Routes without input accept no body or `{}`; anything else is a mistake worth reporting. */
export const EmptyInput = z.object({}).strict();
// Fastify gives a POST without a body as null.
export const EmptyBody = EmptyInput.nullish();

const body = (fields: string) => ({ error: `Send a JSON object with ${fields}` });

const recipientPhone = z
  .string({ error: 'phone_number must be a string with the country code, e.g. "+15551234567"' })
  .max(64, 'phone_number is too long')
  .describe(`Recipient phone number (or give group_id). ${PHONE_RULE}`);

export const GROUP_ID = /^\d{5,25}(-\d{5,15})?@g\.us$/;
const groupId = z
  .string({ error: 'group_id must be a string' })
  .regex(GROUP_ID, 'group_id must look like "120363012345678901@g.us" (see GET /api/groups)')
  .describe('Recipient group id, e.g. "120363012345678901@g.us" (or give phone_number)');

export const MESSAGE_ID = z
  .string({ error: 'the message id must be a string' })
  .min(10, 'that is not a message id')
  .max(300, 'that is not a message id')
  .regex(/^(true|false)_[^\s/]+$/, 'a message id looks like "true_15551234567@c.us_3EB0C767D97B2C123456"');

/** Exactly one of the two is enforced by the service, so MCP (which drops refinements) gets it too. */
export const Recipient = {
  phone_number: recipientPhone.optional(),
  group_id: groupId.optional(),
};

export const PairingCodeInput = z.object(
  {
    phone_number: phone('Your own WhatsApp number, the phone that will link this device'),
  },
  body('phone_number'),
);

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

export const ListChatsInput = z.object({
  limit: limit(20).describe('How many chats to return, most recent first: 1-100, default 20.'),
});

export const ReadMessagesInput = z.object({
  phone_number: phone('The contact whose 1:1 chat to read'),
  limit: limit(10).describe('How many of the latest messages to return (oldest first): 1-100, default 10.'),
});

export const AccountSchema = z.object({
  wid: z.string().describe('Your serialized WhatsApp id, e.g. "15551234567@c.us"'),
  pushname: z.string().nullable().describe('Your display name'),
  platform: z.string().nullable().describe('The phone platform, e.g. "android" or "iphone"'),
});

export const StatusSchema = z.object({
  state: z.enum(SESSION_STATES).describe('Session lifecycle state'),
  ready: z.boolean().describe('true when messages can be sent and read'),
  authenticated: z.boolean().describe('true once the phone has linked this device (authenticated or ready)'),
  auth_dir: z.string().describe('Where the linked-device session is stored'),
  chrome_executable: z.string().nullable().describe('The browser that runs WhatsApp Web'),
  headless: z.boolean().describe('Whether the browser window is hidden'),
  has_qr: z.boolean().describe('true when a QR code is waiting to be scanned at /qr'),
  last_error: z.string().nullable().describe('The last problem, in words, or null'),
  account: AccountSchema.nullable().describe('The linked account when ready, else null'),
});

export const MessageSchema = z.object({
  id: z.string().nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  author: z.string().nullable().describe('Sender within a group chat, else null'),
  from_me: z.boolean(),
  type: z.string().nullable().describe('"chat" for text, "image", "audio", ...'),
  body: z.string(),
  timestamp: z.number().int().nullable().describe('Unix seconds'),
  has_media: z.boolean(),
});

export const ChatSchema = z.object({
  id: z.string().nullable(),
  name: z.string().nullable(),
  is_group: z.boolean(),
  is_read_only: z.boolean(),
  unread_count: z.number().int(),
  timestamp: z.number().int().nullable().describe('Unix seconds of the latest activity'),
  archived: z.boolean(),
  pinned: z.boolean(),
  muted: z.boolean(),
  last_message: MessageSchema.nullable(),
});

export const PairingCodeResult = z.object({
  already_authenticated: z.boolean(),
  phone_number: z.string().optional().describe('The normalized number the code is for'),
  code: z.string().nullable().describe('Enter this in WhatsApp on the phone; null when already linked'),
  instructions: z.string().optional(),
  status: StatusSchema.optional().describe('Present when already_authenticated is true'),
});

export const SendResult = z.object({
  ok: z.literal(true),
  to: z.string().describe('Recipient digits'),
  chat_id: z.string(),
  message_id: z.string().nullable(),
  timestamp: z.string().describe('ISO 8601 time the send was initiated'),
});

export const ChatsResult = z.object({ ok: z.literal(true), count: z.number().int(), chats: z.array(ChatSchema) });

export const MessagesResult = z.object({
  ok: z.literal(true),
  chat: ChatSchema,
  count: z.number().int(),
  messages: z.array(MessageSchema),
});

export const OkResult = z.object({ ok: z.literal(true) });

export const QrResult = z.object({
  ok: z.literal(true),
  state: z.enum(SESSION_STATES),
  has_qr: z.boolean(),
  qr: z.string().nullable().describe('The raw string to encode as a QR code, or null'),
  data_url: z.string().nullable().describe('A PNG of the QR code as a data: URL, or null'),
});

export const ErrorBodySchema = z.object({
  ok: z.literal(false),
  error: z.object({
    code: z.string().describe('Stable error code, e.g. INVALID_PHONE'),
    message: z.string().describe('What went wrong and what to do'),
    fields: z.array(z.string()).optional().describe('The offending input fields'),
  }),
});

export type StatusDto = z.infer<typeof StatusSchema>;
