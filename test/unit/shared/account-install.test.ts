import { describe, expect, it } from 'vitest';
import { accountInstall, accountMcpUrl, accountServerName, accountStdioEntry } from '../../../src/shared/account-install.js';
import { installOptions, type StdioEntry } from '../../../src/shared/mcp-install.js';

const app: StdioEntry = { command: '/opt/WhatsApp MCP Desktop/whatsapp-mcp-desktop', args: ['/opt/app/dist/src/mcp-stdio.js', '--data-dir', '/home/ana/.config/wamd'], env: { ELECTRON_RUN_AS_NODE: '1' } };
const URL_ = 'http://127.0.0.1:8790';

describe("an account's MCP set-up from the tray (issue 14)", () => {
  it('the default account keeps /mcp, the server name "whatsapp" and the stdio entry as it is: the one-account set-up', () => {
    expect(accountMcpUrl(URL_, 'default')).toBe('http://127.0.0.1:8790/mcp');
    expect(accountServerName('default')).toBe('whatsapp');
    expect(accountStdioEntry(app, 'default')).toBe(app);
    expect(accountInstall({ api_url: URL_ }, app, 'default')).toEqual({ mcp_url: 'http://127.0.0.1:8790/mcp', install: installOptions(app) });
  });

  it('another account: its own endpoint /mcp/<id>, and a stdio entry for it (--account <id>) under a server name of its own', () => {
    expect(accountMcpUrl(URL_, 'work')).toBe('http://127.0.0.1:8790/mcp/work');
    expect(accountStdioEntry(app, 'work')).toEqual({ ...app, args: [...app.args, '--account', 'work'] });
    expect(app.args).not.toContain('--account');
  });

  it("every client's set-up for another account names its server whatsapp-<id> and starts the entry with --account <id>, besides its --client", () => {
    const { mcp_url, install } = accountInstall({ api_url: URL_ }, app, 'work');
    expect(mcp_url).toBe('http://127.0.0.1:8790/mcp/work');
    const byClient = Object.fromEntries(install.map((o) => [o.client, o]));
    const args = (client: string) => [...app.args, '--account', 'work', '--client', client];

    expect(JSON.parse(byClient['claude-desktop']!.text)).toEqual({ mcpServers: { 'whatsapp-work': { command: app.command, args: args('claude-desktop'), env: app.env } } });
    expect(byClient['claude-code']!.text).toMatch(/^claude mcp add --scope user --env ELECTRON_RUN_AS_NODE=1 whatsapp-work -- .* --account work --client claude-code$/);

    const cursor = new URL(byClient.cursor!.link!);
    expect(cursor.searchParams.get('name')).toBe('whatsapp-work');
    expect(JSON.parse(Buffer.from(cursor.searchParams.get('config')!, 'base64').toString('utf8')).args).toEqual(args('cursor'));
    expect(JSON.parse(byClient.cursor!.text).mcpServers['whatsapp-work'].args).toEqual(args('cursor'));

    const vscode = JSON.parse(decodeURIComponent(byClient.vscode!.link!.slice('vscode:mcp/install?'.length)));
    expect(vscode).toMatchObject({ name: 'whatsapp-work', type: 'stdio', args: args('vscode') });
    expect(JSON.parse(byClient.vscode!.text).servers['whatsapp-work'].args).toEqual(args('vscode'));

    for (const o of install) expect(`${o.link ?? ''} ${o.text}`).not.toMatch(/(^|[^-])whatsapp"|name=whatsapp&|Bearer|token/i);
  });
});
