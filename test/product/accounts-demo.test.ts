import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/bridge.js';
import { callTool, connectMcp, errorText } from '../helpers/mcp.js';
import { readmeBlock, runReadmeBlock, startProduct, type CurlCall, type Product } from '../helpers/product.js';

/** `npm run demo` as a user runs it, walked through the README's "Several accounts" section as written. */
describe('npm run demo: a second account, as the README says', () => {
  let product: Product;
  let token: string;
  const get = async (p: string) => (await fetch(product.url + p, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<any>;

  beforeAll(async () => {
    product = await startProduct('demo');
    token = readFileSync(path.join(product.home, '.config/whatsapp-mcp-desktop/demo/api-token'), 'utf8').trim();
  }, 180_000);
  afterAll(() => product?.kill());

  it('the demo session, then the accounts walkthrough: work is created and linked, writes to the default account, which receives it', async () => {
    const summary = (c: CurlCall) => `${c.status} ${c.command}\n${c.body}`;
    const first = await runReadmeBlock(readmeBlock('A session with the simulator:'), product);
    expect(first.code).toBe(0);
    const { calls, stderr, code } = await runReadmeBlock(readmeBlock('Two accounts in the demo:'), product);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(calls.length).toBe(5);
    for (const c of calls) expect(c.status, summary(c)).toBeLessThan(300);
    const listed = JSON.parse(calls[2]!.body);
    expect(listed.accounts.map((a: any) => [a.id, a.state, a.me])).toEqual([
      ['default', 'ready', '15550100100'],
      ['work', 'ready', '15550200002'],
    ]);
    expect(JSON.parse(calls[4]!.body).accounts).toEqual(['work']);
    await until(async () => {
      const read = await get('/api/messages?phone_number=15550200002');
      return (read.messages ?? []).some((m: any) => m.body === 'Hi from work' && !m.from_me);
    }, 'the message from work in the default account');
  }, 120_000);

  it("an MCP client on /mcp sends from work with the tools' `account` argument; /mcp/work is bound to work", async () => {
    const plain = await connectMcp(product.url, token);
    const bound = await connectMcp(product.url, token, { path: '/mcp/work' });
    try {
      const sent = await callTool(plain, 'whatsapp_send_message', { account: 'work', phone_number: '+1 555 010 0100', message: 'Work, by argument' });
      expect(sent.isError ?? false, errorText(sent)).toBe(false);
      expect(sent.structuredContent).toMatchObject({ status: 'sent', chat_id: '15550100100@c.us' });
      await until(async () => {
        const read = await get('/api/messages?phone_number=15550200002');
        return (read.messages ?? []).some((m: any) => m.body === 'Work, by argument' && !m.from_me);
      }, "work's message in the default account");
      const status = (await callTool(bound, 'whatsapp_status')).structuredContent as { account: { wid: string } };
      expect(status.account.wid).toBe('15550200002@c.us');
      const crossing = await callTool(bound, 'whatsapp_status', { account: 'default' });
      expect(crossing.isError).toBe(true);
    } finally {
      await plain.close();
      await bound.close();
    }
  }, 60_000);
});
