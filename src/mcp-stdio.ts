#!/usr/bin/env node
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { isJSONRPCRequest, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { ConfigError, loadConfig } from './core/config.js';
import { describeError } from './core/errors.js';
import { readRuntimeInfo } from './core/runtime-file.js';

/**
 * The stdio entry for MCP clients that start servers as processes (Claude Desktop, Claude
 * Code, ...): it relays JSON-RPC between stdin/stdout and the running bridge's /mcp. It finds
 * the bridge and its credential in the data dir (same user), so no token goes into any
 * client's configuration; with WHATSAPP_MCP_KEY set, it connects with that client key
 * instead, and the client gets only what the key allows. Nothing but JSON-RPC is written to
 * stdout; words go to stderr.
 */
async function main(): Promise<void> {
  let dataDir: string;
  try {
    ({ dataDir } = loadConfig(process.argv.slice(2)));
  } catch (err) {
    if (err instanceof ConfigError) return fail(`Configuration error: ${err.message}`);
    throw err;
  }
  const stdio = new StdioServerTransport();
  const bridge = readRuntimeInfo(dataDir);
  if (!bridge) {
    // Answer the client's requests with the reason, so the user sees it in the client too.
    const why = `WhatsApp MCP Desktop is not running (no bridge found in ${dataDir}). Start the app, or \`npm run headless\` (\`npm run demo\` for the simulator, then pass --demo here too), and reconnect.`;
    process.stderr.write(`${why}\n`);
    stdio.onmessage = (msg) => {
      if (isJSONRPCRequest(msg)) void stdio.send({ jsonrpc: '2.0', id: msg.id, error: { code: -32000, message: why } });
    };
    stdio.onclose = () => process.exit(1);
    await stdio.start();
    return;
  }
  const key = process.env.WHATSAPP_MCP_KEY?.trim();
  const http = new StreamableHTTPClientTransport(new URL(`${bridge.url}/mcp`), {
    requestInit: { headers: { Authorization: `Bearer ${key || bridge.token}` } },
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
