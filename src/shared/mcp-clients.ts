import type { CopyItem, DashboardConfig } from './ipc.js';

/**
 * The text a copy button (or the tray's "Copy MCP client config") copies, or null when there
 * is no such item. An MCP client's item is its one-click set-up text from `installOptions`
 * (src/shared/mcp-install.ts): a command or config JSON that starts the stdio entry, so the
 * token is never in it; only the "token" item is the token, for REST scripts.
 */
export function copyText(config: DashboardConfig, item: CopyItem): string | null {
  if (item === 'token') return config.token;
  if (item === 'api_url') return config.api_url;
  if (item === 'mcp_url') return config.mcp_url;
  return config.install.find((o) => o.client === item)?.text ?? null;
}
