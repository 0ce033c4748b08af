import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Keys } from '../../app/keys.js';
import { CreatedKeyResult, CreateKeyInput, KeyIdParams, KeyListResult, KeyResult } from '../../app/schemas/index.js';
import { errors } from './common.js';

/** Client keys: created (the key shown once), listed, revoked. The owner token or an admin key. */
export const keysRoutes: FastifyPluginAsyncZod<{ keys: Keys }> = async (app, { keys }) => {
  const tags = ['keys'];
  const config = { scope: 'admin' as const };

  app.post(
    '/api/keys',
    {
      config: { ...config, audit: 'create_key' },
      schema: {
        tags,
        summary: 'Create a client key: answers the key, shown this once',
        description:
          'Left out, a setting takes the safe default: scopes read + send, recipients reply_only (24 h), approve new_recipients, quarantine on, at most 20 new recipients a day and 6 messages per chat per minute. An admin key can create keys only with scopes it has and a send policy no looser than its own.',
        body: CreateKeyInput,
        response: { 201: CreatedKeyResult, ...errors(400, 409) },
      },
    },
    async (req, reply) => reply.code(201).send({ ok: true as const, ...keys.create(req.ctx.client, req.body) }),
  );

  app.get('/api/keys', { config, schema: { tags, summary: 'The client keys, oldest first, revoked ones included (never the keys themselves)', response: { 200: KeyListResult, ...errors() } } }, async () => {
    const list = keys.list();
    return { ok: true as const, count: list.length, keys: list };
  });

  app.get(
    '/api/keys/:id',
    { config, schema: { tags, summary: 'One client key: scopes, send policy, last use', params: KeyIdParams, response: { 200: KeyResult, ...errors(400, 404) } } },
    async (req) => ({ ok: true as const, ...keys.get(req.params.id) }),
  );

  app.delete(
    '/api/keys/:id',
    {
      config: { ...config, audit: 'revoke_key' },
      schema: {
        tags,
        summary: 'Revoke a client key: it stops working at once, and its event streams and MCP sessions are closed',
        params: KeyIdParams,
        response: { 200: KeyResult, ...errors(400, 404) },
      },
    },
    async (req) => ({ ok: true as const, ...keys.revoke(req.params.id) }),
  );
};
