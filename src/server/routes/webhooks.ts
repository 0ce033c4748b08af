import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Webhooks } from '../../app/webhooks.js';
import {
  CreatedWebhookResult,
  CreateWebhookInput,
  DeliveriesQuery,
  DeliveriesResult,
  EmptyBody,
  OkResult,
  UpdateWebhookInput,
  WebhookIdParams,
  WebhookListResult,
  WebhookResult,
  WebhookTestResult,
} from '../../app/schemas/index.js';
import { errors } from './common.js';

/** Webhooks: receivers of the event log, signed (Standard Webhooks), retried, each with its delivery log. */
export const webhooksRoutes: FastifyPluginAsyncZod<{ webhooks: Webhooks }> = async (app, { webhooks }) => {
  const tags = ['webhooks'];

  app.post(
    '/api/webhooks',
    { config: { scope: 'admin', audit: 'create_webhook' }, schema: { tags, summary: 'Add a receiver: answers its secret, shown this once', body: CreateWebhookInput, response: { 201: CreatedWebhookResult, ...errors(400) } } },
    async (req, reply) => reply.code(201).send({ ok: true as const, webhook: await webhooks.create(req.body) }),
  );

  app.get('/api/webhooks', { config: { scope: 'admin' }, schema: { tags, summary: 'The webhooks, oldest first (without their secrets)', response: { 200: WebhookListResult } } }, async () => {
    const list = webhooks.list();
    return { ok: true as const, count: list.length, webhooks: list };
  });

  app.get(
    '/api/webhooks/:id',
    { config: { scope: 'admin' }, schema: { tags, summary: 'One webhook: enabled, or why it was disabled', params: WebhookIdParams, response: { 200: WebhookResult, ...errors(400, 404) } } },
    async (req) => ({ ok: true as const, webhook: webhooks.get(req.params.id) }),
  );

  app.patch(
    '/api/webhooks/:id',
    { config: { scope: 'admin', audit: 'update_webhook' }, schema: { tags, summary: 'Change url, events, chat_id; enabled: false pauses it, true resumes it', params: WebhookIdParams, body: UpdateWebhookInput, response: { 200: WebhookResult, ...errors(400, 404) } } },
    async (req) => ({ ok: true as const, webhook: await webhooks.update(req.params.id, req.body) }),
  );

  app.delete(
    '/api/webhooks/:id',
    { config: { scope: 'admin', audit: 'delete_webhook' }, schema: { tags, summary: 'Remove a webhook and its delivery log', params: WebhookIdParams, response: { 200: OkResult, ...errors(400, 404) } } },
    async (req) => {
      webhooks.delete(req.params.id);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/webhooks/:id/deliveries',
    { config: { scope: 'admin' }, schema: { tags, summary: "The webhook's delivery log, newest first; page back with before=", params: WebhookIdParams, querystring: DeliveriesQuery, response: { 200: DeliveriesResult, ...errors(400, 404) } } },
    async (req) => {
      const page = webhooks.deliveries(req.params.id, { limit: req.query.limit, ...(req.query.before ? { before: req.query.before } : {}) });
      return { ok: true as const, count: page.deliveries.length, deliveries: page.deliveries, next_before: page.nextBefore };
    },
  );

  app.post(
    '/api/webhooks/:id/test',
    { config: { scope: 'admin', audit: 'test_webhook' }, schema: { tags, summary: 'Send a signed webhook.test event now; answers what the receiver said', params: WebhookIdParams, body: EmptyBody, response: { 200: WebhookTestResult, ...errors(400, 404) } } },
    async (req) => {
      const outcome = await webhooks.test(req.params.id);
      return { ok: true as const, delivered: outcome.delivered, status_code: outcome.statusCode, error: outcome.error };
    },
  );
};
