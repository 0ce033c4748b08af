import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, startTestServer, TOKEN, type TestServer } from '../helpers/http.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(() => srv.close());

describe('OpenAPI document and /docs', () => {
  it('/openapi.json is a valid OpenAPI 3 document listing every API route', async () => {
    const { status, body } = await srv.call('/openapi.json');
    expect(status).toBe(200);
    const doc = structuredClone(body);
    await expect(SwaggerParser.validate(doc)).resolves.toBeTruthy();
    expect(body.openapi).toMatch(/^3\./);

    const documented = Object.entries(body.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    // Every /api route the app actually serves, from Fastify's own route tree.
    const served = [...srv.app.printRoutes({ commonPrefix: false }).matchAll(/(api\/\S+) \(([^)]+)\)/g)].flatMap(([, p, methods]) =>
      methods!
        .split(', ')
        .filter((m) => m !== 'HEAD')
        .map((m) => `${m} /${p}`),
    );
    expect(served.length).toBeGreaterThan(8);
    for (const route of [...served, 'GET /health']) expect(documented, route).toContain(route);
  });

  it('regression: the documents named http://127.0.0.1:8790 as their server whatever the port, so "Try it out" in /docs failed', async () => {
    // Port 0: the server listens on whatever port the OS picked.
    expect(new URL(srv.url).port).not.toBe('8790');
    expect((await srv.call('/openapi.json')).body.servers).toEqual([{ url: srv.url }]);
    // The document Swagger UI at /docs loads and sends "Try it out" requests to.
    expect((await srv.call('/docs/json')).body.servers).toEqual([{ url: srv.url }]);
    const viaLocalhost = await rawRequest(srv.url, { path: '/openapi.json', headers: { authorization: `Bearer ${TOKEN}`, host: `localhost:${new URL(srv.url).port}` } });
    expect(viaLocalhost.body.servers).toEqual([{ url: `http://localhost:${new URL(srv.url).port}` }]);
  });

  it('documents inputs, outputs and errors from the shared schemas', async () => {
    const { body } = await srv.call('/openapi.json');
    const send = body.paths['/api/send'].post;
    const schema = send.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(['message']);
    expect(schema.properties.phone_number.description).toMatch(/country code/);
    expect(Object.keys(send.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '409', '503']));
    expect(body.paths['/api/chats'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['limit']);
    expect(body.paths['/health'].get.security).toEqual([]);
  });

  it('documents client keys: the created key, the safe defaults, and the scope refusal', async () => {
    const { body } = await srv.call('/openapi.json');
    const create = body.paths['/api/keys'].post;
    expect(create.tags).toEqual(['keys']);
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '409']));
    expect(create.responses['201'].content['application/json'].schema.properties.key.description).toMatch(/Shown this once/);
    expect(create.requestBody.content['application/json'].schema.properties.recipients.enum).toEqual(['any', 'contacts', 'allowlist', 'reply_only']);
    expect(create.description).toMatch(/reply_only/);
    expect(Object.keys(body.paths['/api/keys/{id}'])).toEqual(expect.arrayContaining(['get', 'delete']));
    expect(body.paths['/api/audit'].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['action', 'before', 'client_id', 'limit', 'since']);
  });

  it('/docs needs the token and serves Swagger UI from the package', async () => {
    expect((await rawRequest(srv.url, { path: '/docs' })).status).toBe(401);
    const login = await rawRequest(srv.url, { path: `/docs?token=${TOKEN}`, headers: { accept: 'text/html' } });
    expect(login.status).toBe(303);
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    let res = await rawRequest(srv.url, { path: '/docs', headers: { cookie } });
    for (let hops = 0; res.status >= 300 && res.status < 400 && hops < 3; hops++) {
      res = await rawRequest(srv.url, { path: String(res.headers.location).replace(/^\.\//, '/docs/'), headers: { cookie } });
    }
    expect(res.status).toBe(200);
    expect(String(res.body)).toMatch(/swagger-ui/i);
  });
});
