import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../core/errors.js';
import type { Approvals } from '../../app/approvals.js';
import type { Outbox } from '../../app/outbox.js';
import { outboxPageView, outboxView } from '../../app/outbox-view.js';
import { OutboxEntryResult, OutboxIdParams, OutboxListQuery, OutboxListResult } from '../../app/schemas/index.js';
import { errors } from './common.js';

/**
 * The outbox: every send, where it is, and what became of it; a queued send can be canceled,
 * and a send held for approval approved or denied (by a person, never by the key that asked).
 */
export const outboxRoutes: FastifyPluginAsyncZod<{ outbox: Outbox; approvals: Approvals }> = async (app, { outbox, approvals }) => {
  app.get(
    '/api/outbox',
    { config: { scope: 'read' }, schema: { tags: ['outbox'], summary: 'Sends, newest first; filter by status or chat, page back with before=', querystring: OutboxListQuery, response: { 200: OutboxListResult, ...errors(400) } } },
    async (req) => outboxPageView(outbox.list({ limit: req.query.limit, ...(req.query.status ? { status: req.query.status } : {}), ...(req.query.chat_id ? { chatId: req.query.chat_id } : {}), ...(req.query.before ? { before: req.query.before } : {}) })),
  );

  app.get(
    '/api/outbox/:id',
    { config: { scope: 'read' }, schema: { tags: ['outbox'], summary: 'One send: its status (awaiting_approval, queued, sending, sent, delivered, read, failed, canceled), message id and approval', params: OutboxIdParams, response: { 200: OutboxEntryResult, ...errors(400, 404) } } },
    async (req) => {
      const entry = outbox.get(req.params.id);
      if (!entry) throw new AppError('OUTBOX_NOT_FOUND', `No send ${req.params.id} in the outbox.`);
      return { ok: true as const, entry: outboxView(entry) };
    },
  );

  app.delete(
    '/api/outbox/:id',
    { config: { scope: 'send', audit: 'cancel_send' }, schema: { tags: ['outbox'], summary: 'Cancel a send that has not started (queued or awaiting approval); a client key cancels only its own', params: OutboxIdParams, response: { 200: OutboxEntryResult, ...errors(400, 403, 404, 409) } } },
    async (req) => ({ ok: true as const, entry: outboxView(await approvals.cancel(req.ctx, req.params.id)) }),
  );

  app.post(
    '/api/outbox/:id/approve',
    {
      config: { scope: 'admin', audit: 'approve_send' },
      schema: {
        tags: ['outbox'],
        summary: 'Approve a send awaiting approval: it is queued and sent once (owner, or a key with the admin scope that did not ask)',
        params: OutboxIdParams,
        response: { 200: OutboxEntryResult, ...errors(400, 404, 409) },
      },
    },
    async (req) => ({ ok: true as const, entry: outboxView(approvals.approve(req.ctx, req.params.id)) }),
  );

  app.post(
    '/api/outbox/:id/deny',
    {
      config: { scope: 'admin', audit: 'deny_send' },
      schema: {
        tags: ['outbox'],
        summary: 'Deny a send awaiting approval: canceled (APPROVAL_DENIED), never sent',
        params: OutboxIdParams,
        response: { 200: OutboxEntryResult, ...errors(400, 404, 409) },
      },
    },
    async (req) => ({ ok: true as const, entry: outboxView(await approvals.deny(req.ctx, req.params.id)) }),
  );
};
