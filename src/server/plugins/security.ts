import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
// Brings `req.cookies` and `reply.setCookie` into the types.
import type {} from '@fastify/cookie';
import { DEFAULT_ACCOUNT, type Client } from '../../app/context.js';
import type { Keys } from '../../app/keys.js';
import { AppError } from '../../core/errors.js';
import { FAVICON_DATA_URL } from '../../shared/favicon.js';
import { tokenChecker } from '../../core/token.js';
import { hostName, isLoopbackOrigin, isOwnOrigin, LOOPBACK_NAMES } from '../addresses.js';
import { KeyStreams } from '../key-streams.js';
import { scopeRefusal, type RouteScope } from '../scopes.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who presented which credential: the owner token or a client key (set before any handler runs). */
    client: Client | null;
  }
  interface FastifyInstance {
    /** Every route with the scope it declares (undefined: owner-only by default), for the docs and the tests. */
    routeScopes(): { method: string; url: string; scope: RouteScope | undefined }[];
  }
}

export const OWNER: Client = Object.freeze({ kind: 'owner', id: null, name: 'owner' });

/**
 * The browser's token cookie, named per port: cookies are not port-scoped, so two bridges on
 * one machine would otherwise overwrite each other's (and log each other's pages out).
 */
export const tokenCookieName = (port: number): string => `wa_mcp_token_${port}`;
/** Pages a person opens in a browser; they accept `?token=` once and then a cookie. */
export const BROWSER_PAGES = new Set(['/', '/qr', '/docs']);
const SAFE_METHODS = new Set(['GET', 'HEAD']);

