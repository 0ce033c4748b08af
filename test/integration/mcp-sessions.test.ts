import { Writable } from 'node:stream';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, TOKEN, type TestServer } from '../helpers/http.js';
import { connectMcp } from '../helpers/mcp.js';

const sessionIdOf = (client: Client): string => (client.transport as StreamableHTTPClientTransport).sessionId!;

/** A test server whose log lines are kept for the test to read. */
async function serverWithLog(maxSessions: number): Promise<{ srv: TestServer; logLines: string[] }> {
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const srv = await startTestServer({ log: pino({ level: 'info' }, sink), mcpLimits: { maxSessions } });
  return { srv, logLines };
}

describe('MCP sessions when the limit is reached', () => {
  let srv: TestServer | undefined;
  const clients: Client[] = [];
  const streams: AbortController[] = [];

  afterEach(async () => {
    for (const s of streams.splice(0)) s.abort();
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await srv?.close();
  });

  it('regression: sessions left open by clients that vanished locked every new MCP client out with 503', async () => {
    const made = await serverWithLog(3);
    srv = made.srv;
    // Three agents connect, then go away without ending their sessions (no DELETE, no open connection).
    const [oldest, middle, recent] = [
      await connectMcp(srv.url, TOKEN, { eventStream: false }),
      await connectMcp(srv.url, TOKEN, { eventStream: false }),
      await connectMcp(srv.url, TOKEN, { eventStream: false }),
    ] as [Client, Client, Client];
    clients.push(oldest, middle, recent);
    await oldest.listTools();
    await recent.listTools();
    // Least recently used: `middle`.

    const newcomer = await connectMcp(srv.url, TOKEN);
    clients.push(newcomer);
    expect((await newcomer.listTools()).tools.length).toBeGreaterThan(5);

    await expect(middle.listTools()).rejects.toMatchObject({ code: 404, message: expect.stringMatching(/Unknown or expired MCP session/) });
    expect((await recent.listTools()).tools.length).toBeGreaterThan(5);
    expect((await oldest.listTools()).tools.length).toBeGreaterThan(5);
    expect(made.logLines.map((l) => JSON.parse(l).msg)).toContainEqual(
      expect.stringMatching(new RegExp(`^closed MCP session ${sessionIdOf(middle)}, idle for \\d+ s, to make room`)),
    );
  });

  it('when every session has an event stream open, a new client gets 503 that says so', async () => {
    srv = (await serverWithLog(2)).srv;
    for (let i = 0; i < 2; i++) {
      const client = await connectMcp(srv.url, TOKEN, { eventStream: false });
      clients.push(client);
      const stream = new AbortController();
      streams.push(stream);
      const res = await fetch(`${srv.url}/mcp`, {
        headers: { authorization: `Bearer ${TOKEN}`, accept: 'text/event-stream', 'mcp-session-id': sessionIdOf(client) },
        signal: stream.signal,
      });
      expect(res.status).toBe(200);
    }
    await expect(connectMcp(srv.url, TOKEN)).rejects.toThrow(/All 2 MCP sessions are in use/);
  });
});
