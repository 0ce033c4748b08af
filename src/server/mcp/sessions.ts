import type { ServerResponse } from 'node:http';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { FastifyBaseLogger } from 'fastify';
import type { McpCaller } from './caller.js';

export interface McpSession {
  readonly transport: StreamableHTTPServerTransport;
  /** The credential that opened it (only it may use the session) and what the session has read. */
  readonly caller: McpCaller;
  lastSeen: number;
  /** Responses still open: requests in flight and the client's standalone event stream (GET). */
  open: number;
}

export interface McpSessionsOptions {
  max: number;
  idleMs: number;
  log: FastifyBaseLogger;
  now?: () => number;
}

/**
 * The open MCP sessions, at most `max`. A session is idle when none of its responses is
 * open (no request in flight, no event stream): a client that vanished without DELETE
 * leaves an idle session behind, and the least recently used idle session gives way to a
 * new client instead of locking it out.
 */
export class McpSessions {
  private readonly live = new Map<string, McpSession>();
  private readonly now: () => number;

  constructor(private readonly opts: McpSessionsOptions) {
    this.now = opts.now ?? Date.now;
  }

  get(id: string): McpSession | undefined {
    return this.live.get(id);
  }

  add(id: string, session: McpSession): void {
    this.live.set(id, session);
  }

  remove(id: string): void {
    this.live.delete(id);
  }

  /** `res` keeps the session in use until it closes (answered, or the client went away). */
  track(session: McpSession, res: ServerResponse): void {
    session.lastSeen = this.now();
    session.open++;
    res.once('close', () => {
      session.open--;
      session.lastSeen = this.now();
    });
  }

  /** Room for one more session, closing the least recently used idle ones; false when every session is in use. */
  makeRoom(): boolean {
    while (this.live.size >= this.opts.max) {
      let oldest: [string, McpSession] | undefined;
      for (const entry of this.live) if (entry[1].open === 0 && (!oldest || entry[1].lastSeen < oldest[1].lastSeen)) oldest = entry;
      if (!oldest) return false;
      this.close(oldest[0], oldest[1], 'to make room for a new client');
    }
    return true;
  }

  /** Closes the sessions idle for longer than `idleMs`. */
  sweep(): void {
    const cutoff = this.now() - this.opts.idleMs;
    for (const [id, session] of this.live) if (session.open === 0 && session.lastSeen < cutoff) this.close(id, session, 'after the idle limit');
  }

  /** Closes the sessions `which` picks (a revoked key's), in use or not. */
  closeWhere(which: (session: McpSession) => boolean, why: string): void {
    for (const [id, session] of this.live) if (which(session)) this.close(id, session, why);
  }

  async closeAll(): Promise<void> {
    const all = [...this.live.values()];
    this.live.clear();
    await Promise.all(all.map((s) => s.transport.close().catch(() => undefined)));
  }

  private close(id: string, session: McpSession, why: string): void {
    this.live.delete(id);
    const idleSeconds = Math.round((this.now() - session.lastSeen) / 1000);
    this.opts.log.warn({ mcpSession: id, idleSeconds }, `closed MCP session ${id}, idle for ${idleSeconds} s, ${why}`);
    void session.transport.close().catch(() => undefined);
  }
}
