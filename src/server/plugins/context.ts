import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { DEFAULT_ACCOUNT, IDEMPOTENCY_KEY, ownerContext, type RequestContext } from '../../app/context.js';
import { AppError } from '../../core/errors.js';
import { OWNER } from './security.js';
import { accountNotFound } from '../../app/accounts.js';
import { ACCOUNT_HEADER } from '../accounts-front.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who asks, for which account, and how (see app/context.ts). */
    ctx: RequestContext;
    /** The account this app instance serves (each account has its own; see server/accounts-front.ts). */
    account: string;
  }
}

export interface ContextOptions {
  /** The account of this app instance (default: the default account). */
  account?: string;
}

/** RFC 7240: `Prefer: respond-async` asks for 202 at once instead of waiting for the send. */
function prefersAsync(header: string | string[] | undefined): boolean {
  const values = Array.isArray(header) ? header : header ? [header] : [];
  return values.some((v) => v.split(',').some((p) => p.trim().split(';')[0]?.trim().toLowerCase() === 'respond-async'));
}

function idempotencyKey(req: FastifyRequest): string | null {
  const raw = req.headers['idempotency-key'];
  if (raw === undefined) return null;
  if (Array.isArray(raw) || !IDEMPOTENCY_KEY.test(raw)) {
    throw new AppError('VALIDATION_ERROR', 'Idempotency-Key must be one header of 1-200 printable ASCII characters without spaces, e.g. a UUID', { fields: ['Idempotency-Key'] });
  }
  return raw;
}

/**
 * Who asks through REST: the client the security plugin let in (the owner token or a key).
 * Only `public` routes have none, and they call nothing that acts for a client.
 */
export function restContext(req: FastifyRequest, patch: Partial<RequestContext> = {}): RequestContext {
  if (!req.client && req.routeOptions.config.scope !== 'public') throw new AppError('INTERNAL', 'A request reached a handler without a credential.');
  return ownerContext({ account: req.account, client: req.client ?? OWNER, transport: 'rest', ...patch });
}

/**
 * Builds the request context of every API call from its headers, once, after the security
 * plugin has let it in: the caller (owner or client key, with its scopes and send policy),
 * this instance's account, and the send controls.
 */
export const contextPlugin = fp<ContextOptions>(
  async (app, opts) => {
    app.decorateRequest('ctx', null as unknown as RequestContext);
    const account = opts.account ?? DEFAULT_ACCOUNT;
    app.decorateRequest('account', account);
    // The front server hands a request to the app of the account it names (accounts-front.ts);
    // one that names another account reaches this app only when no such account exists.
    app.addHook('onRequest', async (req) => {
      const named = req.headers[ACCOUNT_HEADER];
      if (named !== undefined && named !== account) throw accountNotFound(String(named));
    });
    app.addHook('preHandler', async (req) => {
      req.ctx = restContext(req, { idempotencyKey: idempotencyKey(req), wait: !prefersAsync(req.headers.prefer) });
    });
  },
  { name: 'context', dependencies: ['security'] },
);
