/**
 * One HTTP server for the REST and MCP scenarios, in its own process so the load generator
 * (in the parent) and the server each get a core. argv[2]: "ours" (buildApp over a ready
 * in-memory session), "bare" (a bare Fastify answering the same JSON) or "bare-mcp" (the
 * MCP SDK's own server on node:http with the one tool, answering the same result).
 * Reports its port over IPC and closes when the parent disconnects.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import Fastify, { type FastifyInstance } from 'fastify';
import { StatusSchema } from '../../src/app/schemas/index.js';
import { createLogger } from '../../src/core/logger.js';
import { buildApp } from '../../src/server/app.js';
import { BENCH_TOKEN } from '../lib/config.js';
import { MemorySession, statusBody } from '../lib/memory-session.js';
import { startServices } from '../../test/helpers/services.js';

async function ours(): Promise<FastifyInstance> {
  // The bridge's own logger at its default level: nothing is logged per request. The send
  // pace is lifted out of reach: this measures the HTTP layer, not the account's pace.
  // The store is a file, as the bridge has it: every send is recorded in the outbox.
  const unpaced = { perMinute: Number.MAX_SAFE_INTEGER, burst: Number.MAX_SAFE_INTEGER };
  const log = createLogger({ level: 'info' });
  const { services } = await startServices(new MemorySession(), { sendPace: unpaced, onDisk: true, log });
  return buildApp({ services, token: BENCH_TOKEN, log, version: '0.0.0-bench' });
}

function bare(): FastifyInstance {
  const app = Fastify();
  const status = statusBody();
  let seq = 0;
  app.get('/api/status', async () => status);
  app.post('/api/send', async (req) => {
    const to = String((req.body as { phone_number?: unknown }).phone_number).replace(/\D/g, '');
    const chatId = `${to}@c.us`;
    // The same answer as the bridge's, outbox id and status included (the bare server keeps no outbox).
    return { ok: true, to, chat_id: chatId, message_id: `true_${chatId}_BENCH${++seq}`, timestamp: new Date().toISOString(), outbox_id: `ob_BENCH${seq}`, status: 'sent' };
  });
  return app;
}

/** The SDK's documented stateful set-up: one transport and server per MCP session. */
function bareMcp(): http.Server {
  const status = statusBody();
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown) : undefined;
        const id = req.headers['mcp-session-id'];
        let transport = typeof id === 'string' ? sessions.get(id) : undefined;
        if (!transport) {
          const created: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
            sessionIdGenerator: () => randomUUID(),
            onsessioninitialized: (sid) => {
              sessions.set(sid, created);
            },
          });
          created.onclose = () => {
            if (created.sessionId) sessions.delete(created.sessionId);
          };
          const server = new McpServer({ name: 'bare', version: '0.0.0' });
          server.registerTool('whatsapp_status', { inputSchema: {}, outputSchema: StatusSchema.shape }, () => ({
            content: [{ type: 'text', text: JSON.stringify(status, null, 2) }],
            structuredContent: status,
          }));
          await server.connect(created);
          transport = created;
        }
        await transport.handleRequest(req, res, body);
      })();
    });
  });
}

const kind = process.argv[2];
if (kind !== 'ours' && kind !== 'bare' && kind !== 'bare-mcp') throw new Error('usage: rest-server.ts ours|bare|bare-mcp');
let close: () => Promise<void>;
let port: number;
if (kind === 'bare-mcp') {
  const server = bareMcp();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
  close = () => new Promise((resolve) => server.close(() => resolve()));
} else {
  const app = kind === 'ours' ? await ours() : bare();
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  port = typeof addr === 'object' && addr ? addr.port : 0;
  close = () => app.close();
}
process.send!({ port });
process.on('disconnect', () => {
  void close().finally(() => process.exit(0));
});
