#!/usr/bin/env node
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { isJSONRPCRequest, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { readClientKey, saveClientKey } from './core/client-keys-file.js';
import { ConfigError, loadConfig } from './core/config.js';
import { describeError } from './core/errors.js';
import { readRuntimeInfo, type RuntimeInfo } from './core/runtime-file.js';
import { entryFlags } from './mcp-stdio-args.js';
import { CLIENT_TITLES, type ClientId } from './shared/mcp-install.js';

/**
 * The stdio entry for MCP clients that start servers as processes (Claude Desktop, Claude
 * Code, Cursor, VS Code): it relays JSON-RPC between stdin/stdout and the running bridge's
 * /mcp. It finds the bridge in the data dir (same user), so no token goes into any client's
 * configuration. With `--client <name>` it uses a client key of that client's own, created
 * on first use with the safe defaults and kept in the data dir: the client's calls are then
 * attributed to it, limited by its policy, and revocable in the window. Without it, the
 * owner token is used. With WHATSAPP_MCP_KEY set, it connects with that client key instead.
 * Nothing but JSON-RPC is written to stdout; words go to stderr.
 */

class EntryError extends Error {}

async function createKey(bridge: RuntimeInfo, client: string): Promise<{ id: string; key: string; name: string }> {
  const title = CLIENT_TITLES[client as ClientId] ?? client;
  for (const name of [title, `${title} (${new Date().toISOString().slice(0, 16).replace('T', ' ')})`]) {
    const res = await fetch(`${bridge.url}/api/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bridge.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    });
    const body = (await res.json().catch(() => null)) as { id?: string; key?: string; name?: string; error?: { message?: string } } | null;
    if (res.status === 201 && body?.id && body.key) return { id: body.id, key: body.key, name: body.name ?? name };
    if (res.status !== 409) throw new EntryError(`WhatsApp MCP Desktop refused to create a key for ${title}: ${body?.error?.message ?? `HTTP ${res.status}`}`);
  }
  throw new EntryError(`WhatsApp MCP Desktop already has keys named "${title}": revoke the old one in the window, then reconnect ${title}.`);
}

/** The credential this process relays with: the client's own key, or the owner token. */
async function credential(bridge: RuntimeInfo, dataDir: string, client: string | null, newKey: boolean): Promise<string> {
  const given = process.env.WHATSAPP_MCP_KEY?.trim();
  if (given) return given;
  if (client === null) return bridge.token;
  const stored = newKey ? null : readClientKey(dataDir, client);
  if (stored) {
    const res = await fetch(`${bridge.url}/api/status`, { headers: { authorization: `Bearer ${stored.key}` } });
    if (res.status !== 401) return stored.key;
    throw new EntryError(
      `The key "${stored.name}" that this client used was revoked in WhatsApp MCP Desktop. To connect it again, run once in a terminal: whatsapp-mcp-desktop mcp --client ${client} --new-key (from a checkout: npm run -s mcp -- --client ${client} --new-key), then restart the client.`,
    );
  }
  const created = await createKey(bridge, client);
  saveClientKey(dataDir, client, created);
  process.stderr.write(`Created the client key "${created.name}" for this client (kept in ${dataDir}).\n`);
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
  let flags: ReturnType<typeof entryFlags>;
  try {
    flags = entryFlags(process.argv.slice(2));
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
    auth = await credential(bridge, dataDir, flags.client, flags.newKey);
  } catch (err) {
    return refuse(stdio, err instanceof EntryError ? err.message : `WhatsApp MCP Desktop at ${bridge.url} did not answer (${describeError(err)}): is it still running?`);
  }
  const http = new StreamableHTTPClientTransport(new URL(`${bridge.url}/mcp`), {
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
