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

  it('with --account it is bound to that account; a --client key is made per account and limited to it; an unknown account is refused', async () => {
    product ??= await startProduct('demo');
    const dataDir = path.join(product.home, '.config', 'whatsapp-mcp-desktop', 'demo');
    const owner = { authorization: `Bearer ${readFileSync(path.join(dataDir, 'api-token'), 'utf8').trim()}` };
    const keys = async () => ((await (await fetch(`${product!.url}/api/keys`, { headers: owner })).json()) as { keys: { id: string; name: string; accounts: string[] | null }[] }).keys;
    const created = await fetch(`${product.url}/api/accounts`, { method: 'POST', headers: { ...owner, 'content-type': 'application/json' }, body: JSON.stringify({ id: 'work', name: 'Work phone' }) });
    expect(created.status).toBe(201);
    /** Connects as the entry with these flags, asks whatsapp_status, closes: its structured answer. */
    const statusThrough = async (args: string[], env: Record<string, string> = {}) => {
      const entry = stdioClient(product!.home, ['--demo', ...args], env);
      await entry.client.connect(entry.transport);
      try {
        const status = await entry.client.callTool({ name: 'whatsapp_status', arguments: {} });
        expect(status.isError, JSON.stringify(status)).toBeFalsy();
        return { status: status.structuredContent as { account_id: string; auth_dir: string }, stderr: entry.stderr() };
      } finally {
        await entry.client.close();
      }
    };

    // An account the bridge does not have: told so, with the ones it has, and no key made for it.
    const unknown = stdioClient(product.home, ['--demo', '--client', 'vscode', '--account', 'nope']);
    await expect(unknown.client.connect(unknown.transport)).rejects.toThrow(/no account "nope" \(its accounts: default, work\)/);
    await unknown.client.close();
    expect(unknown.stderr()).toMatch(/no account "nope"/);
    expect((await keys()).map((k) => k.name)).not.toContain('VS Code (nope)');

    // The owner token, bound to each account: the status says which one it is.
    expect((await statusThrough([])).status.account_id).toBe('default');
    const work = (await statusThrough(['--account', 'work'])).status;
    expect(work.account_id).toBe('work');
    expect(work.auth_dir).toBe(path.join(dataDir, 'accounts', 'work', 'session'));
    expect((await statusThrough([], { WHATSAPP_MCP_ACCOUNT: 'work' })).status.account_id).toBe('work');

    // One client, two accounts: a key each, each limited to its account, kept apart in the file.
    const first = await statusThrough(['--client', 'vscode', '--account', 'work']);
    expect(first.status.account_id).toBe('work');
    expect(first.stderr).toMatch(/Created the client key "VS Code \(work\)" for this client, limited to the account "work"/);
    expect((await statusThrough(['--client', 'vscode'])).status.account_id).toBe('default');
    expect((await statusThrough(['--client', 'vscode', '--account', 'work'])).stderr).not.toMatch(/Created/);
    const vscodeKeys = (await keys()).filter((k) => k.name.startsWith('VS Code'));
    expect(vscodeKeys.map((k) => [k.name, k.accounts])).toEqual([
      ['VS Code (work)', ['work']],
      ['VS Code', ['default']],
    ]);
    const stored = JSON.parse(readFileSync(path.join(dataDir, 'client-keys.json'), 'utf8'));
    expect(stored['vscode@work'].id).toBe(vscodeKeys[0]!.id);
    expect(stored.vscode.id).toBe(vscodeKeys[1]!.id);
    // The work key is refused on the default account, over REST as over the entry.
    const onDefault = await fetch(`${product.url}/api/status`, { headers: { authorization: `Bearer ${stored['vscode@work'].key}` } });
    expect(onDefault.status).toBe(403);
    expect(((await onDefault.json()) as { error: { code: string } }).error.code).toBe('ACCOUNT_FORBIDDEN');
    const wrong = stdioClient(product.home, ['--demo', '--account', 'default'], { WHATSAPP_MCP_KEY: stored['vscode@work'].key });
    await expect(wrong.client.connect(wrong.transport)).rejects.toThrow(/WHATSAPP_MCP_KEY may not act on the account "default"/);
    await wrong.client.close();
    expect((await statusThrough(['--account', 'work'], { WHATSAPP_MCP_KEY: stored['vscode@work'].key })).status.account_id).toBe('work');
  });
});
