import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Accounts } from '../../app/accounts.js';
import {
  AccountIdParams,
  AccountListResult,
  AccountResult,
  CreateAccountInput,
  DeleteAccountQuery,
  DeletedAccountResult,
  UpdateAccountInput,
} from '../../app/schemas/index.js';
import { AppError } from '../../core/errors.js';
import { errors } from './common.js';

/** Changing the registry reaches every account: a key limited to some may not. */
function refuseLimitedKey(req: FastifyRequest): void {
  const accounts = req.ctx.client.accounts;
  if (accounts) {
    throw new AppError('ACCOUNT_FORBIDDEN', `This key is limited to the accounts ${accounts.join(', ') || '(none)'}: only the owner token or an admin key for every account may create, rename or delete accounts.`);
  }
}

/**
 * The account registry (issue 14): the same on every account's app, whichever account the
 * request names. The owner token or an admin key.
 */
export const accountsRoutes: FastifyPluginAsyncZod<{ accounts: Accounts }> = async (app, { accounts }) => {
  const tags = ['accounts'];
  const config = { scope: 'admin' as const };

  app.get(
    '/api/accounts',
    { config, schema: { tags, summary: 'The WhatsApp accounts, the default first, with their session states', response: { 200: AccountListResult, ...errors() } } },
    async (req) => {
      const limit = req.ctx.client.accounts;
      const list = accounts.list().filter((a) => !limit || limit.includes(a.id));
      return { ok: true as const, count: list.length, accounts: list };
    },
  );

  app.post(
    '/api/accounts',
    {
      config: { ...config, audit: 'create_account' },
      schema: {
        tags,
        summary: 'Add a WhatsApp account: its WhatsApp Web starts, ready to link',
        description:
          'Then link its phone with that account\'s own routes, e.g. GET /qr or POST /api/pairing-code with the header "X-Account: <id>". Each account has its own session, pace, outbox, policies, webhooks and events.',
        body: CreateAccountInput,
        response: { 201: AccountResult, ...errors(400, 409) },
      },
    },
    async (req, reply) => {
      refuseLimitedKey(req);
      return reply.code(201).send({ ok: true as const, ...(await accounts.create(req.body)) });
    },
  );

  app.get(
    '/api/accounts/:id',
    { config, schema: { tags, summary: 'One account and its session state', params: AccountIdParams, response: { 200: AccountResult, ...errors(400, 404) } } },
    async (req) => {
      const limit = req.ctx.client.accounts;
      if (limit && !limit.includes(req.params.id)) refuseLimitedKey(req);
      return { ok: true as const, ...accounts.get(req.params.id) };
    },
  );

  app.patch(
    '/api/accounts/:id',
    {
      config: { ...config, audit: 'update_account' },
      schema: { tags, summary: "Rename an account (its id stays)", params: AccountIdParams, body: UpdateAccountInput, response: { 200: AccountResult, ...errors(400, 404) } },
    },
    async (req) => {
      refuseLimitedKey(req);
      return { ok: true as const, ...accounts.update(req.params.id, req.body) };
    },
  );

  app.delete(
    '/api/accounts/:id',
    {
      config: { ...config, audit: 'delete_account' },
      schema: {
        tags,
        summary: 'Delete an account: logs its phone out and removes all its data; needs ?confirm=<id>',
        description: 'The default account cannot be deleted. Without confirm (the id again) nothing happens and the answer says what would be removed.',
        params: AccountIdParams,
        querystring: DeleteAccountQuery,
        response: { 200: DeletedAccountResult, ...errors(400, 404, 409) },
      },
    },
    async (req) => {
      refuseLimitedKey(req);
      const { id } = await accounts.remove(req.params.id, req.query.confirm);
      return { ok: true as const, id, deleted: true as const };
    },
  );
};
