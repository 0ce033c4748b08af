import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Audit } from '../../app/audit.js';
import { restContext } from './context.js';

type Json = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

function parsed(reply: FastifyReply, payload: unknown): Json {
  if (typeof payload !== 'string' || !String(reply.getHeader('content-type') ?? '').includes('json')) return {};
  try {
    return obj(JSON.parse(payload));
  } catch {
    return {};
  }
}

/**
 * What the call was about: the chat a send resolved to, the key or webhook it created,
 * else what the path or body named (a refused send still says whom it tried to reach).
 */
export function auditTarget(req: FastifyRequest, answer: Json): string | null {
  const params = obj(req.params);
  const body = obj(req.body);
  return (
    str(answer.chat_id) ??
    str(answer.id) ??
    str(obj(answer.webhook).id) ??
    str(params.id) ??
    str(params.chat_id) ??
    str(body.group_id) ??
    str(body.phone_number) ??
    null
  );
}

/**
 * Records every REST call to a route that declares an `audit` action, when it is answered:
 * who (owner or key, by name), what, on what, how it ended (ok or the error code, the
 * refusals of the scope check included) and the outbox id of a send.
 */
export const auditPlugin = fp<{ audit: Audit }>(
  async (app, { audit }) => {
    app.addHook('onSend', async (req, reply, payload) => {
      const action = req.routeOptions.config.audit;
      if (!action || !req.client) return payload;
      const answer = parsed(reply, payload);
      const ok = reply.statusCode < 400;
      const code = ok ? null : (str(obj(answer.error).code) ?? `HTTP_${reply.statusCode}`);
      const outboxIds = Array.isArray(answer.outbox_ids) ? answer.outbox_ids.filter((x): x is string => typeof x === 'string') : [];
      audit.record(req.ctx ?? restContext(req), action, auditTarget(req, answer), code ?? 'ok', {
        code,
        outboxId: str(answer.outbox_id),
        detail: { status: reply.statusCode, ...(outboxIds.length > 1 ? { outbox_ids: outboxIds } : {}), ...(str(answer.status) ? { send_status: answer.status } : {}) },
      });
      return payload;
    });
  },
  { name: 'audit', dependencies: ['security', 'context'] },
);
