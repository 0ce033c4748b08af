import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chatDto, FakeSession, ME } from '../helpers/fake-session.js';
import { startTestServer, TOKEN, type TestServer } from '../helpers/http.js';
import { callTool, connectMcp, errorText, textPayload } from '../helpers/mcp.js';

const SEED_TOOLS = [
  'whatsapp_status',
  'whatsapp_start_auth',
  'whatsapp_pairing_code',
  'whatsapp_send_message',
  'whatsapp_list_chats',
  'whatsapp_read_messages',
  'whatsapp_logout',
];

/** Issue 5's tools, in the seed's naming style. */
const MORE_TOOLS = [
  'whatsapp_import_history',
  'whatsapp_wait_for_messages',
  'whatsapp_search_messages',
  'whatsapp_list_unread',
  'whatsapp_get_send_status',
  'whatsapp_list_sends',
  'whatsapp_send_media',
  'whatsapp_send_location',
  'whatsapp_send_poll',
  'whatsapp_react',
  'whatsapp_delete_message',
  'whatsapp_forward_message',
  'whatsapp_mark_read',
  'whatsapp_download_media',
  'whatsapp_list_groups',
  'whatsapp_search_contacts',
  'whatsapp_get_chat_messages',
];

let srv: TestServer;
let client: Client;
let session: FakeSession;

beforeAll(async () => {
  srv = await startTestServer();
  client = await connectMcp(srv.url, TOKEN);
});
afterAll(async () => {
  await client.close();
  await srv.close();
});
beforeEach(async () => {
  session = srv.session;
  session.sent.length = 0;
  session.chats.clear();
  await session.logout();
});

describe('MCP over Streamable HTTP with the SDK client', () => {
  it('lists the seed tools and the others, with described inputs, output schemas and honest annotations', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(SEED_TOOLS));
    expect(tools).toHaveLength(SEED_TOOLS.length + MORE_TOOLS.length);
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(MORE_TOOLS));
    for (const tool of tools) {
      expect(tool.description?.length, tool.name).toBeGreaterThan(40);
      expect(tool.outputSchema?.type, tool.name).toBe('object');
      for (const [field, schema] of Object.entries(tool.inputSchema.properties ?? {})) {
        expect((schema as { description?: string }).description, `${tool.name}.${field}`).toBeTruthy();
      }
    }
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(byName.whatsapp_status?.annotations).toMatchObject({ readOnlyHint: true });
    expect(byName.whatsapp_list_chats?.annotations).toMatchObject({ readOnlyHint: true });
    expect(byName.whatsapp_read_messages?.annotations).toMatchObject({ readOnlyHint: true });
    expect(byName.whatsapp_send_message?.annotations).toMatchObject({ readOnlyHint: false, idempotentHint: false, openWorldHint: true });
    expect(byName.whatsapp_logout?.annotations).toMatchObject({ destructiveHint: true });
    expect(byName.whatsapp_delete_message?.annotations).toMatchObject({ destructiveHint: true });
    for (const readOnly of ['whatsapp_list_groups', 'whatsapp_search_contacts', 'whatsapp_get_chat_messages', 'whatsapp_download_media']) {
      expect(byName[readOnly]?.annotations, readOnly).toMatchObject({ readOnlyHint: true });
    }
    // phone_number or group_id: exactly one, checked by the service (issue 5 extends the seed tool).
    expect(byName.whatsapp_send_message?.inputSchema.required).toEqual(['message']);
    expect(Object.keys(byName.whatsapp_send_message?.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(['phone_number', 'group_id', 'reply_to', 'mentions']));
    expect(byName.whatsapp_read_messages?.inputSchema.required).toEqual(['phone_number']);
  });

  it('regression: whatsapp_start_auth sent the model to http://127.0.0.1:8790/qr whatever the port, where a link without the token answers 401', async () => {
    const { tools } = await client.listTools();
    const description = tools.find((t) => t.name === 'whatsapp_start_auth')?.description ?? '';
    expect(new URL(srv.url).port).not.toBe('8790');
    expect(description).not.toMatch(/8790/);
    expect(description).toContain(`${srv.url}/qr?token=`);
    expect(description).toMatch(/printed/);
  });

  it('whatsapp_status: pretty JSON text equal to structuredContent and to REST /api/status', async () => {
    const result = await callTool(client, 'whatsapp_status');
    expect(result.isError).toBeFalsy();
    const text = (result.content[0] as { text: string }).text;
    expect(text).toBe(JSON.stringify(result.structuredContent, null, 2));
    expect(textPayload(result)).toEqual((await srv.call('/api/status')).body);
  });

  it('whatsapp_start_auth starts and returns the status', async () => {
    const result = await callTool(client, 'whatsapp_start_auth');
    expect(textPayload(result).state).toBe('starting');
  });

  it('whatsapp_pairing_code returns the code for the normalized number', async () => {
    const result = await callTool(client, 'whatsapp_pairing_code', { phone_number: '+1 555 000 0000' });
    expect(textPayload(result)).toEqual({
      already_authenticated: false,
      phone_number: '15550000000',
      code: 'ABCD-1234',
      instructions: 'WhatsApp -> Linked devices -> Link a device -> Link with phone number instead',
    });
  });

  it('whatsapp_pairing_code when already linked', async () => {
    session.link();
    const payload = textPayload(await callTool(client, 'whatsapp_pairing_code', { phone_number: '15550000000' }));
    expect(payload).toMatchObject({ already_authenticated: true, code: null, status: { state: 'ready', account: ME } });
  });

  it('whatsapp_send_message sends and answers the seed shape', async () => {
    session.link();
    const payload = textPayload(await callTool(client, 'whatsapp_send_message', { phone_number: '15551234567', message: 'Hi from the agent 🤖' }));
    expect(payload).toMatchObject({ ok: true, to: '15551234567', chat_id: '15551234567@c.us' });
    expect(payload.message_id).toMatch(/^true_15551234567@c\.us_/);
    expect(session.sent).toEqual([{ chatId: '15551234567@c.us', text: 'Hi from the agent 🤖' }]);
  });

  it('whatsapp_list_chats and whatsapp_read_messages return the seed objects', async () => {
    session.link();
    session.chats.set('1@c.us', { chat: chatDto('1@c.us', 'Alice', { timestamp: 5 }), messages: [] });
    await callTool(client, 'whatsapp_send_message', { phone_number: '15551234567', message: 'one' });
    const chats = textPayload(await callTool(client, 'whatsapp_list_chats', { limit: 5 }));
    expect(chats.count).toBe(2);
    expect(chats.chats[0].id).toBe('15551234567@c.us');
    const read = textPayload(await callTool(client, 'whatsapp_read_messages', { phone_number: '15551234567', limit: 3 }));
    expect(read).toMatchObject({ ok: true, count: 1, chat: { id: '15551234567@c.us' } });
    expect(read.messages[0]).toMatchObject({ body: 'one', from_me: true, type: 'chat' });
  });

  it('whatsapp_logout', async () => {
    session.link();
    expect(textPayload(await callTool(client, 'whatsapp_logout'))).toEqual({ ok: true });
    expect(textPayload(await callTool(client, 'whatsapp_status')).state).toBe('stopped');
  });

  it('domain failures are isError results that say how to recover', async () => {
    const notStarted = await callTool(client, 'whatsapp_send_message', { phone_number: '15551234567', message: 'x' });
    expect(notStarted.isError).toBe(true);
    expect(errorText(notStarted)).toMatch(/^WA_NOT_STARTED: .*whatsapp_start_auth/);

    session.set('qr', { qr: 'x' });
    const notLinked = await callTool(client, 'whatsapp_list_chats', {});
    expect(errorText(notLinked)).toMatch(/^WA_NOT_LINKED: .*not linked yet.*whatsapp_pairing_code/);
    expect(session.sent).toEqual([]);
  });

  it('a second agent gets its own session; requests without a session are refused', async () => {
    const other = await connectMcp(srv.url, TOKEN);
    expect((await other.listTools()).tools).toHaveLength(SEED_TOOLS.length + MORE_TOOLS.length);
    await other.close();

    const res = await fetch(`${srv.url}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(400);
    const unknown = await fetch(`${srv.url}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': 'nope' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(unknown.status).toBe(404);
  });

  it('the MCP endpoint requires the token', async () => {
    await expect(connectMcp(srv.url, 'wrong-token')).rejects.toThrow(/401|Unauthorized/i);
  });
});

