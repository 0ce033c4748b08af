import { describe, expect, it } from 'vitest';
import { claudeCodeCommand, cursorLink, entryFor, installOptions, shellQuote, vscodeLink, type StdioEntry } from '../../../src/shared/mcp-install.js';

const entry: StdioEntry = { command: '/usr/bin/node', args: ['/home/ana/My Apps/whatsapp-mcp-desktop/scripts/run.mjs', 'mcp'] };
const app: StdioEntry = { command: '/opt/WhatsApp MCP Desktop/whatsapp-mcp-desktop', args: ['/opt/WhatsApp MCP Desktop/resources/app.asar/dist/src/mcp-stdio.js'], env: { ELECTRON_RUN_AS_NODE: '1' } };

describe('one-click MCP set-up links, decoded as each client documents them', () => {
  it('Cursor: cursor://anysphere.cursor-deeplink/mcp/install?name=<name>&config=<base64 of the server entry>', () => {
    const url = new URL(cursorLink(entryFor(entry, 'cursor')));
    expect(url.protocol).toBe('cursor:');
    expect(url.host).toBe('anysphere.cursor-deeplink');
    expect(url.pathname).toBe('/mcp/install');
    expect(url.searchParams.get('name')).toBe('whatsapp');
    const config = JSON.parse(Buffer.from(url.searchParams.get('config')!, 'base64').toString('utf8'));
    expect(config).toEqual({ command: '/usr/bin/node', args: [...entry.args, '--client', 'cursor'] });
  });

  it('VS Code: vscode:mcp/install?<URI-encoded JSON with name, type stdio, command, args, env>', () => {
    const link = vscodeLink(entryFor(app, 'vscode'));
    expect(link.startsWith('vscode:mcp/install?')).toBe(true);
    const config = JSON.parse(decodeURIComponent(link.slice('vscode:mcp/install?'.length)));
    expect(config).toEqual({ name: 'whatsapp', type: 'stdio', command: app.command, args: [...app.args, '--client', 'vscode'], env: { ELECTRON_RUN_AS_NODE: '1' } });
  });

  it('Claude Code: claude mcp add --scope user, with paths that have spaces quoted for the shell', () => {
    expect(claudeCodeCommand(entryFor(entry, 'claude-code'))).toBe(
      "claude mcp add --scope user whatsapp -- /usr/bin/node '/home/ana/My Apps/whatsapp-mcp-desktop/scripts/run.mjs' mcp --client claude-code",
    );
    expect(claudeCodeCommand(app)).toMatch(/^claude mcp add --scope user --env ELECTRON_RUN_AS_NODE=1 whatsapp -- '\/opt\/WhatsApp MCP Desktop\/whatsapp-mcp-desktop' /);
  });

  it('no option carries a token or key: every one starts the stdio entry, each with its own client name', () => {
    const options = installOptions(entry);
    expect(options.map((o) => o.client)).toEqual(['claude-desktop', 'claude-code', 'cursor', 'vscode']);
    for (const o of options) {
      const all = `${o.link ?? ''} ${o.text}`;
      expect(all).not.toMatch(/Bearer|Authorization|token|wak_/i);
      expect(o.text).toContain('--client');
      expect(o.text).toContain(o.client);
    }
    expect(JSON.parse(options[0]!.text)).toEqual({ mcpServers: { whatsapp: { command: '/usr/bin/node', args: [...entry.args, '--client', 'claude-desktop'] } } });
  });

  it('shell quoting survives a single quote in a path', () => {
    expect(shellQuote("/home/o'brien/run.mjs")).toBe("'/home/o'\\''brien/run.mjs'");
    expect(shellQuote('/usr/bin/node')).toBe('/usr/bin/node');
  });
});
