/**
 * One-click set-up for the MCP clients people use (issue 15). Every option starts the stdio
 * entry, which finds the running bridge in the data dir and uses a client key of its own
 * (one per client, created on first use): no token or key ever appears in a client's
 * configuration, a link, a command line or shell history. Pure: the caller says how the
 * stdio entry is started on this machine.
 */

/** How to start the stdio entry here: `node …/scripts/run.mjs mcp`, or the app's own executable. */
export interface StdioEntry {
  command: string;
  args: string[];
  /** e.g. ELECTRON_RUN_AS_NODE=1 for the packaged app's executable. */
  env?: Record<string, string>;
}

export type ClientId = 'claude-desktop' | 'claude-code' | 'cursor' | 'vscode';

/** How each client's key is named in the window's list of clients. */
export const CLIENT_TITLES: Readonly<Record<ClientId, string>> = { 'claude-desktop': 'Claude Desktop', 'claude-code': 'Claude Code', cursor: 'Cursor', vscode: 'VS Code' };

export interface InstallOption {
  client: ClientId;
  title: string;
  /** A link the client registers (open it and the client asks to add the server), or null. */
  link: string | null;
  /** What to copy: a command to run, or the JSON for the client's config file. */
  text: string;
  /** Where the text goes, in a sentence. */
  where: string;
}

/** The server's name in every client's list. */
export const SERVER_NAME = 'whatsapp';

/** The entry for one client: `--client <id>` names its key ("Cursor" in the window's list). */
export function entryFor(entry: StdioEntry, client: ClientId): StdioEntry {
  return { ...entry, args: [...entry.args, '--client', client] };
}

/** A POSIX shell word: left bare when safe, else single-quoted. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

const serverConfig = (e: StdioEntry): Record<string, unknown> => ({ command: e.command, args: e.args, ...(e.env && Object.keys(e.env).length > 0 ? { env: e.env } : {}) });

/**
 * Cursor: `cursor://anysphere.cursor-deeplink/mcp/install?name=…&config=<base64 JSON>`,
 * the config being one server's mcp.json entry (cursor.com/docs/mcp/install-links).
 */
export function cursorLink(entry: StdioEntry, name: string = SERVER_NAME): string {
  // btoa over the UTF-8 bytes: the same code runs in Node and in the window's page.
  const config = btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(serverConfig(entry)))));
  return `cursor://anysphere.cursor-deeplink/mcp/install?name=${encodeURIComponent(name)}&config=${encodeURIComponent(config)}`;
}

/** VS Code: `vscode:mcp/install?<URI-encoded JSON>` with the server's name and its stdio config. */
export function vscodeLink(entry: StdioEntry, name: string = SERVER_NAME): string {
  return `vscode:mcp/install?${encodeURIComponent(JSON.stringify({ name, type: 'stdio', ...serverConfig(entry) }))}`;
}

/** Claude Code: `claude mcp add --scope user whatsapp -- <command> <args…>` (user scope: every project). */
export function claudeCodeCommand(entry: StdioEntry, name: string = SERVER_NAME): string {
  const env = Object.entries(entry.env ?? {}).map(([k, v]) => `--env ${shellQuote(`${k}=${v}`)} `).join('');
  return `claude mcp add --scope user ${env}${shellQuote(name)} -- ${[entry.command, ...entry.args].map(shellQuote).join(' ')}`;
}

/** Claude Desktop's claude_desktop_config.json entry. */
export function claudeDesktopConfig(entry: StdioEntry, name: string = SERVER_NAME): string {
  return JSON.stringify({ mcpServers: { [name]: serverConfig(entry) } }, null, 2);
}

/** `name` is the server's name in the client's list: another account's server needs its own (`whatsapp-work`) beside `whatsapp`. */
export function installOptions(entry: StdioEntry, name: string = SERVER_NAME): InstallOption[] {
  const claudeDesktop = entryFor(entry, 'claude-desktop');
  const claudeCode = entryFor(entry, 'claude-code');
  const cursor = entryFor(entry, 'cursor');
  const vscode = entryFor(entry, 'vscode');
  return [
    {
      client: 'claude-desktop',
      title: 'Claude Desktop',
      link: null,
      text: claudeDesktopConfig(claudeDesktop, name),
      where: 'Settings → Developer → Edit Config: add this to claude_desktop_config.json and restart Claude Desktop.',
    },
    { client: 'claude-code', title: 'Claude Code', link: null, text: claudeCodeCommand(claudeCode, name), where: 'Run this once in a terminal (all your projects).' },
    { client: 'cursor', title: 'Cursor', link: cursorLink(cursor, name), text: JSON.stringify({ mcpServers: { [name]: serverConfig(cursor) } }, null, 2), where: 'Open the link: Cursor asks to add the server. Or put the JSON in ~/.cursor/mcp.json.' },
    { client: 'vscode', title: 'VS Code', link: vscodeLink(vscode, name), text: JSON.stringify({ servers: { [name]: { type: 'stdio', ...serverConfig(vscode) } } }, null, 2), where: 'Open the link: VS Code asks to install the server. Or run "MCP: Open User Configuration" and add the JSON.' },
  ];
}
