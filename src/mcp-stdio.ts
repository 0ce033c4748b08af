#!/usr/bin/env node
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { isJSONRPCRequest, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { DEFAULT_ACCOUNT } from './app/context.js';
import { readClientKey, saveClientKey } from './core/client-keys-file.js';
import { ConfigError, loadConfig } from './core/config.js';
import { describeError } from './core/errors.js';
import { readRuntimeInfo, type RuntimeInfo } from './core/runtime-file.js';
import { entryFlags, type EntryFlags } from './mcp-stdio-args.js';
import { CLIENT_TITLES, type ClientId } from './shared/mcp-install.js';

/**
 * The stdio entry for MCP clients that start servers as processes (Claude Desktop, Claude
 * Code, Cursor, VS Code): it relays JSON-RPC between stdin/stdout and the running bridge's
 * /mcp. It finds the bridge in the data dir (same user), so no token goes into any client's
 * configuration. With `--client <name>` it uses a client key of that client's own, created
 * on first use with the safe defaults and kept in the data dir: the client's calls are then
 * attributed to it, limited by its policy, and revocable in the window. Without it, the
 * owner token is used. With WHATSAPP_MCP_KEY set, it connects with that client key instead.
 * With `--account <id>` (or WHATSAPP_MCP_ACCOUNT) it relays to `/mcp/<id>`, bound to that
 * account, and a key it creates is limited to that account (one key per client and account).
 * Nothing but JSON-RPC is written to stdout; words go to stderr.
 */

class EntryError extends Error {}

/** The command that gets this client a new key, for the messages that need one. */
function newKeyCommand(client: string, account: string | null): string {
  const flags = `--client ${client}${account ? ` --account ${account}` : ''} --new-key`;
  return `whatsapp-mcp-desktop mcp ${flags} (from a checkout: npm run -s mcp -- ${flags})`;
}

/** GET /api/status as `auth` on `account` (null: the default account, as /mcp is). */
async function probe(bridge: RuntimeInfo, auth: string, account: string | null): Promise<{ status: number; code: string | null; message: string | null }> {
  const res = await fetch(`${bridge.url}/api/status`, { headers: { authorization: `Bearer ${auth}`, ...(account ? { 'x-account': account } : {}) } });
  const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  return { status: res.status, code: body?.error?.code ?? null, message: body?.error?.message ?? null };
}

/** The account must exist before anything is relayed to it or a key is made for it. */
async function checkAccount(bridge: RuntimeInfo, account: string): Promise<void> {
  if ((await probe(bridge, bridge.token, account)).code !== 'ACCOUNT_NOT_FOUND') return;
  const res = await fetch(`${bridge.url}/api/accounts`, { headers: { authorization: `Bearer ${bridge.token}` } });
  const ids = ((await res.json().catch(() => null)) as { accounts?: { id: string }[] } | null)?.accounts?.map((a) => a.id) ?? [];
  throw new EntryError(
    `WhatsApp MCP Desktop has no account "${account}"${ids.length ? ` (its accounts: ${ids.join(', ')})` : ''}. Add it in the window or the dashboard (Accounts), or give --account one of its accounts, then reconnect.`,
  );
}

async function createKey(bridge: RuntimeInfo, client: string, account: string): Promise<{ id: string; key: string; name: string }> {
  const title = CLIENT_TITLES[client as ClientId] ?? client;
  const named = account === DEFAULT_ACCOUNT ? title : `${title} (${account})`;
  for (const name of [named, `${named} (${new Date().toISOString().slice(0, 16).replace('T', ' ')})`]) {
    const res = await fetch(`${bridge.url}/api/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bridge.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name, accounts: [account] }),
    });
    const body = (await res.json().catch(() => null)) as { id?: string; key?: string; name?: string; error?: { message?: string } } | null;
    if (res.status === 201 && body?.id && body.key) return { id: body.id, key: body.key, name: body.name ?? name };
    if (res.status !== 409) throw new EntryError(`WhatsApp MCP Desktop refused to create a key for ${named}: ${body?.error?.message ?? `HTTP ${res.status}`}`);
  }
  throw new EntryError(`WhatsApp MCP Desktop already has keys named "${named}": revoke the old one in the window, then reconnect ${title}.`);
}

/** The credential this process relays with: the client's own key for the account, or the owner token. */
async function credential(bridge: RuntimeInfo, dataDir: string, flags: Pick<EntryFlags, 'client' | 'newKey' | 'account'>): Promise<string> {
  const { client, account } = flags;
  const given = process.env.WHATSAPP_MCP_KEY?.trim();
  if (given) {
    const seen = account ? await probe(bridge, given, account) : null;
    if (seen?.code === 'ACCOUNT_FORBIDDEN') throw new EntryError(`The key in WHATSAPP_MCP_KEY may not act on the account "${account}": ${seen.message ?? 'it is limited to other accounts'}`);
    return given;
  }
  if (client === null) return bridge.token;
  const stored = flags.newKey ? null : readClientKey(dataDir, client, account ?? DEFAULT_ACCOUNT);
  if (stored) {
    const seen = await probe(bridge, stored.key, account);
    if (seen.status === 401) {
      throw new EntryError(`The key "${stored.name}" that this client used was revoked in WhatsApp MCP Desktop. To connect it again, run once in a terminal: ${newKeyCommand(client, account)}, then restart the client.`);
    }
    if (seen.code === 'ACCOUNT_FORBIDDEN') {
      throw new EntryError(`The key "${stored.name}" that this client used may not act on the account "${account ?? DEFAULT_ACCOUNT}" any more (${seen.message ?? 'it is limited to other accounts'}). To connect it again, run once in a terminal: ${newKeyCommand(client, account)}, then restart the client.`);
    }
    return stored.key;
  }
  const created = await createKey(bridge, client, account ?? DEFAULT_ACCOUNT);
  saveClientKey(dataDir, client, created, account ?? DEFAULT_ACCOUNT);
  process.stderr.write(`Created the client key "${created.name}" for this client${account ? `, limited to the account "${account}"` : ''} (kept in ${dataDir}).\n`);
  return created.key;
}

/** Answer every request with the reason, so the user sees it in the client too, and keep no bridge. */
async function refuse(stdio: StdioServerTransport, why: string): Promise<void> {
  process.stderr.write(`${why}\n`);
  stdio.onmessage = (msg) => {
    if (isJSONRPCRequest(msg)) void stdio.send({ jsonrpc: '2.0', id: msg.id, error: { code: -32000, message: why } });
  };
  stdio.onclose = () => process.exit(1);
  await stdio.start();
}

async function main(): Promise<void> {
  let dataDir: string;
  let flags: EntryFlags;
  try {
    flags = entryFlags(process.argv.slice(2), process.env);
    ({ dataDir } = loadConfig(flags.rest));
  } catch (err) {
    if (err instanceof ConfigError) return fail(`Configuration error: ${err.message}`);
    throw err;
  }
  const stdio = new StdioServerTransport();
  const bridge = readRuntimeInfo(dataDir);
  if (!bridge) {
    return refuse(stdio, `WhatsApp MCP Desktop is not running (no bridge found in ${dataDir}). Start the app, or \`npm run headless\` (\`npm run demo\` for the simulator, then pass --demo here too), and reconnect.`);
  }
  let auth: string;
  try {
    if (flags.account !== null) await checkAccount(bridge, flags.account);
    auth = await credential(bridge, dataDir, flags);
  } catch (err) {
    return refuse(stdio, err instanceof EntryError ? err.message : `WhatsApp MCP Desktop at ${bridge.url} did not answer (${describeError(err)}): is it still running?`);
  }
  // /mcp/<account> is bound to that account whatever the client sends.
  const endpoint = flags.account === null ? '/mcp' : `/mcp/${encodeURIComponent(flags.account)}`;
  const http = new StreamableHTTPClientTransport(new URL(`${bridge.url}${endpoint}`), {
    requestInit: { headers: { Authorization: `Bearer ${auth}` } },
  });
  const relayFailed = (msg: JSONRPCMessage, err: unknown): void => {
    const why = `WhatsApp MCP Desktop at ${bridge.url} did not answer (${describeError(err)}): is it still running?`;
    process.stderr.write(`${why}\n`);
    if (isJSONRPCRequest(msg)) void stdio.send({ jsonrpc: '2.0', id: msg.id, error: { code: -32000, message: why } });
  };
  stdio.onmessage = (msg) => void http.send(msg).catch((err: unknown) => relayFailed(msg, err));
  http.onmessage = (msg) => void stdio.send(msg);
  http.onerror = (err) => process.stderr.write(`bridge connection: ${describeError(err)}\n`);
  stdio.onclose = () => void http.close().finally(() => process.exit(0));
  await http.start();
  await stdio.start();
}

function fail(message: string): void {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

main().catch((err: unknown) => fail(`Fatal: ${describeError(err)}`));
