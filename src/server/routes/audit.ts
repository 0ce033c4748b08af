import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AUDIT_RETENTION_DAYS, type Audit } from '../../app/audit.js';
import { AuditListResult, AuditQuery } from '../../app/schemas/index.js';
import { errors } from './common.js';

/** The audit trail: what the owner and each client key changed or sent, newest first. */
export const auditRoutes: FastifyPluginAsyncZod<{ audit: Audit }> = async (app, { audit }) => {
  app.get(
    '/api/audit',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['keys'],
        summary: 'The audit trail, newest first: who sent or changed what, through REST or MCP, and how it ended',
        description: `Every call that sends or changes something is recorded (reads are not), kept ${AUDIT_RETENTION_DAYS} days. Filter by client_id, action, since; page back with before=.`,
        querystring: AuditQuery,
        response: { 200: AuditListResult, ...errors(400) },
      },
    },
    async (req) => {
      const page = audit.list(req.query);
      return { ok: true as const, count: page.entries.length, entries: page.entries, next_before: page.nextBefore };
    },
  );
};
