import { z } from 'zod';
import { PHONE_RULE } from '../../core/phone.js';
import { KEY_ID } from '../../store/ids.js';
import { ACCOUNT_ID, ACCOUNT_ID_RULE } from './accounts.js';
import { SCOPES, type Scope } from '../context.js';

export const RECIPIENT_RULES = ['any', 'contacts', 'allowlist', 'reply_only'] as const;
export const APPROVAL_RULES = ['never', 'new_recipients', 'always'] as const;
export const MAX_ALLOWLIST = 1000;

/**
 * What a key gets when its creator leaves a setting out: safe for an agent that reads your
 * chats, which is exactly the agent a prompt injection can turn (see README "Safety").
 *  - read + send, not link or admin: an agent that can re-link the account or mint keys can
 *    undo every other limit.
 *  - reply_only (24 h): it answers people who wrote to you lately, the usual job of an
 *    assistant, and cannot start a conversation with an attacker's number.
 *  - approve new_recipients: the first message to any chat waits for a person.
 *  - quarantine: after it read someone else's message, a send to another chat needs approval
 *    (the injected "forward this to +1 555…" case).
 *  - caps: 20 new recipients a day and 6 messages per chat per minute are far above what a
 *    person's assistant does and far below what spam or a runaway loop does (and what gets
 *    an account banned).
 */
export const KEY_DEFAULTS = {
  scopes: ['read', 'send'] as readonly Scope[],
  recipients: 'reply_only' as const,
  replyWindowHours: 24,
  approve: 'new_recipients' as const,
  quarantine: true,
  maxNewRecipientsPerDay: 20,
  maxPerChatPerMinute: 6,
};

const cap = (what: string, max: number) =>
  z
    .number({ error: `${what} must be a whole number from 1 to ${max}, or null for no cap of the key's own` })
    .int(`${what} must be a whole number from 1 to ${max}`)
    .min(1, `${what} must be at least 1; null removes the key's own cap`)
    .max(max, `${what} must be at most ${max}`)
    .nullable();

