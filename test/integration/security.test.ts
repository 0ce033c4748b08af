import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rawRequest, socketRequest, startTestServer, TOKEN, type TestServer } from '../helpers/http.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
  srv.session.link();
});
afterAll(() => srv.close());

/** The cookie a browser keeps after opening the printed `?token=` link, as `name=value`. */
async function browserCookie(url: string, token = TOKEN): Promise<string> {
  const login = await rawRequest(url, { path: `/?token=${token}`, headers: { accept: 'text/html' } });
  return String(login.headers['set-cookie']).split(';')[0]!;
}
const SEND = JSON.stringify({ phone_number: '15551234567', message: 'should never be sent' });
const auth = { authorization: `Bearer ${TOKEN}` };

describe('security: every refusal sends nothing', () => {
  it.each([
    ['no token', {}, 401, 'UNAUTHORIZED'],
    ['a wrong bearer token', { authorization: 'Bearer nope' }, 401, 'UNAUTHORIZED'],
    ['a wrong X-API-Key', { 'x-api-key': 'nope' }, 401, 'UNAUTHORIZED'],
    ['a token in the query string', {}, 401, 'UNAUTHORIZED'],
    ['a foreign Host (DNS rebinding)', { ...auth, host: 'attacker.example:8790' }, 403, 'FORBIDDEN_HOST'],
    ['a LAN Host', { ...auth, host: '192.168.1.10:8790' }, 403, 'FORBIDDEN_HOST'],
    ['a foreign Origin', { ...auth, origin: 'https://evil.example' }, 403, 'FORBIDDEN_ORIGIN'],
    ['a null Origin (sandboxed iframe)', { ...auth, origin: 'null' }, 403, 'FORBIDDEN_ORIGIN'],
  ])('POST /api/send with %s → %i %s', async (_name, headers, status, code) => {
    const path = _name.includes('query') ? `/api/send?token=${TOKEN}` : '/api/send';
    const res = await rawRequest(srv.url, { method: 'POST', path, headers: { 'content-type': 'application/json', ...headers }, body: SEND });
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ ok: false, error: { code } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(srv.session.sent).toEqual([]);
  });

  it('401 carries WWW-Authenticate and tells where the token is', async () => {
    const res = await rawRequest(srv.url, { path: '/api/status' });
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.body.error.message).toMatch(/api-token/);
  });

  it('a text/plain cross-site style POST is refused with 415', async () => {
    const res = await rawRequest(srv.url, { method: 'POST', path: '/api/send', headers: { ...auth, 'content-type': 'text/plain' }, body: SEND });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(srv.session.sent).toEqual([]);
  });

  it('a form-encoded POST is refused with 415', async () => {
    const res = await rawRequest(srv.url, {
      method: 'POST',
      path: '/api/send',
      headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'phone_number=15551234567&message=x',
    });
    expect(res.status).toBe(415);
    expect(srv.session.sent).toEqual([]);
  });

  it('an oversized body is refused with 413', async () => {
    const big = JSON.stringify({ phone_number: '15551234567', message: 'x'.repeat(2 * 1024 * 1024) });
    const res = await rawRequest(srv.url, { method: 'POST', path: '/api/send', headers: { ...auth, 'content-type': 'application/json' }, body: big });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(srv.session.sent).toEqual([]);
  });

  it('loopback Host names and Origins are accepted', async () => {
    for (const host of ['127.0.0.1:8790', 'localhost:8790', '[::1]:8790', 'localhost']) {
      const res = await rawRequest(srv.url, { path: '/api/status', headers: { ...auth, host, origin: 'http://localhost:5173' } });
      expect(res.status, host).toBe(200);
    }
  });

  it('regression: a request with two Host headers, loopback first and evil.com second, was served', async () => {
    const host = new URL(srv.url).host;
    for (const hosts of [[host, 'evil.com'], ['evil.com', host], [host, host]]) {
      const res = await socketRequest(srv.url, ['GET /api/status HTTP/1.1', ...hosts.map((h) => `Host: ${h}`), `Authorization: Bearer ${TOKEN}`]);
      expect(res.status, hosts.join(' + ')).toBe(400);
      expect(res.body.error.code).toBe('DUPLICATE_HOST');
    }
    const one = await socketRequest(srv.url, ['GET /api/status HTTP/1.1', `Host: ${host}`, `Authorization: Bearer ${TOKEN}`]);
    expect(one.status).toBe(200);
  });

  it('/health also refuses a foreign Host', async () => {
    const res = await rawRequest(srv.url, { path: '/health', headers: { host: 'attacker.example' } });
    expect(res.status).toBe(403);
  });

  it('answers with no CORS headers and no-store', async () => {
    const res = await rawRequest(srv.url, { path: '/api/status', headers: { ...auth, origin: 'http://127.0.0.1:8790' } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('the QR page for a person in a browser', () => {
  it('without a token explains how to open it, in HTML', async () => {
    const res = await rawRequest(srv.url, { path: '/qr', headers: { accept: 'text/html' } });
    expect(res.status).toBe(401);
    expect(res.body).toMatch(/\?token=/);
  });

  it('?token= sets a strict HttpOnly cookie and redirects to a clean URL', async () => {
    const res = await rawRequest(srv.url, { path: `/qr?token=${TOKEN}`, headers: { accept: 'text/html' } });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/qr');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`^wa_mcp_token_${new URL(srv.url).port}=`));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);

    const page = await rawRequest(srv.url, { path: '/qr', headers: { cookie: cookie.split(';')[0]!, accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
    // It keeps itself current with a script (ui/qr-page.js), not by reloading.
    expect(page.body).not.toMatch(/http-equiv="refresh"/);
  });

  it('a wrong ?token= sets nothing', async () => {
    const res = await rawRequest(srv.url, { path: '/qr?token=wrong', headers: { accept: 'text/html' } });
    expect(res.status).toBe(401);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('the cookie alone cannot change state without our Origin (CSRF)', async () => {
    const cookie = await browserCookie(srv.url);
    const res = await rawRequest(srv.url, { method: 'POST', path: '/api/send', headers: { cookie, 'content-type': 'application/json' }, body: SEND });
    expect(res.status).toBe(403);
    expect(srv.session.sent).toEqual([]);
    const read = await rawRequest(srv.url, { path: '/api/status', headers: { cookie } });
    expect(read.status).toBe(200);
  });
});

/** A multipart upload as a page's FormData would send it: a "simple" request, no preflight. */
async function multipartBody(): Promise<{ body: Buffer; type: string }> {
  const form = new FormData();
  form.set('phone_number', '15551234567');
  form.append('files', new Blob([Buffer.from('%PDF-1.4 not really')], { type: 'application/pdf' }), 'x.pdf');
  const req = new Request('http://form.invalid/', { method: 'POST', body: form });
  return { body: Buffer.from(await req.arrayBuffer()), type: req.headers.get('content-type')! };
}

describe('the token cookie counts only on requests from the bridge\'s own pages', () => {
  beforeEach(async () => {
    await srv.session.logout();
    srv.session.link();
    srv.session.outgoing.length = 0;
  });

  const changes = [
    ['POST /api/logout', async () => ({ path: '/api/logout', headers: {} as Record<string, string>, body: undefined as Buffer | undefined })],
    ['POST /api/auth/start', async () => ({ path: '/api/auth/start', headers: {}, body: undefined })],
    ['a multipart POST /api/send/media', async () => {
      const { body, type } = await multipartBody();
      return { path: '/api/send/media', headers: { 'content-type': type }, body };
    }],
  ] as const;

  it.each(changes)('regression: a page on http://127.0.0.1:3000 could use the token cookie: %s', async (_name, make) => {
    const startsBefore = srv.session.startCalls;
    const { path, headers, body } = await make();
    const res = await rawRequest(srv.url, {
      method: 'POST',
      path,
      headers: { ...headers, cookie: await browserCookie(srv.url), origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-site' },
      ...(body ? { body } : {}),
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN_ORIGIN');
    expect(res.body.error.message).toMatch(/token in a header/);
    expect(srv.session.snapshot().state).toBe('ready');
    expect(srv.session.startCalls).toBe(startsBefore);
    expect(srv.session.outgoing).toEqual([]);
  });

  it('regression: a cookie-authenticated change from another port was honoured even when the browser said Sec-Fetch-Site: same-site', async () => {
    for (const site of ['same-site', 'cross-site', 'none']) {
      const res = await rawRequest(srv.url, {
        method: 'POST',
        path: '/api/logout',
        headers: { cookie: await browserCookie(srv.url), origin: srv.url, 'sec-fetch-site': site },
      });
      expect(res.status, site).toBe(403);
    }
    expect(srv.session.snapshot().state).toBe('ready');
  });

  it('a read from another port with the cookie is refused too; a header token from there still works', async () => {
    const read = await rawRequest(srv.url, { path: '/api/status', headers: { cookie: await browserCookie(srv.url), origin: 'http://127.0.0.1:3000' } });
    expect(read.status).toBe(403);
    const script = await rawRequest(srv.url, { path: '/api/status', headers: { ...auth, origin: 'http://127.0.0.1:3000' } });
    expect(script.status).toBe(200);
  });

  it('the bridge\'s own page may use the cookie: it logs out', async () => {
    const res = await rawRequest(srv.url, {
      method: 'POST',
      path: '/api/logout',
      headers: { cookie: await browserCookie(srv.url), origin: srv.url, 'sec-fetch-site': 'same-origin' },
    });
    expect(res.status).toBe(200);
    expect(srv.session.snapshot().state).toBe('stopped');
  });

  it('regression: two bridges on different ports shared one cookie name, so signing in to one signed the other\'s pages out', async () => {
    const other = await startTestServer({ token: 'other-token-0123456789abcdef' });
    try {
      const mine = await browserCookie(srv.url);
      const theirs = await browserCookie(other.url, 'other-token-0123456789abcdef');
      // A browser keeps one cookie per name for 127.0.0.1 (ports do not count): a later login
      // replaces an equally named cookie. With a name per port it keeps both, and each bridge reads its own.
      const jar = new Map([mine, theirs].map((c) => [c.split('=')[0]!, c]));
      const cookie = [...jar.values()].join('; ');
      expect((await rawRequest(srv.url, { path: '/api/status', headers: { cookie } })).status).toBe(200);
      expect((await rawRequest(other.url, { path: '/api/status', headers: { cookie } })).status).toBe(200);
    } finally {
      await other.close();
    }
  });
});
