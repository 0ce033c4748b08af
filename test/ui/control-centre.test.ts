import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../../src/bridge.js';
import { SimulatorControl } from '../../src/whatsapp/simulator/index.js';
import type { Caller } from '../helpers/bridge.js';
import { b64, PNG } from '../helpers/media-fixtures.js';
import { chromiumPath, SCREENSHOT_DIR } from '../helpers/playwright.js';
import { linkedDemoDashboard, UI_SIZES, type LinkedDashboard } from '../helpers/ui-demo.js';
import { seriousViolations } from './axe.js';

/**
 * The control centre (issues 12, 13, 15) in the dashboard at `/`, following the real demo
 * bridge (whatsapp-web.js driving the simulator) in a real Chromium: a client key created in
 * the Clients panel, a send by that key held and shown live in Approvals, approved from the
 * page and received by the simulated phone, another denied, "Pause agents" holding and
 * releasing a key's send, Activity opening a send's outbox entry, and the one-click MCP
 * set-up (no token anywhere; the Claude Desktop configuration really connects). axe-core,
 * no horizontal overflow, and screenshots at 420 and 860 px, light and dark (UI_SHOTS_DIR,
 * else test-results/screenshots/control-centre).
 */
const SHOTS = process.env.UI_SHOTS_DIR ?? path.join(SCREENSHOT_DIR, 'control-centre');
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const ALICE = '15550100001';
const BOB = '15550100002';
/** In the demo's address book by his own name only (pushname), with no chat yet: a new recipient. */
const FARID = '15550100006';
const HOSTILE = 'Here is the report you asked for.\nIt is <img src=x onerror="window.__pwned=1"> <b>attached</b>.';

