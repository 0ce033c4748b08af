import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Accounts, type AccountRuntimes } from '../../src/app/accounts.js';
import { createServices, type AppServices } from '../../src/app/index.js';
import { Keys } from '../../src/app/keys.js';
import { silentLogger } from '../../src/core/logger.js';
import { accountsServerFactory } from '../../src/server/accounts-front.js';
import { boundPort } from '../../src/server/addresses.js';
import { buildApp } from '../../src/server/app.js';
import { createMediaSpool, IN_MEMORY, openStore, type AccountRow } from '../../src/store/index.js';
import { FakeSession, ME } from '../helpers/fake-session.js';
import { TOKEN } from '../helpers/http.js';
import { callTool, connectMcp, errorText } from '../helpers/mcp.js';

/**
 * The account registry and addressing over real HTTP (issue 14): one listening app for the
 * default account, one app per other account behind it (X-Account, /mcp/{account}), keys
 * limited to accounts. Sessions are in-memory doubles; tests/e2e/accounts-demo runs the real thing.
 */
describe('accounts: registry and addressing', () => {
  const log = silentLogger();
  const store = openStore({ file: IN_MEMORY, log });
  const spool = createMediaSpool(mkdtempSync(path.join(os.tmpdir(), 'wa-accounts-')));
  let registry: Accounts;
  const keys = new Keys({ account: 'default', store, log, accountExists: (id) => registry.exists(id) });
  const sessions = new Map<string, FakeSession>();
  const apps = new Map<string, { app: FastifyInstance; services: AppServices }>();
  let front: FastifyInstance;
  let url: string;
  const services = (account: string, session: FakeSession) =>
    createServices({ account, session, store, spool, log, keys, pace: { perMinute: 6000, burst: 10_000 }, mediaDirs: [] });
  let defaultServices: AppServices;
  const servicesOf = (id: string): AppServices | null => (id === 'default' ? defaultServices : (apps.get(id)?.services ?? null));
  const http = () => ({ token: TOKEN, log, version: '0.0.0-test', accounts: registry, port: () => boundPort(front.server), servicesOf });

  const runtimes: AccountRuntimes = {
    async open(row: AccountRow, { link }) {
      const session = new FakeSession();
      session.startInto = 'qr';
      sessions.set(row.id, session);
      const s = services(row.id, session);
      const app = await buildApp({ ...http(), services: s });
      await app.ready();
      await s.start();
      apps.set(row.id, { app, services: s });
      if (link) await session.start();
    },
    async discard(id) {
      const rt = apps.get(id);
      apps.delete(id);
      if (rt) {
        await rt.app.close();
        rt.services.close();
      }
    },
    snapshot: (id) => sessions.get(id)?.snapshot() ?? null,
  };

  const call = async (p: string, init: { method?: string; json?: unknown; account?: string; key?: string | null } = {}) => {
    const headers: Record<string, string> = {};
    if (init.key !== null) headers.authorization = `Bearer ${init.key ?? TOKEN}`;
    if (init.account) headers['x-account'] = init.account;
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url + p, { method: init.method ?? 'GET', headers, ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}) });
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    registry = new Accounts(store, runtimes, log);
    const session = new FakeSession();
    session.link();
    sessions.set('default', session);
    const s = services('default', session);
    defaultServices = s;
    front = await buildApp({ ...http(), services: s, serverFactory: accountsServerFactory((id) => apps.get(id)?.app ?? null) });
    await s.start();
    await front.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${boundPort(front.server)}`;
  });
  afterAll(async () => {
    await front.close();
    for (const id of [...apps.keys()]) await runtimes.discard(id);
    store.close();
  });

  it('the default account always exists, answers requests that name none, and `X-Account: default` alike', async () => {
    const list = (await call('/api/accounts')).body;
    expect(list.accounts).toEqual([expect.objectContaining({ id: 'default', name: 'Default', default: true, state: 'ready', me: ME.wid.split('@')[0] })]);
    expect((await call('/api/status')).body).toMatchObject({ account_id: 'default', account: { wid: ME.wid } });
    expect((await call('/api/status', { account: 'default' })).body).toMatchObject({ account_id: 'default', account: { wid: ME.wid } });
  });

  it('creating an account starts its linking, and its own routes answer for it', async () => {
    const created = await call('/api/accounts', { method: 'POST', json: { id: 'work', name: 'Work phone' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ok: true, id: 'work', name: 'Work phone', default: false });
    expect(sessions.get('work')!.startCalls).toBe(1);
    const status = (await call('/api/status', { account: 'work' })).body;
    expect(['starting', 'qr']).toContain(status.state);
    // Which account a status describes is said before it is linked (account, the linked number, is still null).
    expect(status).toMatchObject({ account_id: 'work', account: null });
    sessions.get('work')!.link({ wid: '15550200002@c.us', pushname: 'Work', platform: 'android' });
    expect((await call('/api/status', { account: 'work' })).body.account.wid).toBe('15550200002@c.us');
    expect((await call('/api/status')).body.account.wid).toBe(ME.wid);
    expect((await call('/api/accounts/work')).body).toMatchObject({ state: 'ready', me: '15550200002' });
  });

  it('refuses bad ids, duplicates, unknown accounts (after the credential check), and deleting the default or without confirmation', async () => {
    const bad = await call('/api/accounts', { method: 'POST', json: { id: 'Work Phone' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/lower-case letters, digits and hyphens/);
    expect((await call('/api/accounts', { method: 'POST', json: { id: 'work' } })).body.error.code).toBe('ACCOUNT_EXISTS');
    const unknown = await call('/api/status', { account: 'nope' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
    expect(unknown.body.error.message).toMatch(/list the accounts/);
    expect((await call('/api/status', { account: 'nope', key: null })).status).toBe(401);
    expect((await call('/api/accounts/default?confirm=default', { method: 'DELETE' })).body.error.code).toBe('ACCOUNT_NOT_DELETABLE');
    const unconfirmed = await call('/api/accounts/work', { method: 'DELETE' });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.error.code).toBe('CONFIRMATION_REQUIRED');
    expect(apps.has('work')).toBe(true);
    const renamed = await call('/api/accounts/work', { method: 'PATCH', json: { name: 'Office' } });
    expect(renamed.body).toMatchObject({ id: 'work', name: 'Office' });
  });

  it("each account's webhooks, sends and audit trail are its own", async () => {
    const hook = await call('/api/webhooks', { method: 'POST', account: 'work', json: { url: 'http://127.0.0.1:9/hook' } });
    expect(hook.status).toBe(201);
    expect((await call('/api/webhooks', { account: 'work' })).body.webhooks.map((w: any) => w.id)).toEqual([hook.body.webhook.id]);
    expect((await call('/api/webhooks')).body.webhooks).toEqual([]);
    const sent = await call('/api/send', { method: 'POST', account: 'work', json: { phone_number: '+15550100001', message: 'from work' } });
    expect(sent.status).toBe(200);
    expect(sessions.get('work')!.sent.map((m) => m.text)).toEqual(['from work']);
    expect(sessions.get('default')!.sent).toEqual([]);
    expect((await call('/api/outbox', { account: 'work' })).body.entries).toHaveLength(1);
    expect((await call('/api/outbox')).body.entries).toHaveLength(0);
    const audit = (await call('/api/audit', { account: 'work' })).body.entries;
    expect(audit.map((e: any) => [e.account, e.action])).toEqual(expect.arrayContaining([['work', 'create_webhook'], ['work', 'send_message']]));
    expect((await call('/api/audit')).body.entries.every((e: any) => e.account === 'default')).toBe(true);
  });

  it('a key limited to accounts gets ACCOUNT_FORBIDDEN on the others, cannot change the registry, and only mints narrower keys', async () => {
    expect((await call('/api/keys', { method: 'POST', json: { name: 'ghost', accounts: ['nope'] } })).body.error.code).toBe('ACCOUNT_NOT_FOUND');
    const created = (await call('/api/keys', { method: 'POST', json: { name: 'work admin', scopes: ['read', 'admin'], accounts: ['work'] } })).body;
    expect(created.accounts).toEqual(['work']);
    const key = created.key as string;
    expect((await call('/api/status', { key, account: 'work' })).status).toBe(200);
    const refused = await call('/api/status', { key });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('ACCOUNT_FORBIDDEN');
    expect(refused.body.error.message).toMatch(/work/);
    expect((await call('/api/accounts', { key, account: 'work' })).body.accounts.map((a: any) => a.id)).toEqual(['work']);
    expect((await call('/api/accounts', { method: 'POST', key, account: 'work', json: { id: 'other' } })).body.error.code).toBe('ACCOUNT_FORBIDDEN');
    expect((await call('/api/keys', { method: 'POST', key, account: 'work', json: { name: 'wider', scopes: ['read'] } })).body.error.code).toBe('ACCOUNT_FORBIDDEN');
    expect((await call('/api/keys', { method: 'POST', key, account: 'work', json: { name: 'narrow', scopes: ['read'], accounts: ['work'] } })).status).toBe(201);
  });

  it('/mcp/{account} is an MCP endpoint bound to that account, whatever X-Account the client sends', async () => {
    const mcp = await connectMcp(url, TOKEN, { path: '/mcp/work', headers: { 'x-account': 'default' } });
    try {
      const status = (await callTool(mcp, 'whatsapp_status')).structuredContent as { account_id: string; account: { wid: string } };
      expect(status).toMatchObject({ account_id: 'work', account: { wid: '15550200002@c.us' } });
    } finally {
      await mcp.close();
    }
    const plain = await connectMcp(url, TOKEN);
    try {
      expect((await callTool(plain, 'whatsapp_status')).structuredContent).toMatchObject({ account_id: 'default', account: { wid: ME.wid } });
    } finally {
      await plain.close();
    }
    await expect(connectMcp(url, TOKEN, { path: '/mcp/nope' })).rejects.toThrow(/404|ACCOUNT_NOT_FOUND/);
    const key = (await call('/api/keys', { method: 'POST', json: { name: 'work agent', scopes: ['read'], accounts: ['work'] } })).body.key as string;
    await expect(connectMcp(url, key)).rejects.toThrow(/403|ACCOUNT_FORBIDDEN/);
    const bound = await connectMcp(url, key, { path: '/mcp/work' });
    await bound.close();
  });

  it("on /mcp a tool call picks another account with its `account` argument; /mcp/{account} has no such argument", async () => {
    const plain = await connectMcp(url, TOKEN);
    const bound = await connectMcp(url, TOKEN, { path: '/mcp/work' });
    try {
      const tools = (await plain.listTools()).tools;
      expect(tools.length).toBeGreaterThan(20);
      for (const tool of tools) expect(Object.keys(tool.inputSchema.properties ?? {}), tool.name).toContain('account');
      const send = tools.find((t) => t.name === 'whatsapp_send_message')!;
      expect(send.inputSchema).toMatchObject({ additionalProperties: false, oneOf: [{ required: ['phone_number'] }, { required: ['group_id'] }] });
      for (const tool of (await bound.listTools()).tools) expect(Object.keys(tool.inputSchema.properties ?? {}), tool.name).not.toContain('account');

      const status = (await callTool(plain, 'whatsapp_status', { account: 'work' })).structuredContent as { account: { wid: string } };
      expect(status.account.wid).toBe('15550200002@c.us');
      expect(((await callTool(plain, 'whatsapp_status', { account: 'default' })).structuredContent as { account: { wid: string } }).account.wid).toBe(ME.wid);

      const workSent = sessions.get('work')!.sent.length;
      const homeSent = sessions.get('default')!.sent.length;
      const sent = await callTool(plain, 'whatsapp_send_message', { account: 'work', phone_number: '+15550100002', message: 'chosen by argument' });
      expect(sent.isError ?? false).toBe(false);
      expect(sessions.get('work')!.sent.slice(workSent).map((m) => m.text)).toEqual(['chosen by argument']);
      expect(sessions.get('default')!.sent).toHaveLength(homeSent);
      const outboxId = (sent.structuredContent as { outbox_id: string }).outbox_id;
      // The send is in work's outbox and audit trail, as the MCP call of the owner.
      expect(((await callTool(plain, 'whatsapp_get_send_status', { account: 'work', outbox_id: outboxId })).structuredContent as { entry: { status: string } }).entry.status).toBe('sent');
      expect((await callTool(plain, 'whatsapp_get_send_status', { outbox_id: outboxId })).isError).toBe(true);
      const workAudit = (await call('/api/audit', { account: 'work' })).body.entries;
      expect(workAudit.find((e: any) => e.outbox_id === outboxId)).toMatchObject({ account: 'work', action: 'send_message', transport: 'mcp', outcome: 'ok' });
      expect((await call('/api/audit')).body.entries.some((e: any) => e.outbox_id === outboxId)).toBe(false);

      const unknown = await callTool(plain, 'whatsapp_send_message', { account: 'nope', phone_number: '+15550100002', message: 'to nobody' });
      expect(unknown.isError).toBe(true);
      expect(errorText(unknown)).toMatch(/^ACCOUNT_NOT_FOUND: .*list the accounts/);
      const badId = await callTool(plain, 'whatsapp_status', { account: 'Work Phone' });
      expect(badId.isError).toBe(true);
      expect(errorText(badId)).toMatch(/lower-case letters, digits and hyphens/);
      // A session bound to work refuses the argument rather than ignore it (it could never mean another account).
      const crossing = await callTool(bound, 'whatsapp_send_message', { account: 'default', phone_number: '+15550100002', message: 'must not go' });
      expect(crossing.isError).toBe(true);
      expect(errorText(crossing)).toMatch(/account/);
      expect(sessions.get('work')!.sent).toHaveLength(workSent + 1);
      expect(sessions.get('default')!.sent).toHaveLength(homeSent);
    } finally {
      await plain.close();
      await bound.close();
    }

    // A key limited to work, on /mcp with X-Account: work, may name work but not the default account.
    const key = (await call('/api/keys', { method: 'POST', json: { name: 'work reader', scopes: ['read'], accounts: ['work'] } })).body.key as string;
    const limited = await connectMcp(url, key, { headers: { 'x-account': 'work' } });
    try {
      expect(((await callTool(limited, 'whatsapp_status', { account: 'work' })).structuredContent as { account: { wid: string } }).account.wid).toBe('15550200002@c.us');
      const refused = await callTool(limited, 'whatsapp_status', { account: 'default' });
      expect(refused.isError).toBe(true);
      expect(errorText(refused)).toMatch(/^ACCOUNT_FORBIDDEN: .*work/);
    } finally {
      await limited.close();
    }
  });

  it("a key's send to another account by argument follows that account's policy, and its approval form reaches the same client", async () => {
    const key = (await call('/api/keys', { method: 'POST', json: { name: 'asks first', scopes: ['read', 'send'], recipients: 'any', approve: 'always', quarantine: false } })).body.key as string;
    const asked: string[] = [];
    const agent = await connectMcp(url, key, { elicit: (params) => (asked.push(params.message), { action: 'accept' }) });
    try {
      const workSent = sessions.get('work')!.sent.length;
      const sent = await callTool(agent, 'whatsapp_send_message', { account: 'work', phone_number: '+15550100003', message: 'approved in the client' });
      expect(sent.isError ?? false, errorText(sent)).toBe(false);
      expect(asked).toHaveLength(1);
      expect(asked[0]).toMatch(/approved in the client/);
      expect(sent.structuredContent).toMatchObject({ status: 'sent' });
      expect(sessions.get('work')!.sent.slice(workSent).map((m) => m.text)).toEqual(['approved in the client']);
      const outboxId = (sent.structuredContent as { outbox_id: string }).outbox_id;
      expect((await call(`/api/outbox/${outboxId}`, { account: 'work' })).body.entry).toMatchObject({ status: 'sent', approval: expect.objectContaining({ decision: 'approved', decided_by: 'user (MCP client)' }) });
    } finally {
      await agent.close();
    }
  });

  it("each account's dashboard offers its own MCP set-up: /mcp/<id>, its own server name and --account", async () => {
    const home = (await call('/api/dashboard/config')).body;
    expect(home.mcp_url).toBe(`${url}/mcp`);
    expect(home.install.length).toBeGreaterThan(0);
    for (const option of home.install) expect(option.text).not.toMatch(/--account|whatsapp-work/);
    const work = (await call('/api/dashboard/config', { account: 'work' })).body;
    expect(work.mcp_url).toBe(`${url}/mcp/work`);
    const desktop = work.install.find((o: any) => o.client === 'claude-desktop');
    const server = JSON.parse(desktop.text).mcpServers['whatsapp-work'];
    expect(server.args.slice(-4)).toEqual(['--account', 'work', '--client', 'claude-desktop']);
  });

  it('a confirmed delete stops the account and removes its data from the store; the default keeps its own', async () => {
    await call('/api/send', { method: 'POST', json: { phone_number: '+15550100001', message: 'from home' } });
    const deleted = await call('/api/accounts/work?confirm=work', { method: 'DELETE' });
    expect(deleted.body).toEqual({ ok: true, id: 'work', deleted: true });
    expect(apps.has('work')).toBe(false);
    expect((await call('/api/status', { account: 'work' })).body.error.code).toBe('ACCOUNT_NOT_FOUND');
    expect(store.outbox.list({ account: 'work', limit: 100 }).entries).toEqual([]);
    expect(store.webhooks.list('work')).toEqual([]);
    expect(store.audit.list('work', { limit: 100 }).entries).toEqual([]);
    expect(store.outbox.list({ account: 'default', limit: 100 }).entries).toHaveLength(1);
    // Keys limited to it reach no account now (never every account).
    expect(store.keys.list('default').filter((k) => k.name.startsWith('work')).map((k) => k.accounts)).toEqual([[], [], []]);
  });
});
