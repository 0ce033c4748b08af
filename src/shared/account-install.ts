import { DEFAULT_ACCOUNT } from '../app/context.js';
import type { DashboardConfig } from './ipc.js';
import { installOptions, SERVER_NAME, type StdioEntry } from './mcp-install.js';

/**
 * The MCP set-up of one account (issue 14). The default account keeps today's: `/mcp`, the
 * server named `whatsapp`, the stdio entry as it is. Another account gets its own endpoint
 * (`/mcp/<id>`, which can reach no other account), a server name of its own so that a client
 * can hold both (`whatsapp-work` beside `whatsapp`), and a stdio entry for that account.
 * Pure: the tray copies from it, tests read it.
 */

/** The MCP endpoint of an account: `/mcp` for the default, `/mcp/<id>` for another. */
export function accountMcpUrl(url: string, account: string): string {
  return account === DEFAULT_ACCOUNT ? `${url}/mcp` : `${url}/mcp/${account}`;
}

/** The server's name in an MCP client's list: `whatsapp`, or `whatsapp-<id>` for another account. */
export function accountServerName(account: string): string {
  return account === DEFAULT_ACCOUNT ? SERVER_NAME : `${SERVER_NAME}-${account}`;
}

/**
 * The stdio entry for an account: `--account <id>` (src/mcp-stdio-args.ts) makes it relay to
 * `/mcp/<id>`. The one place that names the flag.
 */
export function accountStdioEntry(entry: StdioEntry, account: string): StdioEntry {
  return account === DEFAULT_ACCOUNT ? entry : { ...entry, args: [...entry.args, '--account', account] };
}

/** What the tray copies for an account: its endpoint and its one-click set-ups. */
export function accountInstall(config: Pick<DashboardConfig, 'api_url'>, entry: StdioEntry, account: string): Pick<DashboardConfig, 'mcp_url' | 'install'> {
  return { mcp_url: accountMcpUrl(config.api_url, account), install: installOptions(accountStdioEntry(entry, account), accountServerName(account)) };
}
