import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { EXTENSION_ID, RESOURCE_MIME_TYPE } from '@modelcontextprotocol/ext-apps/server';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { build } from 'esbuild';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeSession, ME } from '../helpers/fake-session.js';
import { startTestServer, TOKEN, type TestServer } from '../helpers/http.js';
import { callTool } from '../helpers/mcp.js';
import { chromiumPath, launchChromium, SCREENSHOT_DIR } from '../helpers/playwright.js';
import { seriousViolations } from './axe.js';

/**
 * The MCP App views in real Chromium, inside a small host built on the extension's own
 * AppBridge (what chat clients embed): the view in a sandboxed iframe, the host forwarding
 * the view's tool calls to the real bridge over MCP (the official SDK client, real HTTP), and
 * the tool result handed over by the documented postMessage protocol. The page clock is
 * installed, so the views' polling moves only when a test moves time.
 */
const SHOTS = process.env.UI_SHOTS_DIR ?? path.join(SCREENSHOT_DIR, 'mcp-app');
const QR = '2@view-test-ref,key,identity,secret';
const ALICE = '15550100001@c.us';

/** The extension's host side (AppBridge + PostMessageTransport) bundled for the page, once. */
let hostScript: Promise<string> | null = null;
const hostBundle = () =>
  (hostScript ??= build({
    stdin: { contents: "export { AppBridge, PostMessageTransport } from '@modelcontextprotocol/ext-apps/app-bridge';", resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    format: 'iife',
    globalName: 'ExtAppsHost',
    platform: 'browser',
    write: false,
  }).then((out) => out.outputFiles[0]!.text));

const hostPage = (script: string, theme: 'light' | 'dark') => `<!doctype html>
<html><head><meta charset="utf-8"><title>test host</title>
<style>body { margin: 0; padding: 16px; background: ${theme === 'dark' ? '#181a19' : '#f3f4f3'}; } iframe { border: 0; width: 580px; height: 470px; display: block; }</style>
</head><body>
<iframe id="view" sandbox="allow-scripts allow-forms" title="MCP App view"></iframe>
<script>${script}</script>
<script>
window.startHost = async (html, theme) => {
  const iframe = document.getElementById('view');
  const bridge = new ExtAppsHost.AppBridge(null, { name: 'test-host', version: '1.0.0' }, { serverTools: {} }, { hostContext: { theme, displayMode: 'inline', platform: 'desktop' } });
  bridge.oncalltool = (params) => window.hostCallTool(params);
  bridge.onsizechange = ({ height }) => { if (height) iframe.style.height = height + 'px'; };
  window.viewReady = new Promise((resolve) => { bridge.oninitialized = resolve; });
  await bridge.connect(new ExtAppsHost.PostMessageTransport(iframe.contentWindow, iframe.contentWindow));
  window.bridge = bridge;
  iframe.srcdoc = html;
  await window.viewReady;
};
</script>
</body></html>`;

/** The client side of a chat app that shows MCP Apps: it declares the extension when it connects. */
async function connectAppsClient(baseUrl: string): Promise<Client> {
  const client = new Client({ name: 'apps-host', version: '1.0.0' }, { capabilities: { extensions: { [EXTENSION_ID]: { mimeTypes: [RESOURCE_MIME_TYPE] } } } });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }));
  return client;
}

