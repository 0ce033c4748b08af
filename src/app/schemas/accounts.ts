import { z } from 'zod';
import { SESSION_STATES } from '../../shared/wire.js';

/** An account id: what X-Account and /mcp/{account} carry, and the folder of its data. */
export const ACCOUNT_ID = /^[a-z0-9][a-z0-9-]{0,31}$/;
export const ACCOUNT_ID_RULE = 'an account id is 1-32 lower-case letters, digits and hyphens, starting with a letter or digit (e.g. "work")';

export const AccountId = z
  .string({ error: `id must be a string: ${ACCOUNT_ID_RULE}` })
  .regex(ACCOUNT_ID, ACCOUNT_ID_RULE)
  .describe('The account id (a slug): send it as "X-Account: <id>", or use the MCP endpoint /mcp/<id>');

const AccountName = z
  .string({ error: 'name must be a string, e.g. "Work phone"' })
  .trim()
  .min(1, 'name must not be empty, e.g. "Work phone"')
  .max(100, 'name is too long (100 characters at most)')
  .regex(/^[^\x00-\x1f\x7f]*$/, 'name must not contain control characters (new lines, tabs…)');

export const CreateAccountInput = z
  .object(
    {
      id: AccountId,
      name: AccountName.optional().describe('A display name, e.g. "Work phone"; default: the id'),
    },
    { error: 'Send a JSON object with id (and optionally name), e.g. {"id": "work", "name": "Work phone"}' },
  )
  .strict();

export const UpdateAccountInput = z
  .object({ name: AccountName.describe('The new display name') }, { error: 'Send a JSON object with name, e.g. {"name": "Work phone"}' })
  .strict();

export const AccountIdParams = z.object({ id: AccountId });
export const DeleteAccountQuery = z
  .object({
    confirm: z.string().optional().describe('The account id again: deleting logs the account out and removes all its data, so it must be confirmed'),
  })
  .strict();

export const AccountEntrySchema = z.object({
  id: z.string(),
  name: z.string(),
  default: z.boolean().describe('The default account answers requests that name none; it cannot be deleted'),
  state: z.enum(SESSION_STATES).describe("The account's WhatsApp session state"),
  me: z.string().nullable().describe('The linked WhatsApp number (digits) when ready, else null'),
  created_at: z.string().describe('ISO 8601'),
  updated_at: z.string().describe('ISO 8601'),
});

export const AccountResult = AccountEntrySchema.extend({ ok: z.literal(true) });
export const AccountListResult = z.object({ ok: z.literal(true), count: z.number().int(), accounts: z.array(AccountEntrySchema) });
export const DeletedAccountResult = z.object({ ok: z.literal(true), id: z.string(), deleted: z.literal(true) });

export type CreateAccountInput = z.infer<typeof CreateAccountInput>;
export type UpdateAccountInput = z.infer<typeof UpdateAccountInput>;
export type AccountEntry = z.infer<typeof AccountEntrySchema>;
