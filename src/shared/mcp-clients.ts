import type { CopyItem, DashboardConfig, McpSnippet } from './ipc.js';

/**
 * Configuration snippets for the MCP clients people use, for the window's copy buttons and
 * the tray's "Copy MCP client config". Pure: the URL and token are passed in.
 */
export function mcpSnippets(mcpUrl: string, token: string): McpSnippet[] {
  const auth = `Bearer ${token}`;
  const json = (v: unknown): string => JSON.stringify(v, null, 2);
  return [
    {
      id: 'claude-desktop',
      title: 'Claude Desktop',
      where: 'Settings → Developer → Edit Config (claude_desktop_config.json). Needs Node.js: mcp-remote bridges Claude Desktop to HTTP.',
      // mcp-remote's advice: no spaces inside args (Claude Desktop on Windows splits them), so the header comes from env.
      text: json({
        mcpServers: {
          whatsapp: {
            command: 'npx',
            args: ['-y', 'mcp-remote', mcpUrl, '--header', 'Authorization:${WHATSAPP_MCP_AUTH}'],
            env: { WHATSAPP_MCP_AUTH: auth },
          },
        },
      }),
    },
    {
      id: 'claude-code',
      title: 'Claude Code',
      where: 'Run this in a terminal.',
      text: `claude mcp add --transport http whatsapp ${mcpUrl} --header "Authorization: ${auth}"`,
    },
    {
      id: 'cursor',
      title: 'Cursor',
      where: '~/.cursor/mcp.json (or .cursor/mcp.json in a project).',
      text: json({ mcpServers: { whatsapp: { url: mcpUrl, headers: { Authorization: auth } } } }),
    },
    {
      id: 'vscode',
      title: 'VS Code',
      where: '.vscode/mcp.json in your workspace (or "MCP: Open User Configuration").',
      text: json({ servers: { whatsapp: { type: 'http', url: mcpUrl, headers: { Authorization: auth } } } }),
    },
  ];
}

/** The text a copy button copies, or null when there is no such item. */
export function copyText(config: DashboardConfig, item: CopyItem): string | null {
  if (item === 'token') return config.token;
  if (item === 'api_url') return config.api_url;
  if (item === 'mcp_url') return config.mcp_url;
  return config.snippets.find((s) => s.id === item)?.text ?? null;
}
