import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { ownUrl } from '../addresses.js';

/**
 * The OpenAPI 3 document, generated from the same zod schemas the routes validate with, at
 * /openapi.json, and browsable docs at /docs (Swagger UI, served from the package: no CDN).
 * Registered before the routes so that it sees every one of them. Its `servers` entry is the
 * address the bridge listens on, filled in per request: "Try it out" must call this bridge.
 */
export const openapiPlugin = fp<{ version: string; port: () => number }>(
  async (app, { version, port }) => {
    const withServer = <T extends object>(doc: T, req: FastifyRequest) => ({ ...doc, servers: [{ url: ownUrl(req.headers.host, port()) }] });
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'WhatsApp MCP Desktop',
          version,
          description:
            'Your own WhatsApp account, linked as a device, for local scripts. Every route but /health needs the API token. The same capabilities are MCP tools at /mcp.',
        },
        components: {
          securitySchemes: {
            bearer: { type: 'http', scheme: 'bearer', description: 'The API token: Authorization: Bearer <token>' },
            apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The API token, as a header' },
          },
        },
        security: [{ bearer: [] }, { apiKey: [] }],
        tags: [
          { name: 'session', description: 'Linking and status' },
          { name: 'messages', description: 'Sending' },
          { name: 'chats', description: 'Reading' },
        ],
      },
      transform: jsonSchemaTransform,
    });
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      staticCSP: true,
      uiConfig: { docExpansion: 'list', deepLinking: true },
      transformSpecification: withServer,
      transformSpecificationClone: false,
    });
    app.get('/openapi.json', { schema: { hide: true } }, async (req) => withServer(app.swagger(), req));
  },
  { name: 'openapi' },
);