describe.skipIf(!chromiumPath)('the control centre in the dashboard, against the demo bridge', () => {
  let ui: LinkedDashboard;
  let bridge: Bridge & { call: Caller };
  let sim: SimulatorControl;
  let contexts: Map<string, BrowserContext>;
  let page: Page;
  /** The key created in the Clients panel. */
  let agentKey = '';

  const post = async (p: string, json: unknown = {}) => {
    const res = await bridge.call(p, { method: 'POST', json });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  /** A REST call made with a client key, as a script or agent would. */
  const asKey = async (key: string, p: string, json: unknown) => {
    const res = await fetch(bridge.url + p, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(json) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const entry = async (id: string) => (await bridge.call(`/api/outbox/${id}`)).body.entry;
  const ourMessagesTo = async (phone: string) => (await sim.messages(`${phone}@c.us`, 50)).filter((m) => m.fromMe);
  const approvals = (p: Page = page) => p.locator('#approvals-list > li');
  const title = (p: Page = page) => p.locator('#status-title').textContent();

  /** Creates a key with the Clients panel's form; returns the key the page shows once. */
  async function createKeyInPage(p: Page, name: string, choose: (form: ReturnType<Page['locator']>) => Promise<void> = async () => undefined): Promise<string> {
    const form = p.locator('#key-form');
    if (!(await p.locator('#key-create').evaluate((d) => (d as HTMLDetailsElement).open))) await p.getByText('Create a key', { exact: true }).click();
    await p.getByLabel('Name', { exact: true }).fill(name);
    await choose(form);
    await p.getByRole('button', { name: 'Create key' }).click();
    await expect.poll(() => p.locator('#key-created').isVisible(), { timeout: 10_000 }).toBe(true);
    return (await p.locator('#key-created-value').textContent()) ?? '';
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ui = await linkedDemoDashboard('wa-ui-control-', { clipboard: true });
    ({ bridge, contexts } = ui);
    sim = new SimulatorControl(bridge.session.page!);
    page = await contexts.get('860-light')!.newPage();
  });

  afterAll(async () => {
    await ui?.close();
  });

  it("creates a key in Clients with the API's safe defaults preselected: listed, and the key shown once", async () => {
    await page.goto(`${bridge.url}/`);
    await expect.poll(() => title(), { timeout: 15_000 }).toMatch(/^Linked as/);
    agentKey = await createKeyInPage(page, 'Test agent');
    expect(agentKey).toMatch(/^wak_[A-Za-z0-9_-]{43}$/);
    expect(await page.evaluate(() => navigator.clipboard.readText().catch(() => ''))).not.toBe(agentKey);
    await page.getByRole('button', { name: 'Copy the new key' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(agentKey);
    const row = page.locator('#keys-list > li').filter({ hasText: 'Test agent' });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator('.key-facts').innerText()).toMatch(/read, send\s+Writes to\s+chats that wrote in the last 24 h\s+You approve\s+the first send to each chat, and sends to another chat after it read other people’s messages\s+Last used\s+never$/);
    // What the form sent by default is what the API gives a key created with nothing but a name.
    const plain = await bridge.call('/api/keys', { method: 'POST', json: { name: 'API defaults' } });
    const keys = (await bridge.call('/api/keys')).body.keys as Record<string, unknown>[];
    const policy = (k: Record<string, unknown> | undefined) => {
      const { id: _i, name: _n, key_prefix: _p, created_at: _c, last_used_at: _l, revoked_at: _r, ...rest } = k ?? {};
      return rest;
    };
    expect(policy(keys.find((k) => k.name === 'Test agent'))).toEqual(policy(keys.find((k) => k.id === plain.body.id)));
    await bridge.call(`/api/keys/${plain.body.id}`, { method: 'DELETE' });
    // The key works, and once "Done" it is gone from the page for good.
    expect((await fetch(`${bridge.url}/api/status`, { headers: { authorization: `Bearer ${agentKey}` } })).status).toBe(200);
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.content()).not.toContain(agentKey);
    await page.reload();
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(await page.content()).not.toContain(agentKey);
  });

  it('a send by that key to a new recipient is held, and shows in Approvals as it happens: recipient, whole text, files, who asked and why, time left', async () => {
    expect(await approvals().count()).toBe(0);
    expect(await page.locator('#approvals').isHidden()).toBe(true);
    // Farid writes first: the key's reply_only lets it answer him; as nobody wrote to him from here yet, a person approves.
    await post('/api/simulator/incoming', { phone_number: FARID, message: 'Can you send me the report?' });
    // Recorded (it shows in Activity) before the key answers.
    await expect.poll(() => page.locator('#activity-list > li').filter({ hasText: 'Can you send me the report?' }).count(), { timeout: 10_000 }).toBe(1);
    const held = await asKey(agentKey, '/api/send', { phone_number: FARID, message: HOSTILE });
    expect(held.status, JSON.stringify(held.body)).toBe(202);
    expect(held.body).toMatchObject({ status: 'awaiting_approval', approval: { reason: 'new_recipient' } });
    const media = await asKey(agentKey, '/api/send/media', { phone_number: FARID, media: [{ data: b64(PNG), mimetype: 'image/png', filename: 'holiday.png' }] });
    expect(media.status, JSON.stringify(media.body)).toBe(202);

    await expect.poll(() => approvals().count(), { timeout: 10_000 }).toBe(2);
    expect(await page.locator('#approvals').isVisible()).toBe(true);
    // At the top of the page, above the status.
    const [top, status] = await Promise.all([page.locator('#approvals').boundingBox(), page.locator('.status-card').boundingBox()]);
    expect(top!.y).toBeLessThan(status!.y);
    expect(await page.locator('#approvals-title').textContent()).toBe('2 sends waiting for your approval');

    const textItem = page.locator(`#pending-${held.body.outbox_id}`);
    await expect.poll(() => textItem.locator('.approval-to').innerText(), { timeout: 10_000 }).toBe(`To Farid +${FARID}`);
    expect(await textItem.locator('.approval-text').textContent()).toBe(HOSTILE);
    expect(await textItem.locator('.approval-text').getAttribute('dir')).toBe('auto');
    expect(await page.locator('#approvals img, #approvals b').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await textItem.locator('.approval-why').textContent()).toBe('Asked by Test agent, held because nobody has written to this recipient from this account before.');
    const left = await textItem.locator('.approval-expiry').textContent();
    expect(left).toMatch(/^(10:00|9:[0-5]\d) left$/);
    // The countdown runs.
    await expect.poll(() => textItem.locator('.approval-expiry').textContent(), { timeout: 5_000 }).not.toBe(left);

    const mediaItem = page.locator(`#pending-${media.body.outbox_ids?.[0] ?? media.body.outbox_id}`);
    expect(await mediaItem.locator('.approval-files').innerText()).toBe(`holiday.png — ${PNG.length} B, image/png`);
  });

  it('Approve from the page: the item leaves the list and the simulated phone receives the message', async () => {
    const item = approvals().filter({ hasText: 'Here is the report' });
    const id = (await item.getAttribute('data-id'))!;
    await item.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => approvals().count()).toBe(1);
    await expect.poll(() => page.locator('#announcer').textContent()).toBe('Approved: sending to Farid.');
    // Focus goes to the next send waiting, not to <body>.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Approve');
    await expect.poll(async () => (await ourMessagesTo(FARID)).map((m) => m.body), { timeout: 15_000 }).toContain(HOSTILE);
    expect(await entry(id)).toMatchObject({ approval: { decision: 'approved', decided_by: 'owner' } });
  });

  it('Deny from the page: canceled, never sent, and the panel goes away with the last send', async () => {
    const item = approvals().first();
    const id = (await item.getAttribute('data-id'))!;
    await item.getByRole('button', { name: 'Deny' }).click();
    await expect.poll(() => approvals().count()).toBe(0);
    expect(await page.locator('#approvals').isHidden()).toBe(true);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('status-title');
    expect(await entry(id)).toMatchObject({ status: 'canceled', error: { code: 'APPROVAL_DENIED' }, approval: { decision: 'denied' } });
    expect((await ourMessagesTo(FARID)).filter((m) => m.type !== 'chat')).toEqual([]);
  });

  it("Activity lists what became of each held send, and its Details open the send's outbox entry", async () => {
    const approved = page.locator('#activity-list > li').filter({ hasText: /^Approved: to/ }).first();
    await expect.poll(() => approved.count(), { timeout: 10_000 }).toBe(1);
    expect(await page.locator('#activity-list > li').filter({ hasText: /^Denied: to/ }).count()).toBe(1);
    const details = approved.getByRole('button', { name: /^Details/ });
    await details.click();
    const dialog = page.getByRole('dialog', { name: 'Send details' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    const rows = await dialog.locator('#send-details-fields').innerText();
    expect(rows).toMatch(/Asked by\s+Test agent/);
    expect(rows).toMatch(/Decision\s+approved by owner/);
    expect(rows).toMatch(new RegExp(`To\\s+\\+${FARID}`));
    const json = JSON.parse((await dialog.locator('#send-details-json').textContent())!);
    expect(json).toMatchObject({ chat_id: `${FARID}@c.us`, text: HOSTILE, approval: { requested_by: 'Test agent', decision: 'approved' } });
    expect(['sent', 'delivered', 'read']).toContain(json.status);
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Details');
  });

  it("Pause agents holds a key's send (the owner keeps sending); Resume lets it go", async () => {
    const pauserKey = await createKeyInPage(page, 'Pauser', async () => {
      await page.getByLabel('Anyone').check();
      await page.getByLabel('Nothing').check();
    });
    await page.getByRole('button', { name: 'Done' }).click();
    const pause = page.getByRole('switch', { name: 'Pause agents' });
    expect(await pause.isChecked()).toBe(false);
    await pause.click();
    await expect.poll(async () => (await bridge.call('/api/agents')).body.paused).toBe(true);
    await expect.poll(() => page.locator('#agents-note').textContent()).toMatch(/^Agents are paused/);

    const held = await asKey(pauserKey, '/api/send', { phone_number: BOB, message: 'Sent after the pause' });
    expect(held.status, JSON.stringify(held.body)).toBe(202);
    expect(held.body.status).toBe('queued');
    // The owner's send goes out meanwhile; the key's is still queued after it.
    await post('/api/send', { phone_number: ALICE, message: 'The owner is not paused' });
    expect((await entry(held.body.outbox_id)).status).toBe('queued');
    expect((await ourMessagesTo(BOB)).map((m) => m.body)).not.toContain('Sent after the pause');
    await page.reload();
    await expect.poll(() => page.locator('#agents-note').textContent(), { timeout: 10_000 }).toMatch(/1 send held until you resume/);
    expect(await pause.isChecked()).toBe(true);

    await pause.click();
    await expect.poll(async () => (await bridge.call('/api/agents')).body.paused).toBe(false);
    await expect.poll(async () => (await ourMessagesTo(BOB)).map((m) => m.body), { timeout: 15_000 }).toContain('Sent after the pause');
    await expect.poll(() => page.locator('#announcer').textContent()).toBe('Agents resumed.');
  });

  it('Activity filters by client: a key shows its own sends only, "You" the owner\'s', async () => {
    await page.reload();
    const items = page.locator('#activity-list > li');
    const visibleTexts = async () => (await items.filter({ visible: true }).allInnerTexts()).join('\n');
    // After a reload the past approval steps come back from the event log (GET /api/events/log), not only live ones.
    await expect.poll(() => items.filter({ hasText: /^Approved: to/ }).count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const client = page.getByLabel('Client', { exact: true });
    await expect.poll(async () => (await client.locator('option').allInnerTexts()).join('|'), { timeout: 10_000 }).toMatch(/Pauser/);
    await client.selectOption({ label: 'Pauser' });
    await expect.poll(visibleTexts).toMatch(/Sent after the pause/);
    expect(await visibleTexts()).not.toMatch(/The owner is not paused/);
    await client.selectOption({ label: 'You (API token, this window)' });
    await expect.poll(visibleTexts).toMatch(/The owner is not paused/);
    expect(await visibleTexts()).not.toMatch(/Sent after the pause/);
    await client.selectOption({ label: 'All clients' });
    await expect.poll(visibleTexts).toMatch(/Sent after the pause/);
    expect(await visibleTexts()).toMatch(/The owner is not paused/);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('Revoke asks first; "Keep it" changes nothing, Revoke stops the key at once', async () => {
    const row = page.locator('#keys-list > li').filter({ hasText: 'Pauser' });
    const key = (await bridge.call('/api/keys')).body.keys.find((k: { name: string }) => k.name === 'Pauser');
    await row.getByRole('button', { name: 'Revoke…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke “Pauser”?' });
    await confirm.getByRole('button', { name: 'Keep it' }).click();
    expect((await bridge.call(`/api/keys/${key.id}`)).body.revoked_at).toBeNull();
    await row.getByRole('button', { name: 'Revoke…' }).click();
    await confirm.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(async () => (await bridge.call(`/api/keys/${key.id}`)).body.revoked_at).not.toBeNull();
    await expect.poll(() => row.locator('.key-badge').textContent()).toBe('Revoked');
  });

  it('Connect an AI client: the links decode to each client\'s documented format, start this bridge\'s stdio entry, and nothing on the page holds the token', async () => {
    const expected = (client: string) => ({ command: process.execPath, args: [path.join(ROOT, 'scripts', 'run.mjs'), 'mcp', '--demo', '--data-dir', ui.dir, '--client', client] });
    const cursor = new URL((await page.getByRole('link', { name: 'Add to Cursor' }).getAttribute('href'))!);
    expect([cursor.protocol, cursor.host, cursor.pathname, cursor.searchParams.get('name')]).toEqual(['cursor:', 'anysphere.cursor-deeplink', '/mcp/install', 'whatsapp']);
    expect(JSON.parse(Buffer.from(cursor.searchParams.get('config')!, 'base64').toString('utf8'))).toEqual(expected('cursor'));
    const vscode = (await page.getByRole('link', { name: 'Install in VS Code' }).getAttribute('href'))!;
    expect(vscode.startsWith('vscode:mcp/install?')).toBe(true);
    expect(JSON.parse(decodeURIComponent(vscode.slice('vscode:mcp/install?'.length)))).toEqual({ name: 'whatsapp', type: 'stdio', ...expected('vscode') });
    const command = await page.locator('#install-list li[data-client="claude-code"] pre').textContent();
    expect(command).toBe(`claude mcp add --scope user whatsapp -- ${[process.execPath, ...expected('claude-code').args].join(' ')}`);
    const desktop = JSON.parse((await page.locator('#install-list li[data-client="claude-desktop"] pre').textContent())!);
    expect(desktop).toEqual({ mcpServers: { whatsapp: expected('claude-desktop') } });
    // Links first, then the command, then the JSON.
    expect(await page.locator('#install-list > li').evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.client))).toEqual(['cursor', 'vscode', 'claude-code', 'claude-desktop']);

    const html = await page.content();
    expect(html).not.toContain(bridge.token);
    expect(html).not.toMatch(/wak_[A-Za-z0-9_-]{20}/);
    const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    for (const href of hrefs) expect(decodeURIComponent(href)).not.toContain(bridge.token);
    const copied = await page.evaluate(async () => (await (await fetch('/api/dashboard/config')).json()) as { install: { text: string; link: string | null }[] });
    for (const o of copied.install) expect(`${o.text} ${o.link ?? ''}`).not.toMatch(/Bearer|Authorization|wak_/);
    expect(JSON.stringify(copied.install)).not.toContain(bridge.token);
  });

  it('the Claude Desktop configuration from the page connects (no token in it), and Claude Desktop then shows under Clients with a key of its own', { timeout: 240_000 }, async () => {
    const config = JSON.parse((await page.locator('#install-list li[data-client="claude-desktop"] pre').textContent())!).mcpServers.whatsapp as { command: string; args: string[] };
    const { WHATSAPP_MCP_TOKEN: _t, WHATSAPP_DATA_DIR: _d, WHATSAPP_MCP_KEY: _k, ...env } = process.env;
    const transport = new StdioClientTransport({ command: config.command, args: config.args, env: env as Record<string, string>, stderr: 'pipe' });
    const client = new Client({ name: 'claude-desktop-stand-in', version: '1.0.0' });
    await client.connect(transport);
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toContain('whatsapp_send_message');
    } finally {
      await client.close();
    }
    await page.reload();
    const row = page.locator('#keys-list > li').filter({ hasText: 'Claude Desktop' });
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(await row.locator('.key-facts').innerText()).toMatch(/chats that wrote in the last 24 h/);
  });

  it.each(UI_SIZES)('at %i px, %s: approvals, a new key and the Connect panel fit the window and pass axe; screenshots', async (width, scheme) => {
    const p = await contexts.get(`${width}-${scheme}`)!.newPage();
    await p.goto(`${bridge.url}/`);
    await expect.poll(() => title(p), { timeout: 15_000 }).toMatch(/^Linked as/);
    await post('/api/simulator/incoming', { phone_number: ALICE, message: `Hello from Alice at ${width} px, ${scheme}` });
    await expect.poll(() => p.locator('#activity-list > li').filter({ hasText: `at ${width} px, ${scheme}` }).count(), { timeout: 10_000 }).toBe(1);
    await p.screenshot({ path: path.join(SHOTS, `linked-activity-${width}-${scheme}.png`) });

    // Two sends wait: a long text to a right-to-left name, and a file. Aisha (a number per run: a key may
    // write 6 messages per chat per minute) writes first, and is recorded, so the key may answer her.
    const aisha = `96650123456${UI_SIZES.findIndex(([w, s]) => w === width && s === scheme)}`;
    await post('/api/simulator/incoming', { phone_number: aisha, message: `مرحبا ${width} ${scheme}`, pushname: 'عائشة الراشد' });
    await expect.poll(() => p.locator('#activity-list > li').filter({ hasText: `مرحبا ${width} ${scheme}` }).count(), { timeout: 10_000 }).toBe(1);
    const text = await asKey(agentKey, '/api/send', { phone_number: aisha, message: `Hi Aisha — the meeting moved to Thursday at 3 pm (${width} px, ${scheme}).\nCould you confirm?` });
    const file = await asKey(agentKey, '/api/send/media', { phone_number: aisha, media: [{ data: b64(PNG), mimetype: 'image/png', filename: 'a-rather-long-file-name-for-the-quarterly-report-2026.png' }] });
    expect([text.status, file.status], JSON.stringify([text.body, file.body])).toEqual([202, 202]);
    await expect.poll(() => approvals(p).count(), { timeout: 10_000 }).toBe(2);
    await expect.poll(() => approvals(p).first().locator('bdi.approval-name').textContent(), { timeout: 10_000 }).toBe('عائشة الراشد');
    await p.locator('#approvals').screenshot({ path: path.join(SHOTS, `approvals-${width}-${scheme}.png`) });

    await createKeyInPage(p, `Backup script ${width} ${scheme}`);
    await p.locator('#clients').screenshot({ path: path.join(SHOTS, `clients-new-key-${width}-${scheme}.png`) });
    for (const summary of await p.locator('#install-list summary').all()) await summary.click();
    await p.locator('#connect').screenshot({ path: path.join(SHOTS, `connect-${width}-${scheme}.png`) });

    const { scrollWidth, innerWidth } = await p.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    expect(await seriousViolations(p)).toEqual([]);
    await p.screenshot({ path: path.join(SHOTS, `page-${width}-${scheme}.png`), fullPage: true });

    // A send's details, from Activity.
    await p.locator('#activity-list > li').filter({ hasText: /^Waiting for your approval: to/ }).first().getByRole('button', { name: /^Details/ }).click();
    const dialog = p.getByRole('dialog', { name: 'Send details' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await dialog.locator('summary').click();
    expect(await seriousViolations(p)).toEqual([]);
    await p.screenshot({ path: path.join(SHOTS, `send-details-${width}-${scheme}.png`) });
    await p.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);

    await p.getByRole('button', { name: 'Done' }).click();
    for (const id of [text.body.outbox_id, file.body.outbox_ids?.[0] ?? file.body.outbox_id]) await post(`/api/outbox/${id}/deny`);
    await expect.poll(() => approvals(p).count()).toBe(0);
    await p.close();
  });
});
