import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
// Brings `req.cookies` and `reply.setCookie` into the types.
import type {} from '@fastify/cookie';
import { AppError } from '../../core/errors.js';
import { tokenChecker } from '../../core/token.js';

export const TOKEN_COOKIE = 'wa_mcp_token';
/** Pages a person opens in a browser; they accept `?token=` once and then a cookie. */
export const BROWSER_PAGES = new Set(['/', '/qr', '/docs']);
const PUBLIC_PATHS = new Set(['/health']);
const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface SecurityOptions {
  token: string;
  /** Host names besides the loopback ones that may appear in `Host` (an explicit non-loopback bind). */
  extraHosts?: string[];
}

/** "127.0.0.1:8790" -> "127.0.0.1", "[::1]:8790" -> "[::1]"; lowercase; null when malformed. */
export function hostName(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/i.exec(header.trim());
  return m?.[1] ? m[1].toLowerCase() : null;
}

export function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_NAMES.has(url.hostname.toLowerCase());
  } catch {
    return false;
  }
}

function presentedToken(req: FastifyRequest, parseCookie: (header: string) => Record<string, string | undefined>): { token: string | null; viaCookie: boolean } {
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    return { token: m?.[1]?.trim() ?? null, viaCookie: false };
  }
  const key = req.headers['x-api-key'];
  if (typeof key === 'string') return { token: key.trim(), viaCookie: false };
  // Cookies are parsed only here, and only when no header carries the token (scripts never pay for it).
  const cookie = req.headers.cookie ? parseCookie(req.headers.cookie)[TOKEN_COOKIE] : undefined;
  return { token: cookie ?? null, viaCookie: Boolean(cookie) };
}

function wantsHtml(req: FastifyRequest): boolean {
  return req.method === 'GET' && BROWSER_PAGES.has(req.url.split('?')[0] ?? '') && (req.headers.accept ?? '').includes('text/html');
}

const LOGIN_HINT_HTML = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Token required</title>
<style>body{font:16px system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1b1b1b}</style>
<h1>Token required</h1><p>Open the link that WhatsApp MCP Desktop printed when it started (it ends in <code>?token=…</code>),
or copy the API token from the tray menu and add <code>?token=YOUR_TOKEN</code> to this address.</p></html>`;

/**
 * Loopback-only access control for every route: Host must be a loopback name (DNS
 * rebinding), Origin when present a loopback origin (drive-by requests from web pages), and
 * the API token must be presented — except for the health probe.
 */
export const securityPlugin = fp<SecurityOptions>(
  async (app, opts) => {
    const allowedHosts = new Set([...LOOPBACK_NAMES, ...(opts.extraHosts ?? []).map((h) => h.toLowerCase())]);
    const tokenMatches = tokenChecker(opts.token);
    const parseCookie = (header: string) => app.parseCookie(header);

    app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
      const host = hostName(req.headers.host);
      if (!host || !allowedHosts.has(host)) {
        throw new AppError('FORBIDDEN_HOST', `Host "${req.headers.host ?? ''}" is not allowed: use http://127.0.0.1:<port> or http://localhost:<port>.`);
      }
      const origin = req.headers.origin;
      if (origin !== undefined && !isLoopbackOrigin(origin)) {
        throw new AppError('FORBIDDEN_ORIGIN', `Requests from ${origin} are not allowed: only pages served from 127.0.0.1 or localhost may call this API.`);
      }
      const path = req.url.split('?')[0] ?? '';
      if (PUBLIC_PATHS.has(path)) return;

      // A person opens the printed link once; the token moves into a strict cookie and out of the address bar.
      const query = req.query as Record<string, unknown> | undefined;
      if (req.method === 'GET' && BROWSER_PAGES.has(path) && typeof query?.token === 'string') {
        if (!tokenMatches(query.token)) return sendUnauthorized(req, reply);
        reply.setCookie(TOKEN_COOKIE, opts.token, { httpOnly: true, sameSite: 'strict', path: '/' });
        return reply.redirect(path, 303);
      }

      const { token, viaCookie } = presentedToken(req, parseCookie);
      if (!tokenMatches(token)) return sendUnauthorized(req, reply);
      // A cookie rides along on any request the browser makes; state changes also need our own page's Origin.
      if (viaCookie && req.method !== 'GET' && req.method !== 'HEAD' && origin === undefined) {
        throw new AppError('FORBIDDEN_ORIGIN', 'Cookie-authenticated changes must come from the dashboard page; scripts should send the token in a header.');
      }
    });
  },
  { name: 'security', dependencies: ['@fastify/cookie'] },
);

function sendUnauthorized(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (wantsHtml(req)) {
    return reply.code(401).type('text/html; charset=utf-8').send(LOGIN_HINT_HTML);
  }
  reply.header('WWW-Authenticate', 'Bearer realm="whatsapp-mcp-desktop"');
  throw new AppError(
    'UNAUTHORIZED',
    'Missing or wrong API token. Send "Authorization: Bearer <token>" or "X-API-Key: <token>"; the token is in <data dir>/api-token, printed at start-up, and copyable from the tray menu.',
  );
}
