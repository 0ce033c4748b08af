import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES, type Scope } from '../../src/app/context.js';
import type { RouteScope } from '../../src/server/scopes.js';
import { rawRequest, startTestServer, type TestServer } from '../helpers/http.js';

let srv: TestServer;
const keys = new Map<string, string>();
beforeAll(async () => {
  srv = await startTestServer();
  srv.session.link();
  // One key per scope, one with every scope, and one with all but each scope.
  const make = async (name: string, scopes: Scope[]) => {
    const res = await srv.call('/api/keys', { method: 'POST', json: { name, scopes, recipients: 'any', approve: 'never' } });
    expect(res.status).toBe(201);
    keys.set(name, res.body.key);
  };
  for (const s of SCOPES) {
    await make(`only ${s}`, [s]);
    await make(`all but ${s}`, SCOPES.filter((x) => x !== s));
  }
  await make('everything', [...SCOPES]);
});
afterAll(() => srv.close());

/**
 * The scope of every route. A new route fails this test until it is added here, which is
 * the moment to decide who may call it (a route without a declared scope is owner-only).
 */
const EXPECTED: Record<string, RouteScope> = {
  'GET /health': 'public',
  'GET /openapi.json': 'authenticated',
  'POST /mcp': 'authenticated',
  'GET /mcp': 'authenticated',
  'DELETE /mcp': 'authenticated',
  'GET /api/status': 'read',
  'GET /api/chats': 'read',
  'GET /api/messages': 'read',
  'GET /api/chats/:chat_id/messages': 'read',
  'GET /api/groups': 'read',
  'GET /api/contacts': 'read',
  'GET /api/messages/:id/media': 'read',
  'GET /api/outbox': 'read',
  'GET /api/outbox/:id': 'read',
  'GET /api/events': 'read',
  'GET /api/search': 'read',
  'POST /api/chats/:chat_id/history': 'read',
  'POST /api/chats/:chat_id/read': 'send',
  'DELETE /api/messages/:id': 'send',
  'POST /api/send': 'send',
  'POST /api/send/media': 'send',
  'POST /api/send/location': 'send',
  'POST /api/send/poll': 'send',
  'POST /api/messages/:id/reaction': 'send',
  'POST /api/messages/:id/forward': 'send',
  'DELETE /api/outbox/:id': 'send',
  'POST /api/auth/start': 'link',
  'POST /api/pairing-code': 'link',
  'GET /api/qr': 'link',
  'POST /api/logout': 'link',
  'POST /api/webhooks': 'admin',
  'GET /api/webhooks': 'admin',
  'GET /api/webhooks/:id': 'admin',
  'PATCH /api/webhooks/:id': 'admin',
  'DELETE /api/webhooks/:id': 'admin',
  'GET /api/webhooks/:id/deliveries': 'admin',
  'POST /api/webhooks/:id/test': 'admin',
  'POST /api/keys': 'admin',
  'GET /api/keys': 'admin',
  'GET /api/keys/:id': 'admin',
  'DELETE /api/keys/:id': 'admin',
  'GET /api/audit': 'admin',
  'GET /qr': 'owner',
  'GET /': 'owner',
  'GET /ui/:file': 'owner',
  'GET /api/dashboard/config': 'owner',
};