export interface SecurityOptions {
  token: string;
  /** Client keys: accepted like the token in a header (never as the cookie), limited to their scopes. */
  keys?: Keys;
  /** Host names besides the loopback ones that may appear in `Host` (an explicit non-loopback bind). */
  extraHosts?: string[];
  /** The port the server listens on (the OS's pick when configured as 0). */
  port: () => number;
  /** The account this app instance serves: a key limited to other accounts is refused (default: the default account). */
  account?: string;
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

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The page a person gets instead of `/`, `/qr` or `/docs` without a valid token: which of
 * the two it is (none, or one that does not match), where the token is, and a field to
 * paste it (the form sends it as `?token=`, which becomes the cookie like the printed link).
 */
export function tokenPageHtml(problem: 'missing' | 'wrong', path: string): string {
  const heading = problem === 'missing' ? 'Token required' : 'That token does not match';
  const why =
    problem === 'missing'
      ? 'This page belongs to WhatsApp MCP Desktop on this computer. It opens with the API token, which keeps other programs and web pages out.'
      : "The token this browser sent is not this bridge's API token: it may be mistyped, old, or another bridge's. Paste the current one.";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${heading} — WhatsApp MCP Desktop</title>
<link rel="icon" href="${FAVICON_DATA_URL}">
<style>
  :root { color-scheme: light dark; --text: #1c1f1d; --muted: #4d5550; --bg: #f6f7f5; --card: #fff; --border: #767f7a; --accent: #0b6e4f; --accent-text: #fff; --focus: #1a56db; --code: #eef1ef; }
  @media (prefers-color-scheme: dark) { :root { --text: #e8ebe9; --muted: #b3bbb6; --bg: #151816; --card: #1e2220; --border: #8a948e; --accent: #3ccf91; --accent-text: #0b1a13; --focus: #8ab4ff; --code: #272c29; } }
  body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Ubuntu, sans-serif; margin: 0; background: var(--bg); color: var(--text); }
  main { max-width: 36rem; margin: 3rem auto; padding: 0 1rem; }
  h1 { font-size: 1.5rem; }
  h2 { font-size: 1.05rem; margin-top: 2rem; }
  label { display: block; font-weight: 600; margin-bottom: .3rem; }
  .row { display: flex; flex-wrap: wrap; gap: .5rem; }
  input { font: inherit; flex: 1 1 14rem; min-width: 0; padding: .5rem .6rem; border: 1px solid var(--border); border-radius: 8px; background: var(--card); color: var(--text); }
  button { font: inherit; font-weight: 600; padding: .5rem 1rem; border-radius: 8px; border: 1px solid var(--accent); background: var(--accent); color: var(--accent-text); cursor: pointer; }
  :focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
  code { background: var(--code); border-radius: 6px; padding: .1rem .35rem; overflow-wrap: anywhere; }
  li { margin: .3rem 0; }
  .muted { color: var(--muted); }
</style>
</head>
<body>
<main>
<h1>${heading}</h1>
<p>${escapeHtml(why)}</p>
<form method="get" action="${escapeHtml(path)}">
  <label for="token">API token</label>
  <div class="row">
    <input id="token" name="token" type="password" autocomplete="off" spellcheck="false" required aria-describedby="token-where">
    <button type="submit">Open</button>
  </div>
</form>
<h2 id="token-where">Where to find the token</h2>
<ul>
  <li>In the link printed when the bridge started: it ends in <code>?token=…</code> and opens this page directly.</li>
  <li>In the file <code>api-token</code> in the bridge's data folder.</li>
  <li>In the desktop app: the tray menu's <strong>Copy API token</strong>.</li>
</ul>
<p class="muted">The token then stays in this browser as a cookie for this address only.</p>
</main>
</body>
</html>`;
}

/**
 * Loopback-only access control for every route: exactly one Host, a loopback name (DNS
 * rebinding), Origin when present a loopback origin (drive-by requests from web pages), and
 * a credential must be presented — except for `public` routes (the health probe). The
 * credential is the owner token (everything; the browser's cookie counts only on requests
 * from the bridge's own pages) or a client key in a header, which may call only the routes
 * its scopes cover (see scopes.ts). When a key is revoked, its open streams are closed.
 */
export const securityPlugin = fp<SecurityOptions>(
  async (app, opts) => {
    const allowedHosts = new Set([...LOOPBACK_NAMES, ...(opts.extraHosts ?? []).map((h) => h.toLowerCase())]);
    const tokenMatches = tokenChecker(opts.token);
    const parseCookie = (header: string) => app.parseCookie(header);
    const streams = new KeyStreams();
    if (opts.keys) {
      const unsubscribe = opts.keys.onRevoked((id) => streams.close(id));
      app.addHook('onClose', async () => unsubscribe());
    }
    app.decorateRequest('client', null);
    // The options objects, read when asked: hooks registered later (a plugin's own routes) may still declare the scope.
    const routes: RouteOptions[] = [];
    app.addHook('onRoute', (route) => void routes.push(route));
    app.decorate('routeScopes', () =>
      routes.flatMap((r) => (Array.isArray(r.method) ? r.method : [r.method]).map((method) => ({ method, url: r.url, scope: r.config?.scope }))),
    );

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
      const scope = req.routeOptions.config.scope;
      if (scope === 'public') return;

      // A person opens the printed link once; the token moves into a strict cookie and out of the address bar.
      const query = req.query as Record<string, unknown> | undefined;
      if (req.method === 'GET' && BROWSER_PAGES.has(path) && typeof query?.token === 'string') {
        if (!tokenMatches(query.token)) return sendUnauthorized(req, reply, 'wrong');
        reply.setCookie(tokenCookieName(opts.port()), opts.token, { httpOnly: true, sameSite: 'strict', path: '/' });
        // The rest of the query stays (e.g. /qr?account=work).
        const rest = new URLSearchParams(req.url.slice(path.length + 1));
        rest.delete('token');
        return reply.redirect(rest.size ? `${path}?${rest}` : path, 303);
      }

      const port = opts.port();
      const { token, viaCookie } = presentedToken(req, tokenCookieName(port), parseCookie);
      if (tokenMatches(token)) {
        if (viaCookie) refuseOtherPages(req, port);
        req.client = OWNER;
        return;
      }
      const auth = token !== null && !viaCookie && opts.keys ? opts.keys.authenticate(token) : null;
      if (!auth) return sendUnauthorized(req, reply, token === null ? 'missing' : 'wrong');
      if ('revoked' in auth) return sendUnauthorized(req, reply, 'revoked', auth.name);
      req.client = auth.client;
      const refusedAccount = accountRefusal(auth.client, opts.account ?? DEFAULT_ACCOUNT);
      if (refusedAccount) throw refusedAccount;
      // A 404 stays a 404: a key learns nothing from it that it could use.
      const refused = req.is404 ? null : scopeRefusal(auth.client, scope);
      if (refused) throw refused;
      streams.track(auth.client.id!, reply.raw);
    });
  },
  { name: 'security', dependencies: ['@fastify/cookie'] },
);

/** A key limited to accounts, used on another one. */
export function accountRefusal(client: Client, account: string): AppError | null {
  if (client.kind !== 'key' || !client.accounts || client.accounts.includes(account)) return null;
  const allowed = client.accounts.length ? `the account${client.accounts.length > 1 ? 's' : ''} ${client.accounts.join(', ')}` : 'no account any more (its accounts were deleted)';
  return new AppError('ACCOUNT_FORBIDDEN', `This key may act on ${allowed}, not on "${account}": choose one of its accounts (X-Account header, or the MCP endpoint /mcp/<account>), or ask the owner for a key for this one.`, { account });
}

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

function sendUnauthorized(req: FastifyRequest, reply: FastifyReply, problem: 'missing' | 'wrong' | 'revoked', keyName?: string): FastifyReply {
  if (wantsHtml(req)) {
    return reply.code(401).type('text/html; charset=utf-8').send(tokenPageHtml(problem === 'revoked' ? 'wrong' : problem, req.url.split('?')[0] ?? '/'));
  }
  reply.header('WWW-Authenticate', 'Bearer realm="whatsapp-mcp-desktop"');
  if (problem === 'revoked') {
    throw new AppError('UNAUTHORIZED', `The client key "${keyName ?? ''}" was revoked: ask the owner for a new key.`);
  }
  throw new AppError(
    'UNAUTHORIZED',
    'Missing or wrong API token or client key. Send "Authorization: Bearer <token>" or "X-API-Key: <token>"; the token is in <data dir>/api-token, printed at start-up, and copyable from the tray menu.',
  );
}
