import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, describe, expect, it } from 'vitest';
import { textPayload } from '../helpers/mcp.js';
import { ROOT, startProduct, type Product } from '../helpers/product.js';

/**
 * The stdio entry as a client that starts servers as processes would run it: the client's
 * config names only the command, never a token; the entry finds the running bridge and its
 * credential in the data dir.
 */
function stdioClient(home: string, args: string[] = [], extraEnv: Record<string, string> = {}): { client: Client; transport: StdioClientTransport; stderr: () => string } {
  const { WHATSAPP_MCP_TOKEN: _t, WHATSAPP_DATA_DIR: _d, XDG_CONFIG_HOME: _x, ...env } = process.env;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [path.join(ROOT, 'scripts', 'run.mjs'), 'mcp', ...args],
    cwd: ROOT,
    env: { ...(env as Record<string, string>), HOME: home, ...extraEnv },
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return { client: new Client({ name: 'stdio-test', version: '1.0.0' }), transport, stderr: () => err };
}

describe('npm run mcp: the stdio entry', () => {
  let product: Product | undefined;
  afterAll(() => product?.kill());

  it('with no bridge running, the client is told so (not a hang, not a stack trace)', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'wa-stdio-none-'));
    const { client, transport, stderr } = stdioClient(home);
    await expect(client.connect(transport)).rejects.toThrow(/WhatsApp MCP Desktop is not running/);
    expect(stderr()).toMatch(/not running \(no bridge found in .*whatsapp-mcp-desktop\)/);
    await client.close();
  });

  it('relays to the running bridge with the credential it finds in the data dir: tools and calls work', async () => {
    product = await startProduct('demo');
    const { client, transport } = stdioClient(product.home, ['--demo']);
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('whatsapp_send_message');
      const status = await client.callTool({ name: 'whatsapp_status', arguments: {} });
      expect(status.isError).toBeFalsy();
      expect(textPayload(status as Parameters<typeof textPayload>[0]).state).toBe('stopped');
    } finally {
      await client.close();
    }
  });

  it('with WHATSAPP_MCP_KEY it connects as that client key: only the tools of its scopes', async () => {
    product ??= await startProduct('demo');
    const token = readFileSync(path.join(product.home, '.config', 'whatsapp-mcp-desktop', 'demo', 'api-token'), 'utf8').trim();
    const created = await fetch(`${product.url}/api/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'stdio reader', scopes: ['read'] }),
    });
    expect(created.status).toBe(201);
    const { key } = (await created.json()) as { key: string };
    const { client, transport } = stdioClient(product.home, ['--demo'], { WHATSAPP_MCP_KEY: key });
    await client.connect(transport);
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('whatsapp_list_chats');
      expect(names).not.toContain('whatsapp_send_message');
    } finally {
      await client.close();
    }
  });

  it('with --client cursor it makes a key of its own on first use, keeps it, is attributed to it, and explains a revoked one', async () => {
    product ??= await startProduct('demo');
    const dataDir = path.join(product.home, '.config', 'whatsapp-mcp-desktop', 'demo');
    const token = readFileSync(path.join(dataDir, 'api-token'), 'utf8').trim();
    const owner = { authorization: `Bearer ${token}` };
    const keys = async () => ((await (await fetch(`${product!.url}/api/keys`, { headers: owner })).json()) as { keys: { id: string; name: string; revoked_at: string | null }[] }).keys;

    const first = stdioClient(product.home, ['--demo', '--client', 'cursor']);
    await first.client.connect(first.transport);
    await first.client.close();
    const cursorKeys = (await keys()).filter((k) => k.name === 'Cursor');
    expect(cursorKeys).toHaveLength(1);
    expect(first.stderr()).toMatch(/Created the client key "Cursor"/);
    const stored = JSON.parse(readFileSync(path.join(dataDir, 'client-keys.json'), 'utf8'));
    expect(stored.cursor).toMatchObject({ id: cursorKeys[0]!.id, name: 'Cursor' });

    // The second start reuses it: still one key named Cursor. Its calls are the key's: it
    // may read (default scopes read + send) but has no link scope.
    const again = stdioClient(product.home, ['--demo', '--client', 'cursor']);
    await again.client.connect(again.transport);
    try {
      const names = (await again.client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('whatsapp_send_message');
      expect(names).not.toContain('whatsapp_logout');
    } finally {
      await again.client.close();
    }
    expect((await keys()).filter((k) => k.name === 'Cursor')).toHaveLength(1);

    // Revoked in the app: the client is told why and how to get a new key; none is made silently.
    expect((await fetch(`${product.url}/api/keys/${cursorKeys[0]!.id}`, { method: 'DELETE', headers: owner })).status).toBe(200);
    const revoked = stdioClient(product.home, ['--demo', '--client', 'cursor']);
    await expect(revoked.client.connect(revoked.transport)).rejects.toThrow(/was revoked.*--client cursor --new-key/s);
    await revoked.client.close();
    expect((await keys()).filter((k) => k.name === 'Cursor' && k.revoked_at === null)).toHaveLength(0);
  });
});
