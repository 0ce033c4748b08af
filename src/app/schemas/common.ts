import { z } from 'zod';
import { PHONE_RULE } from '../../core/phone.js';

/*
 * The application's contract, one zod schema per input and output, shared by the REST route,
 * the MCP tool, the IPC handler and the OpenAPI document. Phone numbers are only
 * type-checked here: `normalizePhone` owns their rules so that every transport answers with
 * the same INVALID_PHONE error. This file: the pieces every concept uses.
 */
export const MESSAGE_MAX_CHARS = 65_536;

export const phone = (what: string) =>
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

export const body = (fields: string) => ({ error: `Send a JSON object with ${fields}` });

const recipientPhone = z
  .string({ error: 'phone_number must be a string with the country code, e.g. "+15551234567"' })
  .max(64, 'phone_number is too long')
  .describe(`Recipient phone number (or give group_id). ${PHONE_RULE}`);

export const GROUP_ID = /^\d{5,25}(-\d{5,15})?@g\.us$/;

const groupId = z
  .string({ error: 'group_id must be a string' })
  .regex(GROUP_ID, 'group_id must look like "120363012345678901@g.us" (a group id from your list of groups)')
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

export const OkResult = z.object({ ok: z.literal(true) });

export const ErrorBodySchema = z.object({
  ok: z.literal(false),
  error: z.object({
    code: z.string().describe('Stable error code, e.g. INVALID_PHONE'),
    message: z.string().describe('What went wrong and what to do'),
    fields: z.array(z.string()).optional().describe('The offending input fields'),
  }),
});

/**
 * Schemas of the capabilities beyond the seed (media, groups, replies, polls, reactions):
 * one per input, shared by the REST route, the MCP tool and the OpenAPI document.
 */
export const replyTo = MESSAGE_ID.optional().describe('Id of the message to reply to (quoted)');

export const flag = (what: string) => z.boolean({ error: `${what.split(':')[0]} must be true or false` }).optional().describe(what);
