import { z } from 'zod';
import { base64Problem } from '../core/base64.js';
import { PHONE_RULE } from '../core/phone.js';
import { GROUP_ID, MESSAGE_ID, MESSAGE_MAX_CHARS } from '../app/schemas/index.js';

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

/** The simulated people act on a message of the account: its id as the message lists give it. */
const simMessageId = (what: string) => MESSAGE_ID.describe(what);
const actorPhone = (what: string) => contactPhone(what);
const groupId = z
  .string({ error: 'group_id must be a string' })
  .regex(GROUP_ID, 'group_id must look like "120363012345678901@g.us" (a group id from your list of groups)')
  .describe('The group, e.g. "120363000000000001@g.us" (Weekend Hike in the demo)');

export const SimulatorEditInput = z
  .object({
    message_id: simMessageId('A message a contact sent you in the last 15 minutes'),
    message: z
      .string({ error: 'message must be a string' })
      .min(1, 'message must not be empty')
      .max(MESSAGE_MAX_CHARS, `message must be at most ${MESSAGE_MAX_CHARS} characters`)
      .describe('The new text (or caption)'),
  })
  .strict();

export const SimulatorRevokeInput = z
  .object({
    message_id: simMessageId('A message a contact sent'),
    by_phone_number: actorPhone('A group admin who deletes a member\'s message; leave out for its sender (within about two days)').optional(),
  })
  .strict();

export const SimulatorReactInput = z
  .object({
    message_id: simMessageId('Any message of a chat the contact is in'),
    phone_number: actorPhone('The contact who reacts'),
    emoji: z.string({ error: 'emoji must be a string' }).max(32, 'emoji must be one emoji').describe('The reaction; "" takes theirs back'),
  })
  .strict();

export const SimulatorVoteInput = z
  .object({
    message_id: simMessageId('A poll'),
    phone_number: actorPhone('The member who votes'),
    options: z
      .array(z.string({ error: 'each option must be a string' }).max(255), { error: 'options must be a list of option names' })
      .max(12, 'a poll has at most 12 options')
      .describe('Their whole choice, by option name; [] withdraws their vote'),
  })
  .strict();

const memberList = z
  .array(contactPhone('A member'), { error: 'phone_numbers must be a list of phone numbers' })
  .min(1, 'phone_numbers must name at least one person')
  .max(50, 'phone_numbers must name at most 50 people');

export const SimulatorGroupJoinInput = z
  .object({
    group_id: groupId,
    phone_numbers: memberList.describe('Who joins'),
    by_phone_number: actorPhone('The admin who adds them; leave out for people joining with the invite link').optional(),
  })
  .strict();

export const SimulatorGroupLeaveInput = z
  .object({
    group_id: groupId,
    phone_numbers: memberList.describe('Who leaves'),
    by_phone_number: actorPhone('The admin who removes them; leave out for people leaving by themselves').optional(),
  })
  .strict();

export const SimulatorGroupUpdateInput = z
  .object({
    group_id: groupId,
    by_phone_number: actorPhone('The member who makes the change (an admin for settings, and while only admins may edit the info)'),
    subject: z.string({ error: 'subject must be a string' }).min(1, 'subject must not be empty').max(100, 'subject must be at most 100 characters').optional(),
    description: z.string({ error: 'description must be a string' }).max(2048, 'description must be at most 2048 characters').optional(),
    picture: z.literal(true, { error: 'picture must be true (a new group picture)' }).optional().describe('A new group picture'),
    announce: z.boolean({ error: 'announce must be true or false' }).optional().describe('Only admins can send messages'),
    restrict: z.boolean({ error: 'restrict must be true or false' }).optional().describe('Only admins can edit the group info'),
  })
  .strict()
  .refine((v) => ['subject', 'description', 'picture', 'announce', 'restrict'].some((k) => v[k as keyof typeof v] !== undefined), {
    message: 'say what changes: subject, description, picture, announce or restrict',
    path: ['subject'],
  });

export const SimulatorCallInput = z
  .object({
    phone_number: contactPhone('Who calls you'),
    video: z.boolean({ error: 'video must be true or false' }).optional().describe('A video call'),
    group: z.boolean({ error: 'group must be true or false' }).optional().describe('A group call'),
  })
  .strict();

export const SimulatorPhoneSendInput = z
  .object({
    phone_number: contactPhone('Whom your phone writes to (or give group_id)').optional(),
    group_id: groupId.optional(),
    message: z
      .string({ error: 'message must be a string' })
      .min(1, 'message must not be empty')
      .max(MESSAGE_MAX_CHARS, `message must be at most ${MESSAGE_MAX_CHARS} characters`)
      .describe('What you write from your phone'),
  })
  .strict()
  .refine((v) => (v.phone_number === undefined) !== (v.group_id === undefined), { message: 'give exactly one of phone_number and group_id', path: ['phone_number'] });

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
