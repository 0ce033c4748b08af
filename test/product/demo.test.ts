import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/bridge.js';
import { callTool, connectMcp, textPayload } from '../helpers/mcp.js';
import { readmeBlock, runReadmeBlock, startProduct, type CurlCall, type Product } from '../helpers/product.js';

/**
 * The product as a user starts it: `npm run demo` in its own process, walked through the
 * README's demo section as written (curl) and through the MCP SDK client. Regression: every
 * read under `npm run demo` answered 500 "__name is not defined" (tsx had rewritten a page
 * script), while every in-process test passed; this file failed on that code.
 */
describe('npm run demo, as the README says', () => {
  let product: Product;
  let token: string;
  const get = (p: string) => fetch(product.url + p, { headers: { authorization: `Bearer ${token}` } });
  const post = (p: string, json?: unknown) =>
    fetch(product.url + p, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });

  beforeAll(async () => {
    product = await startProduct('demo');
    token = readFileSync(path.join(product.home, '.config/whatsapp-mcp-desktop/demo/api-token'), 'utf8').trim();
  });
  afterAll(() => product?.kill());

  it('prints that it is a simulator, keeps its own data dir (0700) and token (0600) under ~/.config/whatsapp-mcp-desktop/demo', () => {
    expect(product.output()).toMatch(/DEMO MODE: a built-in WhatsApp Web SIMULATOR/);
    const dir = path.join(product.home, '.config/whatsapp-mcp-desktop/demo');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dir, 'api-token')).mode & 0o777).toBe(0o600);
    expect(product.output()).toContain(`http://127.0.0.1:${product.port}/qr?token=`);
  });

  it('regression: the README demo walkthrough pasted at once answered 409 at /api/simulator/link (the QR was not up yet); now link, send, incoming and read all work as written', async () => {
    const { calls, stderr, code } = await runReadmeBlock(readmeBlock('A session with the simulator:'), product);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const summary = (c: CurlCall) => `${c.status} ${c.command}\n${c.body}`;
    expect(calls.length).toBeGreaterThanOrEqual(5);
    for (const c of calls) expect(c.status, summary(c)).toBeLessThan(300);
    const read = JSON.parse(calls.at(-1)!.body);
    const bodies = read.messages.map((m: { body: string }) => m.body);
    expect(bodies).toEqual(expect.arrayContaining(['Hi Alice', 'Hi! Got it.']));
  });

  /** Independent of the walkthrough above: linked and with a message from Alice, however that went. */
  async function ensureLinkedWithIncoming(): Promise<void> {
    const state = async () => (await (await get('/api/status')).json()).state as string;
    if ((await state()) !== 'ready') {
      await post('/api/auth/start');
      for (const end = Date.now() + 30_000; (await state()) !== 'qr' && Date.now() < end; ) await new Promise((r) => setTimeout(r, 100));
      await post('/api/simulator/link');
      for (const end = Date.now() + 30_000; (await state()) !== 'ready' && Date.now() < end; ) await new Promise((r) => setTimeout(r, 100));
    }
    expect((await post('/api/simulator/incoming', { phone_number: '15550100001', message: 'Hi! Got it.' })).status).toBe(200);
  }

  it('regression "__name is not defined": an agent over MCP (official SDK client) lists tools, reads the chat, lists chats and sends', async () => {
    await ensureLinkedWithIncoming();
    const client = await connectMcp(product.url, token);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['whatsapp_read_messages', 'whatsapp_get_chat_messages', 'whatsapp_send_message']));
      const read = await callTool(client, 'whatsapp_read_messages', { phone_number: '+1 555 010 0001', limit: 10 });
      expect(read.isError, JSON.stringify(read)).toBeFalsy();
      expect(textPayload(read).messages.map((m: { body: string }) => m.body)).toContain('Hi! Got it.');
      const page = await callTool(client, 'whatsapp_get_chat_messages', { chat_id: '15550100001@c.us', limit: 5 });
      expect(page.isError, JSON.stringify(page)).toBeFalsy();
      const chats = await callTool(client, 'whatsapp_list_chats', { limit: 5 });
      expect(chats.isError, JSON.stringify(chats)).toBeFalsy();
      expect(JSON.stringify(textPayload(chats))).toContain('15550100001@c.us');
      const sent = await callTool(client, 'whatsapp_send_message', { phone_number: '15550100001', message: 'from the agent' });
      expect(sent.isError, JSON.stringify(sent)).toBeFalsy();
    } finally {
      await client.close();
    }
    const rest = await (await get('/api/messages?phone_number=15550100001&limit=10')).json();
    expect(rest.messages.at(-1).body).toBe('from the agent');
  });

  it('logout unlinks: state stopped, and reads then say to link again (409, not 500)', async () => {
    expect((await post('/api/logout')).status).toBe(200);
    const status = await (await get('/api/status')).json();
    expect(status.state).toBe('stopped');
    const read = await get('/api/messages?phone_number=15550100001');
    expect(read.status).toBe(409);
    expect((await read.json()).error.code).toBe('WA_NOT_STARTED');
  });

  it('Ctrl+C closes the server and the browser: nothing of it keeps running', async () => {
    const ended = await product.interrupt();
    // npm itself ends by the SIGINT it was sent, as in a terminal; the bridge under it closes cleanly.
    expect(ended.code === 0 || ended.signal === 'SIGINT', JSON.stringify(ended)).toBe(true);
    expect(product.output()).toContain('SIGINT: closing the server and the browser');
    await expect(fetch(`${product.url}/health`)).rejects.toThrow();
    await until(() => product.leftovers().length === 0, `the bridge and its browser to exit: ${product.leftovers().join('; ')}`, 20_000);
  });
});
