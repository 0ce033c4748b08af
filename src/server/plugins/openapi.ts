import swagger, { type SwaggerTransform } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { FAVICON_SVG } from '../../shared/favicon.js';
import { ownUrl } from '../addresses.js';

/**
 * /mcp is mounted by the MCP plugin without a schema; instead of an undocumented "default"
 * group, /docs says what it is and that it is for MCP clients.
 */
const MCP_SUMMARIES: Record<string, string> = {
  POST: "An MCP client's JSON-RPC messages (initialize, tools/list, tools/call…)",
  GET: 'The server-to-client stream of an MCP session',
  DELETE: 'End an MCP session',
};

const transform: SwaggerTransform = (input) => {
  const out = jsonSchemaTransform(input);
  if (input.url !== '/mcp') return out;
  const method = String(input.route.method).toUpperCase();
  return {
    ...out,
    schema: {
      ...out.schema,
      tags: ['mcp'],
      summary: MCP_SUMMARIES[method] ?? 'MCP (Streamable HTTP)',
      description:
        'MCP over Streamable HTTP, for AI agents: give an MCP client (Claude, Cursor, VS Code…) this URL and a client key (or the API token) as "Authorization: Bearer <key>". A key\'s session lists only the tools its scopes cover. Not meant to be called by hand; the tools do what the REST routes here do.',
    },
  };
};

/**
 * The OpenAPI 3 document, generated from the same zod schemas the routes validate with, at
 * /openapi.json, and browsable docs at /docs (Swagger UI, served from the package: no CDN).
 * Registered before the routes so that it sees every one of them. Its `servers` entry is the
 * address the bridge listens on, filled in per request: "Try it out" must call this bridge.
 */
export const openapiPlugin = fp<{ version: string; port: () => number }>(
  async (app, { version, port }) => {
    // The browser pages at /docs (served by swagger-ui) are the owner's; the document itself, any client's.
    app.addHook('onRoute', (route) => {
      if (route.url === '/docs' || route.url.startsWith('/docs/')) route.config = { ...route.config, scope: 'owner' };
    });
    const withServer = <T extends object>(doc: T, req: FastifyRequest) => ({ ...doc, servers: [{ url: ownUrl(req.headers.host, port()) }] });
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'WhatsApp MCP Desktop',
          version,
          description:
            'Your own WhatsApp account, linked as a device, for local scripts. Every route but /health needs the API token or a client key (POST /api/keys); a key may call only the routes its scopes (read, send, link, admin) cover, and gets 403 FORBIDDEN_SCOPE elsewhere. The same capabilities are MCP tools at /mcp.',
        },
        components: {
          securitySchemes: {
            bearer: { type: 'http', scheme: 'bearer', description: 'The API token or a client key: Authorization: Bearer <token>' },
            apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The API token or a client key, as a header' },
          },
        },
        security: [{ bearer: [] }, { apiKey: [] }],
        tags: [
          { name: 'session', description: 'Linking and status' },
          { name: 'messages', description: 'Sending' },
          { name: 'chats', description: 'Reading' },
          { name: 'webhooks', description: 'Signed, retried pushes of the event log' },
          { name: 'keys', description: 'Client keys (scopes and a send policy per client) and the audit trail; the owner token or an admin key' },
          { name: 'mcp', description: 'The MCP endpoint for AI agents' },
          { name: 'dashboard', description: 'For the dashboard page at / and the link page at /qr' },
        ],
      },
      transform,
    });
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      staticCSP: true,
      uiConfig: { docExpansion: 'list', deepLinking: true },
      theme: {
        title: 'API reference — WhatsApp MCP Desktop',
        favicon: [{ filename: 'favicon.svg', rel: 'icon', sizes: 'any', type: 'image/svg+xml', content: Buffer.from(FAVICON_SVG) }],
      },
      transformSpecification: withServer,
      transformSpecificationClone: false,
    });
    app.get('/openapi.json', { config: { scope: 'authenticated' }, schema: { hide: true } }, async (req) => withServer(app.swagger(), req));
  },
  { name: 'openapi' },
);
