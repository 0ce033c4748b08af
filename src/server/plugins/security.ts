import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
// Brings `req.cookies` and `reply.setCookie` into the types.
import type {} from '@fastify/cookie';
import { AppError } from '../../core/errors.js';
import { tokenChecker } from '../../core/token.js';
import { hostName, isLoopbackOrigin, isOwnOrigin, LOOPBACK_NAMES } from '../addresses.js';

/**
 * The browser's token cookie, named per port: cookies are not port-scoped, so two bridges on
 * one machine would otherwise overwrite each other's (and log each other's pages out).
 */
export const tokenCookieName = (port: number): string => `wa_mcp_token_${port}`;
/** Pages a person opens in a browser; they accept `?token=` once and then a cookie. */
export const BROWSER_PAGES = new Set(['/', '/qr', '/docs']);
const PUBLIC_PATHS = new Set(['/health']);
const SAFE_METHODS = new Set(['GET', 'HEAD']);

export interface SecurityOptions {
  token: string;
  /** Host names besides the loopback ones that may appear in `Host` (an explicit non-loopback bind). */
  extraHosts?: string[];
  /** The port the server listens on (the OS's pick when configured as 0). */
  port: () => number;
}

function presentedToken(
  req: FastifyRequest,
  cookieName: string,
  parseCookie: (header: string) => Record<string, string | undefined>,
): { token: string | null; viaCookie: boolean } {
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    return { token: m?.[1]?.trim() ?? null, viaCookie: false };
  }
  const key = req.headers['x-api-key'];
  if (typeof key === 'string') return { token: key.trim(), viaCookie: false };
  // Cookies are parsed only here, and only when no header carries the token (scripts never pay for it).
  const cookie = req.headers.cookie ? parseCookie(req.headers.cookie)[cookieName] : undefined;
  return { token: cookie ?? null, viaCookie: Boolean(cookie) };
}

function hostHeaderCount(rawHeaders: string[]): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === 'host') count++;
  return count;
}

function wantsHtml(req: FastifyRequest): boolean {
  return req.method === 'GET' && BROWSER_PAGES.has(req.url.split('?')[0] ?? '') && (req.headers.accept ?? '').includes('text/html');
}

const LOGIN_HINT_HTML = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Token required</title>
<style>body{font:16px system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1b1b1b}</style>
<h1>Token required</h1><p>Open the link that WhatsApp MCP Desktop printed when it started (it ends in <code>?token=…</code>),
or copy the API token from the tray menu and add <code>?token=YOUR_TOKEN</code> to this address.</p></html>`;

/**
 * Loopback-only access control for every route: exactly one Host, a loopback name (DNS
 * rebinding), Origin when present a loopback origin (drive-by requests from web pages), and
 * the API token must be presented — except for the health probe. The browser's cookie counts
 * only on requests from the bridge's own pages.
 */
export const securityPlugin = fp<SecurityOptions>(
  async (app, opts) => {
    const allowedHosts = new Set([...LOOPBACK_NAMES, ...(opts.extraHosts ?? []).map((h) => h.toLowerCase())]);
    const tokenMatches = tokenChecker(opts.token);
    const parseCookie = (header: string) => app.parseCookie(header);

    app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
      // Node keeps the first of several Host headers; a proxy or cache in front may use another.
      const hosts = hostHeaderCount(req.raw.rawHeaders);
      if (hosts > 1) throw new AppError('DUPLICATE_HOST', `The request has ${hosts} Host headers: send exactly one.`);
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
        reply.setCookie(tokenCookieName(opts.port()), opts.token, { httpOnly: true, sameSite: 'strict', path: '/' });
        return reply.redirect(path, 303);
      }

      const port = opts.port();
      const { token, viaCookie } = presentedToken(req, tokenCookieName(port), parseCookie);
      if (!tokenMatches(token)) return sendUnauthorized(req, reply);
      if (viaCookie) refuseOtherPages(req, port);
    });
  },
  { name: 'security', dependencies: ['@fastify/cookie'] },
);

/**
 * The browser attaches the cookie to every request for this host, whichever page makes it:
 * SameSite treats every port of 127.0.0.1 as one site, so a dev server on :3000 would get it
 * too. It is therefore honoured only from the bridge's own origin (scheme, host and the port
 * it listens on). Reads may come without `Origin` (navigations and same-origin GETs have
 * none); changes must carry our `Origin`, and `Sec-Fetch-Site`, when sent, must say
 * `same-origin` (`same-site` is exactly the other-port page).
 */
function refuseOtherPages(req: FastifyRequest, port: number): void {
  const { origin, host } = req.headers;
  const ownPages = `pages served by this bridge (http://${host ?? ''})`;
  if (origin !== undefined && !isOwnOrigin(origin, host, port)) {
    throw new AppError('FORBIDDEN_ORIGIN', `Requests from ${origin} may not use the browser's token cookie: only ${ownPages} may. Scripts should send the token in a header.`);
  }
  if (SAFE_METHODS.has(req.method)) return;
  if (origin === undefined) {
    throw new AppError('FORBIDDEN_ORIGIN', 'Cookie-authenticated changes must come from the dashboard page; scripts should send the token in a header.');
  }
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') {
    throw new AppError('FORBIDDEN_ORIGIN', `A ${site} request may not use the browser's token cookie to change anything: only ${ownPages} may.`);
  }
}

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
