import { z } from 'zod';
import { base64Problem } from '../core/base64.js';
import { PHONE_RULE } from '../core/phone.js';
import { GROUP_ID, MESSAGE_MAX_CHARS } from '../app/schemas/index.js';

/** The inputs of the demo-mode simulator controls, shared by their routes and the OpenAPI document. */
const contactPhone = (what: string) =>
  z
    .string({ error: 'phone_number must be a string with the country code, e.g. "+15551234567"' })
    .max(64, 'phone_number is too long: give the international number, e.g. "+15551234567"')
    .describe(`${what}. ${PHONE_RULE}`);

/** RFC 6838 names under a registered top-level type, with optional parameters ("audio/ogg; codecs=opus"). */
const MIME_TYPE = /^(application|audio|font|image|message|model|multipart|text|video)\/[a-z0-9][\w!#$&^.+-]{0,126}(;\s*[\w!#$&^.+-]+=("[^"\\]*"|[\w!#$&^.+-]+))*$/i;

export const SimulatorIncomingInput = z.object({
  phone_number: contactPhone('The contact who writes to you'),
  message: z
    .string({ error: 'message must be a string' })
    .min(1, 'message must not be empty')
    .max(MESSAGE_MAX_CHARS, `message must be at most ${MESSAGE_MAX_CHARS} characters`)
    .describe('What they write'),
  pushname: z.string().max(100).optional().describe('Their display name'),
});

export const SimulatorIncomingMediaInput = z.object({
  phone_number: contactPhone('The contact who sends you the file'),
  data: z
    .string({ error: 'data must be the file in base64' })
    .min(1, 'data must be the file in base64')
    .superRefine((data, ctx) => {
      const problem = base64Problem(data);
      if (problem) ctx.addIssue({ code: 'custom', message: `data ${problem}` });
    })
    .describe('The file, in standard base64 with "=" padding; anything else (spaces, line breaks, a data: prefix, URL-safe "-" "_") is refused'),
  mimetype: z
    .string({ error: 'mimetype must be a string, e.g. "image/jpeg"' })
    .max(255, 'mimetype is too long')
    .regex(MIME_TYPE, 'mimetype must be a MIME type such as "image/jpeg", "application/pdf" or "audio/ogg; codecs=opus" (type application, audio, font, image, message, model, multipart, text or video)')
    .describe('e.g. image/jpeg, audio/ogg; codecs=opus, application/pdf'),
  filename: z.string().max(255).optional().describe('Name of a document'),
  caption: z.string().max(MESSAGE_MAX_CHARS).optional().describe('What they write with it'),
  as_voice: z.boolean().optional().describe('Audio as a voice note'),
  pushname: z.string().max(100).optional().describe('Their display name'),
});

/** What the simulator page holds comfortably in one seed() call. */
export const SEED_MAX_MESSAGES = 1_000_000;

export const SimulatorSeedInput = z
  .object({
    chats: z.number({ error: 'chats must be a number' }).int().min(1, 'chats must be 1-20000').max(20_000, 'chats must be 1-20000'),
    messages_per_chat: z
      .number({ error: 'messages_per_chat must be a number' })
      .int()
      .min(0, 'messages_per_chat must be 0-10000')
      .max(10_000, 'messages_per_chat must be 0-10000')
      .default(3),
  })
  .refine((v) => v.chats * v.messages_per_chat <= SEED_MAX_MESSAGES, {
    message: `chats × messages_per_chat must be at most ${SEED_MAX_MESSAGES.toLocaleString('en')}`,
    path: ['messages_per_chat'],
  });

export const SimulatorDisconnectInput = z
  .object({
    state: z
      .enum(['CONFLICT', 'TIMEOUT', 'UNLAUNCHED', 'PROXYBLOCK', 'TOS_BLOCK', 'SMB_TOS_BLOCK', 'DEPRECATED_VERSION'])
      .default('CONFLICT')
      .describe(
        'How WhatsApp drops the connection: CONFLICT (opened elsewhere: disconnected until /api/auth/start), UNLAUNCHED (the page dies: the bridge relaunches and restores the session), TIMEOUT (a network blip WhatsApp Web recovers from by itself)',
      ),
  })
  .strict();

/** Exactly one chat: checked by the route, with the same words as a send's recipient. */
export const SimulatorReadInput = z
  .object({
    phone_number: contactPhone('The contact who reads your messages (or give group_id)').optional(),
    group_id: z
      .string({ error: 'group_id must be a string' })
      .regex(GROUP_ID, 'group_id must look like "120363012345678901@g.us" (a group id from your list of groups)')
      .optional()
      .describe('A group whose members all read your messages, e.g. "120363000000000001@g.us" (or give phone_number)'),
    played: z.boolean({ error: 'played must be true or false' }).optional().describe('They also listen to your voice notes: those become "played"'),
  })
  .strict();