describe.skipIf(!chromiumPath)('the MCP App views in Chromium, in a host built on AppBridge', () => {
  let browser: Browser;
  let srv: TestServer;
  let session: FakeSession;
  let mcp: Client;
  let page: Page;
  /** The tools the view called through the host, in order. */
  let calls: string[];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    session = new FakeSession();
    srv = await startTestServer({ session });
    mcp = await connectAppsClient(srv.url);
    calls = [];
  });
  afterEach(async () => {
    await page?.context().close();
    await mcp.close();
    await srv.close();
  });

  /** Opens a view in the host page, as a client does when a tool that names it was called. */
  async function openView(uri: string, theme: 'light' | 'dark'): Promise<FrameLocator> {
    const context = await browser.newContext({ viewport: { width: 640, height: 540 }, colorScheme: theme });
    page = await context.newPage();
    await page.clock.install();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.exposeFunction('hostCallTool', async (params: { name: string; arguments?: Record<string, unknown> }) => {
      calls.push(params.name);
      return mcp.callTool(params);
    });
    await page.setContent(hostPage(await hostBundle(), theme));
    const resource = await mcp.readResource({ uri });
    const html = (resource.contents[0] as { text: string }).text;
    await page.evaluate(([h, t]) => (window as unknown as { startHost(html: string, theme: string): Promise<void> }).startHost(h!, t!), [html, theme]);
    expect(errors).toEqual([]);
    return page.frameLocator('#view');
  }

  const sendResult = (result: CallToolResult) => page.evaluate((r) => (window as unknown as { bridge: { sendToolResult(r: unknown): Promise<void> } }).bridge.sendToolResult(r), result as never);
  /** axe-core inside the view's frame (the same calls a page takes). */
  const viewViolations = () => seriousViolations(page.frames().find((f) => f !== page.mainFrame()) as unknown as Page);
  const shot = (name: string) => page.locator('#view').screenshot({ path: path.join(SHOTS, `${name}.png`) });
  /** Lets the view's next poll happen (it asks every 3 s). */
  const nextPoll = () => page.clock.runFor(3_100);

  describe('ui://whatsapp/link', () => {
    it.each(['light', 'dark'] as const)('%s: from whatsapp_start_auth to the live QR code, as the client hands the result over', async (theme) => {
      const view = await openView('ui://whatsapp/link', theme);
      const started = await callTool(mcp, 'whatsapp_start_auth');
      expect(started.structuredContent).toMatchObject({ state: 'starting' });
      await sendResult(started);
      // The view asks for the state now (the result may be old) and gets the QR code with it.
      await expect.poll(() => view.locator('h1').textContent()).toBe('Waiting for your phone');
      const qr = view.getByRole('img', { name: /QR code to link WhatsApp/ });
      await expect.poll(() => qr.isVisible()).toBe(true);
      const { body } = await srv.call('/api/qr');
      expect(await qr.getAttribute('src')).toBe(body.data_url);
      expect(calls).toContain('whatsapp_status');
      expect(await page.evaluate(() => (document.getElementById('view') as HTMLIFrameElement).contentDocument)).toBeNull();
      expect(await viewViolations()).toEqual([]);
      await shot(`link-qr-${theme}`);

      // A new code from WhatsApp: the view shows it at its next poll.
      session.set('qr', { qr: QR });
      const { body: next } = await srv.call('/api/qr');
      expect(next.data_url).not.toBe(body.data_url);
      await nextPoll();
      await expect.poll(() => qr.getAttribute('src')).toBe(next.data_url);

      // The phone links: the view says so, with the account's name and number, and stops asking.
      session.link(ME);
      await nextPoll();
      await expect.poll(() => view.locator('h1').textContent()).toBe('Linked as Test Me (+15550000000)');
      expect(await qr.isVisible()).toBe(false);
      await shot(`link-ready-${theme}`);
      const asked = calls.length;
      await nextPoll();
      await nextPoll();
      expect(calls.length).toBe(asked);
    });

    it('the pairing-code form: a bad number gets the server\'s own words, a good one the code in 4+4', async () => {
      session.set('qr', { qr: QR });
      const view = await openView('ui://whatsapp/link', 'light');
      await sendResult(await callTool(mcp, 'whatsapp_status'));
      await expect.poll(() => view.getByRole('img', { name: /QR code/ }).isVisible()).toBe(true);

      const phone = view.getByLabel('Or link with your phone number');
      await phone.fill('+44 7700 9001ab');
      await view.getByRole('button', { name: 'Get a pairing code' }).click();
      await expect.poll(() => view.locator('#phone-error').textContent()).toMatch(/\S/);
      expect(await view.locator('#phone-error').textContent()).not.toMatch(/^[A-Z_]+:/);
      expect(session.pairingRequests).toEqual([]);

      await phone.fill('+44 7700 900123');
      await view.getByRole('button', { name: 'Get a pairing code' }).click();
      await expect.poll(() => view.locator('#pair-code').textContent()).toBe('ABCD-1234');
      expect(await view.locator('#pair-code span').count()).toBe(1);
      expect(session.pairingRequests).toEqual(['447700900123']);
      expect(calls).toContain('whatsapp_pairing_code');
      expect(await view.locator('#pair-phone').textContent()).toBe('+447700900123');
      // WhatsApp Web stops rotating the QR code while a pairing code is in use: it is taken away.
      expect(await view.getByRole('img', { name: /QR code/ }).isVisible()).toBe(false);
      expect(await viewViolations()).toEqual([]);
      await shot('link-pairing-code-light');
    });

    it('an error state from the table, with the button that starts again', async () => {
      session.set('auth_failure', { lastError: 'WhatsApp rejected the saved session: UNPAIRED' });
      const view = await openView('ui://whatsapp/link', 'light');
      await sendResult(await callTool(mcp, 'whatsapp_status'));
      await expect.poll(() => view.locator('h1').textContent()).toBe('Linking failed');
      expect(await view.locator('#error').textContent()).toBe('WhatsApp rejected the saved session: UNPAIRED');
      const again = view.getByRole('button', { name: 'Link again' });
      await again.click();
      await expect.poll(() => session.startCalls).toBe(1);
      expect(calls).toContain('whatsapp_start_auth');
    });
  });

  describe('ui://whatsapp/send-preview', () => {
    it('shows who, what, which files and where to approve, as text; no approve button; then follows the send', async () => {
      session.link(ME);
      session.contacts = [{ id: ALICE, number: '15550100001', name: 'Alice <i>Martin</i>', pushname: null, is_my_contact: true, is_business: false, phone: '15550100001@c.us', lid: null }];
      const view = await openView('ui://whatsapp/send-preview', 'light');
      const sent = await callTool(mcp, 'whatsapp_send_message', { phone_number: '+15550100001', message: 'See you at 7 <b>tonight</b>\nBring the menu' });
      const outboxId = (sent.structuredContent as { outbox_id: string }).outbox_id;
      const real = await callTool(mcp, 'whatsapp_get_send_status', { outbox_id: outboxId });
      const entry = (real.structuredContent as { entry: Record<string, unknown> }).entry;
      expect(entry.status).toBe('sent');
      // A held send as the outbox shows it with the approval record (issue 12's policies hold
      // sends; this branch's bridge sends at once, so the held state is handed over as such).
      const held = {
        ...entry,
        status: 'awaiting_approval',
        message_id: null,
        approval: {
          reason: 'new_recipient',
          reason_text: 'nobody has written to this recipient from this account before',
          requested_by: 'Claude Desktop',
          expires_at: new Date(Date.now() + 600_000).toISOString(),
          files: [{ filename: 'menu.pdf', mimetype: 'application/pdf', size: 48_213 }],
          decision: null,
          decided_by: null,
          decided_at: null,
        },
      };
      await sendResult({ ...real, content: [{ type: 'text', text: JSON.stringify({ ok: true, entry: held }) }], structuredContent: { ok: true, entry: held } });

      await expect.poll(() => view.locator('h1').textContent()).toBe('Waiting for your approval');
      await expect.poll(() => view.locator('#to-name').textContent()).toBe('Alice <i>Martin</i>');
      expect(await view.locator('#to-number').textContent()).toBe('+15550100001');
      expect(await view.locator('#text').textContent()).toBe('See you at 7 <b>tonight</b>\nBring the menu');
      expect(await view.locator('#text b, #to-name i').count()).toBe(0);
      expect(await view.locator('#files li').allTextContents()).toEqual(['menu.pdf — application/pdf, 47.1 KB']);
      expect(await view.locator('#reason').textContent()).toBe('nobody has written to this recipient from this account before');
      expect(await view.locator('#asked').textContent()).toBe('Claude Desktop');
      expect(await view.locator('#where').textContent()).toMatch(/window or on its dashboard/);
      expect(await view.getByRole('button').count()).toBe(0);
      expect(calls).toEqual(['whatsapp_search_contacts']);
      expect(await viewViolations()).toEqual([]);
      await shot('send-preview-awaiting-light');

      // While it waits the card keeps asking; the real outbox says it went out.
      await nextPoll();
      await expect.poll(() => view.locator('h1').textContent()).toBe('Sent');
      expect(await view.locator('#where').isVisible()).toBe(false);
      expect(calls).toEqual(['whatsapp_search_contacts', 'whatsapp_get_send_status']);
      await nextPoll();
      expect(calls).toHaveLength(2);
    });

    it('dark, and a failed send says why', async () => {
      session.link(ME);
      const view = await openView('ui://whatsapp/send-preview', 'dark');
      const failed = await callTool(mcp, 'whatsapp_send_message', { phone_number: '+19995550123', message: 'Hello?' });
      expect(failed.isError).toBe(true);
      const [entry] = (await callTool(mcp, 'whatsapp_list_sends', {})).structuredContent!.entries as Record<string, unknown>[];
      expect(entry).toMatchObject({ status: 'failed' });
      await sendResult(await callTool(mcp, 'whatsapp_get_send_status', { outbox_id: entry!.id as string }));
      await expect.poll(() => view.locator('h1').textContent()).toBe('Not sent');
      expect(await view.locator('#error').textContent()).toMatch(/WhatsApp/);
      expect(await view.locator('#to-number').textContent()).toBe('+19995550123');
      expect(await viewViolations()).toEqual([]);
      await shot('send-preview-failed-dark');
    });
  });
});
