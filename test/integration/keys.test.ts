import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_KEY, hashKey } from '../../src/app/keys.js';
import { KEY_ID } from '../../src/store/index.js';
import { rawRequest, startTestServer, TOKEN, type TestServer } from '../helpers/http.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
  srv.session.link();
});
afterAll(() => srv.close());

let n = 0;
/** Creates a key as the owner; the answer's body. */
async function createKey(body: Record<string, unknown> = {}) {
  n += 1;
  const res = await srv.call('/api/keys', { method: 'POST', json: { name: `key ${n}`, ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; key: string; name: string; scopes: string[] };
}
const asKey = (key: string, path: string, init: RequestInit & { json?: unknown } = {}) =>
  srv.call(path, { ...init, headers: { authorization: `Bearer ${key}`, ...(init.headers as Record<string, string> | undefined) } });

describe('POST /api/keys', () => {
  it('creates a key with the safe defaults and shows it once', async () => {
    const res = await srv.call('/api/keys', { method: 'POST', json: { name: 'Claude Desktop' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      ok: true,
      name: 'Claude Desktop',
      scopes: ['read', 'send'],
      recipients: 'reply_only',
      reply_window_hours: 24,
      allowlist: [],
      approve: 'new_recipients',
      quarantine: true,
      max_new_recipients_per_day: 20,
      max_messages_per_chat_per_minute: 6,
      last_used_at: null,
      revoked_at: null,
    });
    expect(res.body.id).toMatch(KEY_ID);
    expect(res.body.key).toMatch(CLIENT_KEY);
    expect(res.body.key_prefix).toBe(res.body.key.slice(0, 10));
    // Only the hash is kept: nothing the API answers afterwards contains the key.
    const list = await srv.call('/api/keys');
    expect(JSON.stringify(list.body)).not.toContain(res.body.key);
    expect(list.body.keys.find((k: { id: string }) => k.id === res.body.id)).toMatchObject({ name: 'Claude Desktop', key_prefix: res.body.key_prefix });
    const one = await srv.call(`/api/keys/${res.body.id}`);
    expect(one.status).toBe(200);
    expect(one.body.key).toBeUndefined();
    expect(srv.services.keys.authenticate(res.body.key)).toMatchObject({ client: { kind: 'key', id: res.body.id } });
    expect(hashKey(res.body.key)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('stores allowlisted phone numbers as chat ids and keeps group ids', async () => {
    const key = await createKey({ recipients: 'allowlist', allowlist: ['+1 (555) 010-0001', '0044 7700 900123', '120363012345678901@g.us', '+15550100001'], approve: 'never' });
    expect(key).toMatchObject({ recipients: 'allowlist', approve: 'never', allowlist: ['15550100001@c.us', '447700900123@c.us', '120363012345678901@g.us'] });
  });

  it.each([
    ['allowlist without entries', { recipients: 'allowlist' }, 'VALIDATION_ERROR', ['allowlist']],
    ['an empty allowlist', { recipients: 'allowlist', allowlist: [] }, 'VALIDATION_ERROR', ['allowlist']],
    ['an allowlist with another rule', { recipients: 'contacts', allowlist: ['+15550100001'] }, 'VALIDATION_ERROR', ['allowlist']],
    ['an allowlist number with letters (never cleaned)', { recipients: 'allowlist', allowlist: ['+15550100001', '+1555CALLNOW'] }, 'INVALID_PHONE', ['allowlist[1]']],
    ['a national number', { recipients: 'allowlist', allowlist: ['07700 900123'] }, 'INVALID_PHONE', ['allowlist[0]']],
    ['a malformed group id', { recipients: 'allowlist', allowlist: ['abc@g.us'] }, 'VALIDATION_ERROR', ['allowlist[0]']],
    ['reply_window_hours with another rule', { recipients: 'any', reply_window_hours: 48 }, 'VALIDATION_ERROR', ['reply_window_hours']],
    ['an unknown scope', { scopes: ['read', 'everything'] }, 'VALIDATION_ERROR', ['scopes.1']],
    ['no scopes', { scopes: [] }, 'VALIDATION_ERROR', ['scopes']],
    ['an unknown field', { recipient: 'any' }, 'VALIDATION_ERROR', undefined],
    ['a blank name', { name: '   ' }, 'VALIDATION_ERROR', ['name']],
  ])('refuses %s', async (_what, body, code, fields) => {
    const before = (await srv.call('/api/keys')).body.count;
    const res = await srv.call('/api/keys', { method: 'POST', json: { name: 'refused', ...body } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
    if (fields) expect(res.body.error.fields).toEqual(fields);
    expect((await srv.call('/api/keys')).body.count).toBe(before);
  });

  it('names are unique among active keys (case-insensitively); a revoked key frees its name', async () => {
    const first = await srv.call('/api/keys', { method: 'POST', json: { name: 'Cursor' } });
    expect(first.status).toBe(201);
    const again = await srv.call('/api/keys', { method: 'POST', json: { name: 'cursor' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('KEY_NAME_TAKEN');
    expect((await srv.call(`/api/keys/${first.body.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await srv.call('/api/keys', { method: 'POST', json: { name: 'Cursor' } })).status).toBe(201);
  });
});

describe('a client key authenticates like the token', () => {
  it('with Authorization: Bearer and with X-API-Key, and records its last use', async () => {
    const { key, id } = await createKey({ scopes: ['read'] });
    const bearer = await rawRequest(srv.url, { path: '/api/status', headers: { authorization: `Bearer ${key}` } });
    expect(bearer.status).toBe(200);
    const header = await rawRequest(srv.url, { path: '/api/status', headers: { 'x-api-key': key } });
    expect(header.status).toBe(200);
    expect((await srv.call(`/api/keys/${id}`)).body.last_used_at).not.toBeNull();
  });

  it('a revoked key gets 401 on its next request, saying it was revoked', async () => {
    const { key, id, name } = await createKey({ scopes: ['read'] });
    expect((await asKey(key, '/api/status')).status).toBe(200);
    const revoked = await srv.call(`/api/keys/${id}`, { method: 'DELETE' });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revoked_at).not.toBeNull();
    const res = await asKey(key, '/api/status');
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(res.body.error.message).toContain(`"${name}" was revoked`);
    // Revoking again is harmless and keeps the first time.
    expect((await srv.call(`/api/keys/${id}`, { method: 'DELETE' })).body.revoked_at).toBe(revoked.body.revoked_at);
  });

  it('a key that was never issued, or one character off, gets 401', async () => {
    const { key } = await createKey({ scopes: ['read'] });
    const off = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    expect((await asKey(off, '/api/status')).status).toBe(401);
    expect((await asKey(`wak_${'x'.repeat(43)}`, '/api/status')).status).toBe(401);
  });

  it('is never accepted as the browser cookie or as ?token=', async () => {
    const { key } = await createKey({ scopes: ['read', 'send', 'link', 'admin'] });
    const cookie = await rawRequest(srv.url, { path: '/api/status', headers: { cookie: `wa_mcp_token_${new URL(srv.url).port}=${key}` } });
    expect(cookie.status).toBe(401);
    const link = await rawRequest(srv.url, { path: `/?token=${key}`, headers: { accept: 'text/html' } });
    expect(link.status).toBe(401);
    expect(link.headers['set-cookie']).toBeUndefined();
  });

  it('a key without the send scope is refused a send with 403 FORBIDDEN_SCOPE, and nothing is sent', async () => {
    const { key } = await createKey({ scopes: ['read'] });
    const res = await asKey(key, '/api/send', { method: 'POST', json: { phone_number: '+15550100001', message: 'no' } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN_SCOPE');
    expect(res.body.error.message).toMatch(/lacks the send scope/);
    expect(srv.session.sent).toEqual([]);
  });

  it('the owner token still does everything', async () => {
    expect((await rawRequest(srv.url, { path: '/api/keys', headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });
});