describe('tool input schemas say what the words say (issue 15)', () => {
  it('a tool with a recipient declares exactly one of phone_number / group_id as oneOf; a media item needs data or path; unknown arguments are refused', async () => {
    const session = new FakeSession();
    session.link(ME);
    const srv2 = await startTestServer({ session });
    const client = await connectMcp(srv2.url, TOKEN);
    try {
      const { tools } = await client.listTools();
      const byName = new Map(tools.map((t) => [t.name, t.inputSchema as Record<string, any>]));
      for (const name of ['whatsapp_send_message', 'whatsapp_send_media', 'whatsapp_send_location', 'whatsapp_send_poll', 'whatsapp_forward_message']) {
        expect(byName.get(name)?.oneOf.map((b: { required: string[] }) => b.required), name).toEqual([['phone_number'], ['group_id']]);
      }
      for (const [name, schema] of byName) if (schema.properties && Object.keys(schema.properties).length) expect(schema.additionalProperties, name).toBe(false);
      expect(byName.get('whatsapp_send_media')!.properties.media.items.oneOf.map((b: { required: string[] }) => b.required)).toEqual([['data'], ['path']]);

      const typo = await client.callTool({ name: 'whatsapp_send_message', arguments: { phone_numer: '+15550100001', group_id: undefined, message: 'to whom?' } });
      expect(typo.isError).toBe(true);
      expect(JSON.stringify(typo.content)).toMatch(/phone_numer/);
      expect(srv2.session.outgoing).toEqual([]);
    } finally {
      await client.close();
      await srv2.close();
    }
  });
});

describe('tool schemas pass a strict JSON Schema validator (what the MCP Inspector --strict checks)', () => {
  it('every input and output schema of every tool compiles under Ajv strict mode without a warning (no type arrays)', async () => {
    const Ajv = ((await import('ajv')) as unknown as { default: typeof import('ajv').Ajv }).default;
    const session = new FakeSession();
    session.link(ME);
    const srv2 = await startTestServer({ session });
    const client = await connectMcp(srv2.url, TOKEN);
    try {
      const { tools } = await client.listTools();
      const warnings: string[] = [];
      const log = { log: () => undefined, warn: (...a: unknown[]) => void warnings.push(a.join(' ')), error: (...a: unknown[]) => void warnings.push(a.join(' ')) };
      const ajv = new Ajv({ strict: true, allowUnionTypes: false, logger: log, validateSchema: false });
      for (const t of tools) {
        for (const [kind, schema] of [['input', t.inputSchema], ['output', t.outputSchema]] as const) {
          if (!schema) continue;
          const { $schema: _s, ...body } = schema as Record<string, unknown>;
          try {
            ajv.compile(body);
          } catch (err) {
            warnings.push(`${t.name} ${kind}: ${(err as Error).message}`);
          }
        }
      }
      expect(warnings).toEqual([]);
      expect(JSON.stringify(tools)).not.toMatch(/"type":\[/);
    } finally {
      await client.close();
      await srv2.close();
    }
  });
});
