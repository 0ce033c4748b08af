import { randomUUID } from 'node:crypto';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { createMcpServer, type Services } from './server.js';

export interface McpPluginOptions {
  services: Services;
  version: string;
  /** Sessions idle this long are closed (clients that vanish without DELETE). */
  idleMs?: number;
  maxSessions?: number;
}

interface Live {
  transport: StreamableHTTPServerTransport;
  lastSeen: number;
}

function jsonRpcError(reply: FastifyReply, status: number, code: number, message: string): FastifyReply {
  return reply.code(status).send({ jsonrpc: '2.0', error: { code, message }, id: null });
}

/**
 * MCP over Streamable HTTP at /mcp, with sessions (`Mcp-Session-Id`) so the server can
 * push notifications later. Fastify has already checked Host, Origin and the token.
 */
export const mcpPlugin: FastifyPluginAsync<McpPluginOptions> = async (app, opts) => {
  const sessions = new Map<string, Live>();
  const idleMs = opts.idleMs ?? 60 * 60_000;
  const maxSessions = opts.maxSessions ?? 64;

  const sweep = setInterval(() => {
    const cutoff = Date.now() - idleMs;
    for (const [id, live] of sessions) if (live.lastSeen < cutoff) void live.transport.close().finally(() => sessions.delete(id));
  }, Math.min(idleMs, 60_000));
  sweep.unref();

  app.addHook('onClose', async () => {
    clearInterval(sweep);
    await Promise.all([...sessions.values()].map((s) => s.transport.close().catch(() => undefined)));
    sessions.clear();
  });

  const handle = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> => {
    const header = req.headers['mcp-session-id'];
    const sessionId = typeof header === 'string' ? header : undefined;
    let live = sessionId ? sessions.get(sessionId) : undefined;

    if (sessionId && !live) return jsonRpcError(reply, 404, -32001, 'Unknown or expired MCP session: start a new one with an initialize request.');
    if (!live) {
      if (req.method !== 'POST' || !isInitializeRequest(req.body)) {
        return jsonRpcError(reply, 400, -32000, 'No MCP session: send an initialize request first (without Mcp-Session-Id).');
      }
      if (sessions.size >= maxSessions) {
        return jsonRpcError(reply, 503, -32000, `Too many open MCP sessions (${maxSessions}); close unused clients or retry later.`);
      }
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          sessions.set(id, { transport, lastSeen: Date.now() });
        },
      });
      transport.onclose = () => {
        if (transport.sessionId) sessions.delete(transport.sessionId);
      };
      await createMcpServer(opts.services, opts.version).connect(transport);
      live = { transport, lastSeen: Date.now() };
    }
    live.lastSeen = Date.now();
    reply.hijack();
    await live.transport.handleRequest(req.raw, reply.raw, req.body);
  };

  app.post('/mcp', handle);
  app.get('/mcp', handle);
  app.delete('/mcp', handle);
};
