import { randomUUID } from 'node:crypto';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { boundToAccount } from '../accounts-front.js';
import { ownUrl } from '../addresses.js';
import type { AppServices } from '../../app/index.js';
import { attachCaller, type McpCaller } from './caller.js';
import { createMcpServer } from './server.js';
import { McpSessions, type McpSession } from './sessions.js';

export interface McpLimits {
  /** Sessions idle this long are closed (clients that vanish without DELETE). */
  idleMs?: number;
  /** When full, the least recently used idle session makes room for a new client. */
  maxSessions?: number;
}

export interface McpPluginOptions extends McpLimits {
  services: AppServices;
  version: string;
  /** The port the server listens on, for the addresses tool descriptions give. */
  port: () => number;
  /** Every running account's services, for tool calls that name another account (absent: this one only). */
  servicesOf?: (account: string) => AppServices | null;
}

function jsonRpcError(reply: FastifyReply, status: number, code: number, message: string): FastifyReply {
  return reply.code(status).send({ jsonrpc: '2.0', error: { code, message }, id: null });
}

/** The same credential: the owner token, or the same client key. */
const sameClient = (a: McpCaller['client'], b: McpCaller['client']): boolean => a.kind === b.kind && a.id === b.id;

/**
 * MCP over Streamable HTTP at /mcp, with sessions (`Mcp-Session-Id`) so the server can
 * push notifications later. Fastify has already checked Host, Origin and the credential.
 * A session belongs to the credential that opened it: another one cannot use it, and
 * revoking a key closes its sessions.
 */
export const mcpPlugin: FastifyPluginAsync<McpPluginOptions> = async (app, opts) => {
  const idleMs = opts.idleMs ?? 60 * 60_000;
  const maxSessions = opts.maxSessions ?? 64;
  const sessions = new McpSessions({ max: maxSessions, idleMs, log: app.log });

  const sweep = setInterval(() => sessions.sweep(), Math.min(idleMs, 60_000));
  sweep.unref();

  const unsubscribe = opts.services.keys.onRevoked((id) => sessions.closeWhere((s) => s.caller.client.id === id, 'because its key was revoked'));
  app.addHook('onClose', async () => {
    unsubscribe();
    clearInterval(sweep);
    await sessions.closeAll();
  });

  const handle = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> => {
    const header = req.headers['mcp-session-id'];
    const sessionId = typeof header === 'string' ? header : undefined;
    let live = sessionId ? sessions.get(sessionId) : undefined;

    if (sessionId && !live) return jsonRpcError(reply, 404, -32001, 'Unknown or expired MCP session: start a new one with an initialize request.');
    const client = req.client;
    if (!client) return jsonRpcError(reply, 401, -32001, 'No credential: send the API token or a client key.');
    if (live && !sameClient(live.caller.client, client)) {
      return jsonRpcError(reply, 403, -32001, 'This MCP session was opened with another credential: start your own session with an initialize request.');
    }
    if (!live) {
      if (req.method !== 'POST' || !isInitializeRequest(req.body)) {
        return jsonRpcError(reply, 400, -32000, 'No MCP session: send an initialize request first (without Mcp-Session-Id).');
      }
      if (!sessions.makeRoom()) {
        return jsonRpcError(
          reply,
          503,
          -32000,
          `All ${maxSessions} MCP sessions are in use (each has a request or an event stream open): close a client you no longer use, or retry later.`,
        );
      }
      const id = randomUUID();
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => id,
        onsessioninitialized: () => sessions.add(id, session),
      });
      // What the session has read travels with its caller: policies (quarantine) look at it.
      const caller: McpCaller = { client, account: opts.services.account, bound: boundToAccount(req.raw), session: { id, readUntrustedFrom: new Set() } };
      const session: McpSession = { transport, caller, lastSeen: Date.now(), open: 0 };
      transport.onclose = () => {
        if (transport.sessionId) sessions.remove(transport.sessionId);
      };
      await createMcpServer(opts.services, { version: opts.version, url: ownUrl(req.headers.host, opts.port()) }, caller, opts.servicesOf).connect(transport);
      live = session;
    }
    sessions.track(live, reply.raw);
    attachCaller(req.raw, live.caller);
    reply.hijack();
    await live.transport.handleRequest(req.raw, reply.raw, req.body);
  };

  // Any credential opens a session; each tool needs its scope (see tool-scopes.ts).
  const config = { scope: 'authenticated' as const };
  app.post('/mcp', { config }, handle);
  app.get('/mcp', { config }, handle);
  app.delete('/mcp', { config }, handle);
};