export const CreateKeyInput = z
  .object(
    {
      name: z
        .string({ error: 'name must be a string: who will use the key, e.g. "Claude Desktop"' })
        .trim()
        .min(1, 'name must not be empty: say who will use the key, e.g. "Claude Desktop"')
        .max(100, 'name is too long (100 characters at most)')
        .regex(/^[^\x00-\x1f\x7f]*$/, 'name must not contain control characters (new lines, tabs…)')
        .describe('Who uses the key, e.g. "Claude Desktop"; unique among the active keys'),
      scopes: z
        .array(z.enum(SCOPES, { error: `scopes takes ${SCOPES.join(', ')}` }), { error: `scopes must be a list among ${SCOPES.join(', ')}` })
        .min(1, 'scopes needs at least one scope')
        .max(SCOPES.length)
        .optional()
        .describe(`What the key may do: read (status, chats, messages, search, events), send, link (start auth, pairing code, logout), admin (keys, webhooks, audit). Default: ${KEY_DEFAULTS.scopes.join(', ')}`),
      recipients: z
        .enum(RECIPIENT_RULES, { error: `recipients is one of ${RECIPIENT_RULES.join(', ')}` })
        .optional()
        .describe('Whom it may write to: any; contacts (saved contacts and groups you are in); allowlist; reply_only (chats that wrote to you within reply_window_hours). Default: reply_only'),
      allowlist: z
        .array(z.string({ error: 'allowlist entries are strings: phone numbers or group ids' }).max(64, 'an allowlist entry is a phone number or a group id (64 characters at most)'), {
          error: 'allowlist must be a list of phone numbers or group ids',
        })
        .max(MAX_ALLOWLIST, `allowlist takes at most ${MAX_ALLOWLIST} entries`)
        .optional()
        .describe(`With recipients "allowlist" (and only then): phone numbers (${PHONE_RULE}) or group ids ("120363012345678901@g.us")`),
      approve: z
        .enum(APPROVAL_RULES, { error: `approve is one of ${APPROVAL_RULES.join(', ')}` })
        .optional()
        .describe('Which sends a person approves first: never, new_recipients (the first to each chat), always. Default: new_recipients'),
      quarantine: z
        .boolean({ error: 'quarantine must be true or false' })
        .optional()
        .describe('After an MCP session read messages from other people, a send to any other chat needs approval. Default: true'),
      reply_window_hours: z
        .number({ error: 'reply_window_hours must be a whole number of hours from 1 to 720' })
        .int('reply_window_hours must be a whole number of hours')
        .min(1, 'reply_window_hours must be at least 1')
        .max(720, 'reply_window_hours must be at most 720 (30 days)')
        .optional()
        .describe(`With recipients "reply_only" (and only then): how recent the chat's last message to you must be. Default: ${KEY_DEFAULTS.replyWindowHours}`),
      max_new_recipients_per_day: cap('max_new_recipients_per_day', 10_000)
        .optional()
        .describe(`Chats it may write to for the first time per day; null: no cap of its own. Default: ${KEY_DEFAULTS.maxNewRecipientsPerDay}`),
      max_messages_per_chat_per_minute: cap('max_messages_per_chat_per_minute', 600)
        .optional()
        .describe(`Messages per chat per minute, on top of the account's pace; null: no cap of its own. Default: ${KEY_DEFAULTS.maxPerChatPerMinute}`),
      accounts: z
        .array(z.string({ error: `accounts entries are account ids: ${ACCOUNT_ID_RULE}` }).regex(ACCOUNT_ID, ACCOUNT_ID_RULE), { error: 'accounts must be a list of account ids, e.g. ["work"]' })
        .min(1, 'accounts needs at least one account id; leave it out for every account')
        .max(100, 'accounts takes at most 100 account ids')
        .optional()
        .describe('The accounts the key may act on (GET /api/accounts lists them); on any other it gets 403 ACCOUNT_FORBIDDEN. Default: every account'),
    },
    { error: 'Send a JSON object with name (and optionally scopes, recipients, allowlist, approve, quarantine, reply_window_hours, max_new_recipients_per_day, max_messages_per_chat_per_minute, accounts)' },
  )
  .strict();

export const KeyIdParams = z.object({ id: z.string().regex(KEY_ID, 'a key id looks like "key_" and 26 letters and digits').describe('The key id') });

export const KeySchema = z.object({
  id: z.string().describe('"key_…"'),
  name: z.string(),
  key_prefix: z.string().describe('The first characters of the key, to tell keys apart ("wak_3f9cX1…")'),
  scopes: z.array(z.enum(SCOPES)),
  recipients: z.enum(RECIPIENT_RULES),
  allowlist: z.array(z.string()).describe('Chat ids ("…@c.us", "…@g.us") the allowlist lets through; empty unless recipients is allowlist'),
  reply_window_hours: z.number().int(),
  approve: z.enum(APPROVAL_RULES),
  quarantine: z.boolean(),
  max_new_recipients_per_day: z.number().int().nullable().describe("null: no cap of the key's own"),
  max_messages_per_chat_per_minute: z.number().int().nullable().describe("null: no cap of the key's own"),
  accounts: z.array(z.string()).nullable().describe('The accounts the key may act on; null: every account'),
  created_at: z.string().describe('ISO 8601'),
  last_used_at: z.string().nullable().describe('ISO 8601, to the minute'),
  revoked_at: z.string().nullable().describe('ISO 8601; a revoked key no longer works'),
});

export const KeyResult = KeySchema.extend({ ok: z.literal(true) });
export const CreatedKeyResult = KeyResult.extend({
  key: z.string().describe('The key ("wak_…"): send it as "Authorization: Bearer <key>" or "X-API-Key: <key>". Shown this once: only its hash is kept'),
});
export const KeyListResult = z.object({ ok: z.literal(true), count: z.number().int(), keys: z.array(KeySchema) });

export type CreateKeyInput = z.infer<typeof CreateKeyInput>;
export type KeyView = z.infer<typeof KeySchema>;