/** A request that reaches the route's handler and changes nothing: refused by validation or a missing id at worst. */
const PROBES: Record<string, { path: string; body?: unknown }> = {
  'GET /api/chats/:chat_id/messages': { path: '/api/chats/15550100001@c.us/messages' },
  'GET /api/messages/:id/media': { path: '/api/messages/true_15550100001@c.us_3EB0NOPE/media' },
  'GET /api/outbox/:id': { path: '/api/outbox/ob_0000000000AAAAAAAAAAAAAAAA' },
  'GET /api/events': { path: '/api/events?types=nope' },
  'GET /api/search': { path: '/api/search?q=hello' },
  'POST /api/chats/:chat_id/history': { path: '/api/chats/15550100001@c.us/history', body: { nope: 1 } },
  'POST /api/chats/:chat_id/read': { path: '/api/chats/not-a-chat/read', body: {} },
  'DELETE /api/messages/:id': { path: '/api/messages/true_15550100001@c.us_3EB0NOPE' },
  'POST /api/send': { path: '/api/send', body: {} },
  'POST /api/send/media': { path: '/api/send/media', body: {} },
  'POST /api/send/location': { path: '/api/send/location', body: {} },
  'POST /api/send/poll': { path: '/api/send/poll', body: {} },
  'POST /api/messages/:id/reaction': { path: '/api/messages/true_15550100001@c.us_3EB0NOPE/reaction', body: {} },
  'POST /api/messages/:id/forward': { path: '/api/messages/true_15550100001@c.us_3EB0NOPE/forward', body: {} },
  'DELETE /api/outbox/:id': { path: '/api/outbox/ob_0000000000AAAAAAAAAAAAAAAA' },
  'POST /api/auth/start': { path: '/api/auth/start', body: { nope: 1 } },
  'POST /api/pairing-code': { path: '/api/pairing-code', body: {} },
  'POST /api/logout': { path: '/api/logout', body: { nope: 1 } },
  'POST /api/webhooks': { path: '/api/webhooks', body: {} },
  'GET /api/webhooks/:id': { path: '/api/webhooks/wh_0000000000AAAAAAAAAAAAAAAA' },
  'PATCH /api/webhooks/:id': { path: '/api/webhooks/wh_0000000000AAAAAAAAAAAAAAAA', body: {} },
  'DELETE /api/webhooks/:id': { path: '/api/webhooks/wh_0000000000AAAAAAAAAAAAAAAA' },
  'GET /api/webhooks/:id/deliveries': { path: '/api/webhooks/wh_0000000000AAAAAAAAAAAAAAAA/deliveries' },
  'POST /api/webhooks/:id/test': { path: '/api/webhooks/wh_0000000000AAAAAAAAAAAAAAAA/test', body: {} },
  'POST /api/keys': { path: '/api/keys', body: {} },
  'GET /api/keys/:id': { path: '/api/keys/key_0000000000AAAAAAAAAAAAAAAA' },
  'DELETE /api/keys/:id': { path: '/api/keys/key_0000000000AAAAAAAAAAAAAAAA' },
  'GET /ui/:file': { path: '/ui/app.js' },
};

function probe(route: string, key: string) {
  const [method, url] = route.split(' ') as [string, string];
  const p = PROBES[route] ?? { path: url };
  const body = p.body === undefined ? undefined : JSON.stringify(p.body);
  return rawRequest(srv.url, { method, path: p.path, headers: { 'x-api-key': key, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body } : {}) });
}

describe('route scopes', () => {
  it('every route declares a scope, and it is the one this table expects (HEAD twins and /docs included)', () => {
    const actual = srv.app.routeScopes();
    const undeclared = actual.filter((r) => r.scope === undefined).map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
    const declared = Object.fromEntries(actual.filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/docs')).map((r) => [`${r.method} ${r.url}`, r.scope]));
    expect(declared).toEqual(EXPECTED);
    for (const r of actual.filter((x) => x.method === 'HEAD' && !x.url.startsWith('/docs'))) expect(r.scope, r.url).toBe(EXPECTED[`GET ${r.url}`]);
    for (const r of actual.filter((x) => x.url.startsWith('/docs'))) expect(r.scope, r.url).toBe('owner');
  });

  const scoped = Object.entries(EXPECTED).filter((e): e is [string, Scope] => (SCOPES as readonly string[]).includes(e[1]));
  it.each(scoped)('%s: refused (403 FORBIDDEN_SCOPE) to a key with every other scope; let through with %s alone', async (route, scope) => {
    const refused = await probe(route, keys.get(`all but ${scope}`)!);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN_SCOPE');
    expect(refused.body.error.message).toBe(`This key lacks the ${scope} scope: ask the owner for a key with it.`);
    const allowed = await probe(route, keys.get(`only ${scope}`)!);
    expect([401, 403]).not.toContain(allowed.status);
  });

  it.each(Object.entries(EXPECTED).filter(([, s]) => s === 'owner'))('%s: owner-only, refused even to a key with every scope', async (route) => {
    const res = await probe(route, keys.get('everything')!);
    expect(res.status).toBe(403);
    expect(res.body.error?.code ?? res.body).toBe('FORBIDDEN_SCOPE');
  });

  it('/docs is the owner\'s; /openapi.json and /health any client\'s', async () => {
    expect((await rawRequest(srv.url, { path: '/docs', headers: { 'x-api-key': keys.get('everything')! } })).status).toBe(403);
    expect((await probe('GET /openapi.json', keys.get('only read')!)).status).toBe(200);
    expect((await rawRequest(srv.url, { path: '/health' })).status).toBe(200);
  });

  it('an unknown route is a 404 for a key too (not a scope refusal)', async () => {
    const res = await probe('GET /api/nothing-here', keys.get('only read')!);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('nothing reached WhatsApp', () => {
    expect(srv.session.sent).toEqual([]);
  });
});
