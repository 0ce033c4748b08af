import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/**
 * The OpenAPI 3 document, generated from the same zod schemas the routes validate with, at
 * /openapi.json, and browsable docs at /docs (Swagger UI, served from the package: no CDN).
 * Registered before the routes so that it sees every one of them.
 */
export const openapiPlugin = fp<{ version: string }>(
  async (app, { version }) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'WhatsApp MCP Desktop',
          version,
          description:
            'Your own WhatsApp account, linked as a device, for local scripts. Every route but /health needs the API token. The same capabilities are MCP tools at /mcp.',
        },
        servers: [{ url: 'http://127.0.0.1:8790' }],
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
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, uiConfig: { docExpansion: 'list', deepLinking: true } });
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'openapi' },
);
