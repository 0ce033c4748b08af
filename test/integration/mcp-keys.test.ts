import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TOOL_SCOPES } from '../../src/server/mcp/tool-scopes.js';
import { rawRequest, startTestServer, TOKEN, type TestServer } from '../helpers/http.js';
import { callTool, connectMcp, errorText } from '../helpers/mcp.js';

let srv: TestServer;
const clients: Client[] = [];
beforeAll(async () => {
  srv = await startTestServer();
  srv.session.link();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
});
afterAll(() => srv.close());

async function createKey(name: string, scopes: string[]): Promise<{ id: string; key: string }> {
  const res = await srv.call('/api/keys', { method: 'POST', json: { name, scopes, recipients: 'any', approve: 'never' } });
  expect(res.status).toBe(201);
  return res.body;
}
async function connect(credential: string, opts: { eventStream?: boolean } = {}): Promise<Client> {
  const c = await connectMcp(srv.url, credential, opts);
  clients.push(c);
  return c;
}
const sessionIdOf = (c: Client): string => (c.transport as StreamableHTTPClientTransport).sessionId!;
const toolNames = async (c: Client) => (await c.listTools()).tools.map((t) => t.name).sort();
const toolsWith = (...scopes: string[]) =>
  Object.entries(TOOL_SCOPES)
    .filter(([, s]) => scopes.includes(s))
    .map(([n]) => n)
    .sort();

describe('MCP with client keys', () => {
  it('the owner sees every tool, and every tool has a scope', async () => {
    const owner = await connect(TOKEN);
    const names = await toolNames(owner);
    expect(names).toEqual(Object.keys(TOOL_SCOPES).sort());
  });

  it.each([
    [['read'], ['read']],
    [['send'], ['send']],
    [['link'], ['link']],
    [['read', 'send'], ['read', 'send']],
    [['admin'], []],
  ])('a key with %j sees only the tools of %j', async (scopes, toolScopes) => {
    const { key } = await createKey(`mcp ${scopes.join('+')}`, scopes);
    const c = await connect(key);
    expect(await toolNames(c)).toEqual(toolsWith(...toolScopes));
  });

  it('a read key cannot call a send tool: nothing is sent', async () => {
    const { key } = await createKey('reader', ['read']);
    const c = await connect(key);
    const before = srv.session.sent.length;
    const res = await callTool(c, 'whatsapp_send_message', { phone_number: '+15550100001', message: 'injected' }).catch((err: Error) => ({ isError: true, content: [{ type: 'text' as const, text: err.message }] }));
    expect(res.isError).toBe(true);
    expect(errorText(res as never)).toMatch(/whatsapp_send_message not found/);
    expect(srv.session.sent.length).toBe(before);
  });

  it('the chat resources need the read scope too', async () => {
    const { key: sender } = await createKey('sender only', ['send']);
    const c = await connect(sender);
    expect((await c.listResources()).resources).toEqual([]);
    await expect(c.readResource({ uri: 'whatsapp://chats' })).rejects.toThrow();
    const { key: reader } = await createKey('resources reader', ['read']);
    const r = await connect(reader);
    expect((await r.listResources()).resources.map((x) => x.uri)).toContain('whatsapp://chats');
    expect((await r.readResource({ uri: 'whatsapp://chats' })).contents).toHaveLength(1);
  });

  it('a send by a key through MCP goes out and is audited under the key name, with its outbox id', async () => {
    const { key, id } = await createKey('Claude Desktop (test)', ['read', 'send']);
    const c = await connect(key);
    const res = await callTool(c, 'whatsapp_send_message', { phone_number: '+1 555 010 0002', message: 'hello from a key' });
    expect(res.isError).toBeFalsy();
    const out = res.structuredContent as { outbox_id: string; chat_id: string };
    expect(srv.session.sent.at(-1)).toEqual({ chatId: '15550100002@c.us', text: 'hello from a key' });
    const audit = await srv.call(`/api/audit?client_id=${id}&action=send_message`);
    expect(audit.body.entries).toEqual([
      expect.objectContaining({ client_kind: 'key', client_id: id, client_name: 'Claude Desktop (test)', transport: 'mcp', action: 'send_message', target: '15550100002@c.us', outcome: 'ok', code: null, outbox_id: out.outbox_id }),
    ]);
    // Reads are not audited.
    await callTool(c, 'whatsapp_list_chats', {});
    expect((await srv.call(`/api/audit?client_id=${id}`)).body.entries.map((e: { action: string }) => e.action)).toEqual(['send_message']);
  });

  it('a failed send through MCP is audited with its error code', async () => {
    const { key, id } = await createKey('clumsy agent', ['send']);
    const c = await connect(key);
    const res = await callTool(c, 'whatsapp_send_message', { phone_number: '+1555CALLNOW', message: 'x' });
    expect(res.isError).toBe(true);
    const [entry] = (await srv.call(`/api/audit?client_id=${id}`)).body.entries;
    expect(entry).toMatchObject({ action: 'send_message', outcome: 'INVALID_PHONE', code: 'INVALID_PHONE', target: '+1555CALLNOW', outbox_id: null });
  });

  it('a session is bound to the credential that opened it: another key, or the owner token, gets 403', async () => {
    const a = await createKey('agent A', ['read']);
    const b = await createKey('agent B', ['read', 'send']);
    const c = await connect(a.key);
    const sessionId = sessionIdOf(c);
    const body = JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list' });
    const headers = (cred: string) => ({ authorization: `Bearer ${cred}`, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18', 'content-type': 'application/json', accept: 'application/json, text/event-stream' });
    for (const cred of [b.key, TOKEN]) {
      const res = await rawRequest(srv.url, { method: 'POST', path: '/mcp', headers: headers(cred), body });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/another credential/);
    }
    // The rightful owner of the session still uses it.
    expect((await c.listTools()).tools.length).toBeGreaterThan(0);
  });

  it('revoking a key closes its MCP sessions: the next call is refused and the session is gone', async () => {
    const { key, id } = await createKey('to be revoked', ['read']);
    const c = await connect(key, { eventStream: false });
    const sessionId = sessionIdOf(c);
    await c.listTools();
    expect((await srv.call(`/api/keys/${id}`, { method: 'DELETE' })).status).toBe(200);
    await expect(c.listTools()).rejects.toThrow(/401|revoked/);
    // Even the owner token cannot find the session any more: it was closed, not just refused.
    const res = await rawRequest(srv.url, {
      method: 'POST',
      path: '/mcp',
      headers: { authorization: `Bearer ${TOKEN}`, 'mcp-session-id': sessionId, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(404);
  });
});

describe('revoking a key ends its event stream', () => {
  it('an open SSE stream of the key ends when the key is revoked; the owner\'s stays open', async () => {
    const { key, id } = await createKey('listener', ['read']);
    const open = async (cred: string) => {
      const abort = new AbortController();
      const res = await fetch(`${srv.url}/api/events`, { headers: { authorization: `Bearer ${cred}` }, signal: abort.signal });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      await reader.read(); // the retry: line
      let ended = false;
      const done = (async () => {
        while (!(await reader.read().catch(() => ({ done: true }))).done);
        ended = true;
      })();
      return { done, ended: () => ended, abort };
    };
    const keyStream = await open(key);
    const ownerStream = await open(TOKEN);
    await srv.call(`/api/keys/${id}`, { method: 'DELETE' });
    await keyStream.done;
    expect(keyStream.ended()).toBe(true);
    expect(ownerStream.ended()).toBe(false);
    ownerStream.abort.abort();
  });
});
