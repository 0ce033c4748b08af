import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, startTestServer, TOKEN, type TestServer } from '../helpers/http.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
  srv.session.link();
});
afterAll(() => srv.close());

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
    expect(cookie).toMatch(/wa_mcp_token=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);

    const page = await rawRequest(srv.url, { path: '/qr', headers: { cookie: cookie.split(';')[0]!, accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(page.body).toMatch(/http-equiv="refresh" content="5"/);
  });

  it('a wrong ?token= sets nothing', async () => {
    const res = await rawRequest(srv.url, { path: '/qr?token=wrong', headers: { accept: 'text/html' } });
    expect(res.status).toBe(401);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('the cookie alone cannot change state without our Origin (CSRF)', async () => {
    const cookie = `wa_mcp_token=${TOKEN}`;
    const res = await rawRequest(srv.url, { method: 'POST', path: '/api/send', headers: { cookie, 'content-type': 'application/json' }, body: SEND });
    expect(res.status).toBe(403);
    expect(srv.session.sent).toEqual([]);
    const read = await rawRequest(srv.url, { path: '/api/status', headers: { cookie } });
    expect(read.status).toBe(200);
  });
});
