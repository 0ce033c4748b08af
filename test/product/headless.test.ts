import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/bridge.js';
import { callTool, connectMcp, textPayload } from '../helpers/mcp.js';
import { readmeBlock, ROOT, runReadmeBlock, startProduct, type Product } from '../helpers/product.js';

/**
 * `npm run headless` as a new user runs it, with the README's set-up commands. This machine
 * has no route to WhatsApp, so linking ends in a worded error; with internet it shows a QR.
 */
describe('npm run headless, as the README says', () => {
  let product: Product;
  let token: string;
  const dataDir = () => path.join(product.home, '.config/whatsapp-mcp-desktop');
  const get = (p: string) => fetch(product.url + p, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    product = await startProduct('headless');
    token = readFileSync(path.join(dataDir(), 'api-token'), 'utf8').trim();
  });
  afterAll(() => product?.kill());

  it('npm run headless -- --help lists the options and exits 0', () => {
    const r = spawnSync('npm', ['run', '-s', 'headless', '--', '--help'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('WHATSAPP_MCP_PORT');
    expect(r.stdout).toContain('--demo');
  });

  it('prints the addresses with its real port, and keeps the token private in ~/.config/whatsapp-mcp-desktop', () => {
    expect(product.output()).toContain(`MCP        http://127.0.0.1:${product.port}/mcp`);
    expect(product.output()).toContain(`Link page  http://127.0.0.1:${product.port}/qr?token=${token}`);
    expect(statSync(dataDir()).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dataDir(), 'api-token')).mode & 0o777).toBe(0o600);
  });

  it("the README's set-up commands work as written: the token from ~/.config, then linking starts", async () => {
    const tokenLine = readmeBlock('The API token is generated on first run');
    const step1 = /curl -X POST http:\/\/127\.0\.0\.1:8790\/api\/auth\/start[^\n`]*/.exec(readFileSync(path.join(ROOT, 'README.md'), 'utf8'))![0];
    const { calls, stderr, code } = await runReadmeBlock(`${tokenLine}\n${step1}\n`, product);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(calls.map((c) => c.status)).toEqual([200]);
    // Without internet WhatsApp Web cannot load: said in words, and the server keeps serving.
    let status: any;
    const settled = () => status?.state === 'qr' || (status?.state === 'stopped' && status.last_error);
    for (const end = Date.now() + 30_000; !settled() && Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
      status = await (await get('/api/status')).json();
    }
    expect(status.state === 'qr' || /Cannot reach WhatsApp Web/.test(status.last_error), JSON.stringify(status)).toBe(true);
  });

  it('reads before linking are a clear 409, never a 500; MCP answers through the SDK client', async () => {
    const read = await get('/api/messages?phone_number=15550100001');
    expect([409, 503]).toContain(read.status);
    expect((await read.json()).error.message).toMatch(/link|start|QR/i);
    const client = await connectMcp(product.url, token);
    try {
      const status = await callTool(client, 'whatsapp_status');
      expect(status.isError).toBeFalsy();
      expect(['qr', 'stopped']).toContain(textPayload(status).state);
    } finally {
      await client.close();
    }
  });

  it('Ctrl+C closes the server and the browser: nothing of it keeps running', async () => {
    const ended = await product.interrupt();
    expect(ended.code === 0 || ended.signal === 'SIGINT', JSON.stringify(ended)).toBe(true);
    await expect(fetch(`${product.url}/health`)).rejects.toThrow();
    await until(() => product.leftovers().length === 0, 'the bridge and its browser to exit', 20_000);
  });
});
