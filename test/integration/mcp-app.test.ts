import { EXTENSION_ID, RESOURCE_MIME_TYPE } from '@modelcontextprotocol/ext-apps/server';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QR_META_KEY } from '../../src/server/mcp/app/index.js';
import { VIEW_CSP } from '../../src/server/mcp/app/views.js';
import { FakeSession } from '../helpers/fake-session.js';
import { startTestServer, TOKEN, type TestServer } from '../helpers/http.js';
import { callTool, connectMcp, textPayload } from '../helpers/mcp.js';

/**
 * The MCP App (the MCP Apps extension): the `ui://` views as resources, the tools that name
 * them, the QR code for the link view only where it belongs, and the same results as before
 * for a client without the extension.
 */

const LINK = 'ui://whatsapp/link';
const PREVIEW = 'ui://whatsapp/send-preview';
const QR = '2@app-test-ref,key,identity,secret';

/** A client that declares MCP Apps, as Claude Desktop, VS Code and ChatGPT do when they connect. */
async function connectAppsClient(baseUrl: string, token: string): Promise<Client> {
  const client = new Client(
    { name: 'apps-host', version: '1.0.0' },
    { capabilities: { extensions: { [EXTENSION_ID]: { mimeTypes: [RESOURCE_MIME_TYPE] } } } },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return client;
}

async function mintKey(srv: TestServer, scopes: string[]): Promise<string> {
  const res = await srv.call('/api/keys', { method: 'POST', json: { name: `app-${scopes.join('-')}`, scopes, recipients: 'any', approve: 'never' } });
  expect(res.status).toBe(201);
  return res.body.key as string;
}

const html = async (client: Client, uri: string) => {
  const { contents } = await client.readResource({ uri });
  expect(contents).toHaveLength(1);
  const [content] = contents as [{ uri: string; mimeType: string; text: string; _meta?: { ui?: unknown } }];
  return content;
};

let srv: TestServer;
let session: FakeSession;
const clients: Client[] = [];
const track = (c: Client) => (clients.push(c), c);

beforeEach(async () => {
  session = new FakeSession();
  srv = await startTestServer({ session });
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await srv.close();
});

describe('the views as resources', () => {
  it('lists ui://whatsapp/link and ui://whatsapp/send-preview with the MCP App mime type, before WhatsApp is even started', async () => {
    // Regression: resources/list failed as a whole (WA_NOT_STARTED) while there were no chats to list.
    expect(session.snapshot().state).toBe('stopped');
    const mcp = track(await connectMcp(srv.url, TOKEN));
    const { resources } = await mcp.listResources();
    const views = resources.filter((r) => r.uri.startsWith('ui://'));
    expect(resources.map((r) => r.uri)).toContain('whatsapp://chats');
    expect(views.map((r) => [r.uri, r.mimeType])).toEqual([
      [LINK, 'text/html;profile=mcp-app'],
      [PREVIEW, 'text/html;profile=mcp-app'],
    ]);
    expect(RESOURCE_MIME_TYPE).toBe('text/html;profile=mcp-app');
  });

  it.each([LINK, PREVIEW])('%s reads as one self-contained HTML page that loads nothing from anywhere', async (uri) => {
    const content = await html(track(await connectMcp(srv.url, TOKEN)), uri);
    expect(content).toMatchObject({ uri, mimeType: RESOURCE_MIME_TYPE, _meta: { ui: { csp: {}, prefersBorder: true } } });
    const page = content.text;
    expect(page).toMatch(/^<!doctype html>/i);
    // Nothing external: no element pulls a script, style, image or frame from a URL; no CSS import.
    expect(page).not.toMatch(/<(script|img|iframe|link|source|video|audio|embed|object)\b[^>]*\s(src|href|srcset|data)\s*=/i);
    expect(page).not.toMatch(/<link\b/i);
    expect(page).not.toMatch(/@import|url\(\s*['"]?(https?:)?\/\//i);
    // Its own policy forbids anything else too.
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="${VIEW_CSP}">`);
    expect(VIEW_CSP).toMatch(/default-src 'none'/);
    expect(VIEW_CSP).not.toMatch(/https?:|\*/);
    // Exactly one inline module script (the app) and one data block: no script from elsewhere.
    expect(page.match(/<script\b[^>]*>/gi)).toEqual(['<script type="application/json" id="view-data">', '<script type="module">']);
  });

  it('the link view calls the linking tools, and the preview the send status (never an approve tool)', async () => {
    const mcp = track(await connectMcp(srv.url, TOKEN));
    const link = (await html(mcp, LINK)).text;
    for (const tool of ['whatsapp_status', 'whatsapp_start_auth', 'whatsapp_pairing_code']) expect(link).toContain(`'${tool}'`);
    const preview = (await html(mcp, PREVIEW)).text;
    expect(preview).toContain("'whatsapp_get_send_status'");
    expect(preview).toMatch(/window or on its dashboard/);
    expect(preview).not.toMatch(/approve_send|\/approve|callTool\(app, '[a-z_]*(approve|deny)/i);
    // Untrusted text (names, messages, errors) goes in as text: the views never write markup.
    for (const page of [link, preview]) expect(page).not.toMatch(/\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|document\.write\(/);
  });

  it('a client key lists the views of the tools it has: the link view needs no read scope, and a send-only key gets none', async () => {
    const linker = track(await connectMcp(srv.url, await mintKey(srv, ['link'])));
    expect((await linker.listResources()).resources.map((r) => r.uri)).toEqual([LINK]);
    expect((await html(linker, LINK)).text).toMatch(/^<!doctype html>/i);
    await expect(linker.readResource({ uri: PREVIEW })).rejects.toThrow(/not found/i);
    const sender = track(await connectMcp(srv.url, await mintKey(srv, ['send'])));
    expect((await sender.listResources()).resources).toEqual([]);
  });
});

describe('the tools that show them', () => {
  it('whatsapp_status and whatsapp_start_auth name the link view, whatsapp_get_send_status the preview', async () => {
    const { tools } = await track(await connectMcp(srv.url, TOKEN)).listTools();
    const meta = Object.fromEntries(tools.map((t) => [t.name, t._meta]));
    expect(meta.whatsapp_status).toMatchObject({ ui: { resourceUri: LINK } });
    expect(meta.whatsapp_start_auth).toMatchObject({ ui: { resourceUri: LINK } });
    expect(meta.whatsapp_get_send_status).toMatchObject({ ui: { resourceUri: PREVIEW } });
    // The ext-apps helper also sets the older flat key, for hosts that read only that one.
    expect(meta.whatsapp_status).toMatchObject({ 'ui/resourceUri': LINK });
    expect(tools.filter((t) => t._meta?.ui).map((t) => t.name).sort()).toEqual(['whatsapp_get_send_status', 'whatsapp_start_auth', 'whatsapp_status']);
    // No tool is hidden from the model: the views only call tools the model has anyway.
    expect(tools.some((t) => (t._meta?.ui as { visibility?: string[] } | undefined)?.visibility)).toBe(false);
  });
});

describe('the QR code for the link view', () => {
  it('a client that declared MCP Apps gets the pending QR code as a PNG in _meta; the text and structured result are unchanged', async () => {
    session.set('qr', { qr: QR });
    const apps = track(await connectAppsClient(srv.url, TOKEN));
    const plain = track(await connectMcp(srv.url, TOKEN));
    const withView = await callTool(apps, 'whatsapp_status');
    const without = await callTool(plain, 'whatsapp_status');
    expect(withView._meta?.[QR_META_KEY]).toEqual({ data_url: expect.stringMatching(/^data:image\/png;base64,[A-Za-z0-9+/=]{200,}$/) });
    expect(withView.content).toEqual(without.content);
    expect(withView.structuredContent).toEqual(without.structuredContent);
    expect(textPayload(withView)).toMatchObject({ state: 'qr', has_qr: true });
    // The same PNG the REST API and the link page show.
    const rest = await srv.call('/api/qr');
    expect((withView._meta?.[QR_META_KEY] as { data_url: string }).data_url).toBe(rest.body.data_url);
  });

  it('whatsapp_start_auth carries it too once the code is there', async () => {
    const apps = track(await connectAppsClient(srv.url, TOKEN));
    const started = await callTool(apps, 'whatsapp_start_auth');
    expect(textPayload(started).state).toBe('starting');
    // Starting: no code yet, so nothing extra.
    expect(started._meta?.[QR_META_KEY]).toBeUndefined();
    await expect.poll(() => session.snapshot().state).toBe('qr');
    const again = await callTool(apps, 'whatsapp_start_auth');
    expect(textPayload(again).state).toBe('qr');
    expect(again._meta?.[QR_META_KEY]).toEqual({ data_url: expect.stringMatching(/^data:image\/png;base64,/) });
  });

  it('a client without MCP Apps gets exactly the result it got before: no _meta at all', async () => {
    session.set('qr', { qr: QR });
    const plain = track(await connectMcp(srv.url, TOKEN));
    for (const tool of ['whatsapp_status', 'whatsapp_start_auth']) {
      const result: CallToolResult = await callTool(plain, tool);
      expect(Object.keys(result).sort()).toEqual(['content', 'structuredContent']);
      expect(result.content).toHaveLength(1);
      expect(textPayload(result)).toEqual(result.structuredContent);
      expect(textPayload(result)).toMatchObject({ state: 'qr', has_qr: true, ready: false });
    }
  });

  it('a key that may read but not link sees the state in the view, not the QR code (it would link a phone to this bridge)', async () => {
    session.set('qr', { qr: QR });
    const reader = track(await connectAppsClient(srv.url, await mintKey(srv, ['read'])));
    const result = await callTool(reader, 'whatsapp_status');
    expect(textPayload(result)).toMatchObject({ state: 'qr', has_qr: true });
    expect(result._meta?.[QR_META_KEY]).toBeUndefined();
    const linker = track(await connectAppsClient(srv.url, await mintKey(srv, ['read', 'link'])));
    expect((await callTool(linker, 'whatsapp_status'))._meta?.[QR_META_KEY]).toBeDefined();
  });

  it('once linked there is no code to carry', async () => {
    session.link();
    const result = await callTool(track(await connectAppsClient(srv.url, TOKEN)), 'whatsapp_status');
    expect(textPayload(result)).toMatchObject({ state: 'ready', ready: true });
    expect(result._meta?.[QR_META_KEY]).toBeUndefined();
  });
});
