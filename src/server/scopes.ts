import type { FastifyContextConfig, FastifyPluginAsync, FastifyPluginOptions } from 'fastify';
import type { Client, Scope } from '../app/context.js';
import { AppError } from '../core/errors.js';

/**
 * What a route needs (issue 12): a client key's scope; `owner` for the owner token (and the
 * browser's cookie) only; `authenticated` for any credential (/mcp, whose tools check scopes
 * themselves); `public` for no credential at all. A route without one is owner-only: a new
 * route is closed to keys until it says otherwise.
 */
export type RouteScope = Scope | 'owner' | 'authenticated' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; see RouteScope. Absent: the owner only. */
    scope?: RouteScope;
    /** The audit trail's name for what the route does ("send_message"); absent: not recorded (reads). */
    audit?: string;
  }
}

export const hasScope = (client: Client, scope: Scope): boolean => client.kind !== 'key' || (client.scopes ?? []).includes(scope);

export function missingScope(scope: Scope): AppError {
  return new AppError('FORBIDDEN_SCOPE', `This key lacks the ${scope} scope: ask the owner for a key with it.`, { scope });
}

/** Why this client may not call a route needing `scope`, or null when it may. */
export function scopeRefusal(client: Client, scope: RouteScope | undefined): AppError | null {
  if (client.kind !== 'key' || scope === 'public' || scope === 'authenticated') return null;
  if (scope === undefined || scope === 'owner') {
    return new AppError('FORBIDDEN_SCOPE', 'Only the owner (the API token) may use this route; client keys may not.', { scope: 'owner' });
  }
  return hasScope(client, scope) ? null : missingScope(scope);
}

/**
 * Declares the scope (and audit action) of routes registered by a plugin whose routes do
 * not declare their own, from a table keyed "METHOD /path". Routes missing from the table
 * stay owner-only; a route's own `config` wins.
 */
export function declaring<O extends FastifyPluginOptions>(table: Readonly<Record<string, FastifyContextConfig>>, plugin: FastifyPluginAsync<O>): FastifyPluginAsync<O> {
  return async (app, opts) => {
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      // Fastify's own HEAD twin of a GET route takes the GET's declaration.
      const declared = methods.map((m) => table[`${m === 'HEAD' ? 'GET' : m} ${route.url}`]).find(Boolean);
      if (declared) route.config = { ...declared, ...route.config };
    });
    await app.register(plugin, opts);
  };
}
