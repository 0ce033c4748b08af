import type { FastifyRequest } from 'fastify';
import { ErrorBodySchema } from '../../app/schemas/index.js';
import type { RequestContext } from '../../app/context.js';

/** Error answers a route can give, for its response schema (and the OpenAPI document). */
export function errors(...statuses: number[]): Record<number, typeof ErrorBodySchema> {
  return Object.fromEntries([401, 403, ...statuses].map((s) => [s, ErrorBodySchema]));
}

/** Statuses of every call that needs a ready session. */
export const NEEDS_SESSION = [409, 503];

/** The request context the context plugin put on the request. */
export function ctxOf(req: FastifyRequest): RequestContext {
  return req.ctx;
}
