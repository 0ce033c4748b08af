import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../../src/bridge.js';
import { startDemoBridge, tempDataDir, until, type Caller } from '../helpers/bridge.js';
import { callTool, connectMcp } from '../helpers/mcp.js';
import { openSse } from '../helpers/sse.js';

/**
 * Several WhatsApp accounts in one headless bridge (issue 14), end to end: two simulated
 * phones, each in its own Chromium with its own profile, linked through their own routes
 * (X-Account), messaging each other through the simulated network.
 */
describe('two accounts in one bridge, end to end through the simulator', () => {
  let bridge: Bridge & { call: Caller };
  let dataDir: string;
  const call = async (p: string, init: { method?: string; json?: unknown; account?: string; key?: string } = {}) => {
    const headers: Record<string, string> = { authorization: `Bearer ${init.key ?? bridge.token}` };
    if (init.account) headers['x-account'] = init.account;
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(bridge.url + p, { method: init.method ?? 'GET', headers, ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const stateOf = async (account?: string) => (await call('/api/status', account ? { account } : {})).body.state as string;
  const waitFor = (account: string | undefined, state: string) => until(async () => (await stateOf(account)) === state, `${account ?? 'default'} ${state}`, 60_000);

  beforeAll(async () => {
    dataDir = tempDataDir('wa-e2e-accounts-');
    bridge = await startDemoBridge(dataDir);
    // The default account links as before; "work" is created (its WhatsApp Web starts) and links through its own routes.
    await call('/api/auth/start', { method: 'POST' });
    await waitFor(undefined, 'qr');
    expect((await call('/api/simulator/link', { method: 'POST' })).status).toBe(200);
    const created = await call('/api/accounts', { method: 'POST', json: { id: 'work', name: 'Work phone' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'work', name: 'Work phone', default: false });
    await waitFor('work', 'qr');
    expect((await call('/api/simulator/link', { method: 'POST', account: 'work' })).status).toBe(200);
    await waitFor('work', 'ready');
    await waitFor(undefined, 'ready');
  }, 180_000);
  afterAll(async () => {
    await bridge?.stop();
  });

  it('each account is its own phone and its own browser profile', async () => {
    const list = (await call('/api/accounts')).body;
    expect(list.accounts.map((a: any) => [a.id, a.state, a.me])).toEqual([
      ['default', 'ready', '15550100100'],
      ['work', 'ready', '15550200002'],
    ]);
    expect((await call('/api/status', { account: 'work' })).body.auth_dir).toBe(path.join(dataDir, 'accounts', 'work', 'session'));
    expect((await call('/api/status')).body.auth_dir).toBe(path.join(dataDir, 'session'));
    const pids = [bridge.session.page!.browser().process()!.pid, bridge.account('work')!.session.page!.browser().process()!.pid];
    expect(pids[0]).not.toBe(pids[1]);
  });

  it('a message from the default account to work arrives on both sides, each event carrying its account', async () => {
    const sent = openSse(`${bridge.url}/api/events?types=message_create`, { authorization: `Bearer ${bridge.token}` });
    const received = openSse(`${bridge.url}/api/events?types=message`, { authorization: `Bearer ${bridge.token}`, 'x-account': 'work' });
    const [out, inc] = await Promise.all([sent, received]);
    try {
      const send = await call('/api/send', { method: 'POST', json: { phone_number: '+15550200002', message: 'Hello work, from home' } });
      expect(send.status).toBe(200);
      await until(() => inc.frames.some((f) => f.data.data.message?.body === 'Hello work, from home'), 'the message in the work account');
      await until(() => out.frames.some((f) => f.data.data.message?.body === 'Hello work, from home'), 'the sent message in the default account');
      const arrived = inc.frames.find((f) => f.data.data.message?.body === 'Hello work, from home')!;
      expect(arrived.data).toMatchObject({ account: 'work', chat_id: '15550100100@c.us', data: { message: { from_me: false } } });
      expect(out.frames.every((f) => f.data.account === 'default')).toBe(true);
      expect(inc.frames.every((f) => f.data.account === 'work')).toBe(true);
    } finally {
      out.close();
      inc.close();
    }
    // Stored per account: the work account finds it, the default account's search has only what it sent.
    const found = (await call('/api/search?q=Hello%20work', { account: 'work' })).body;
    expect(found.results.map((r: any) => [r.message.body, r.message.from_me])).toEqual([['Hello work, from home', false]]);
    const mine = (await call('/api/search?q=Hello%20work')).body;
    expect(mine.results.map((r: any) => r.message.from_me)).toEqual([true]);
    // And the reply goes back the other way.
    const reply = await call('/api/send', { method: 'POST', account: 'work', json: { phone_number: '+15550100100', message: 'Hi home, work here' } });
    expect(reply.status).toBe(200);
    await until(async () => (await call('/api/search?q=work%20here')).body.results.some((r: any) => !r.message.from_me), 'the reply in the default account');
  });

  it('a key limited to the default account gets 403 on work, through REST and MCP', async () => {
    const key = (await call('/api/keys', { method: 'POST', json: { name: 'home only', scopes: ['read'], accounts: ['default'] } })).body.key as string;
    expect((await call('/api/status', { key })).status).toBe(200);
    const refused = await call('/api/status', { key, account: 'work' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('ACCOUNT_FORBIDDEN');
    await expect(connectMcp(bridge.url, key, { path: '/mcp/work' })).rejects.toThrow(/403|ACCOUNT_FORBIDDEN/);
    // The MCP endpoint of an account acts on that account only, whatever header the client adds.
    const mcp = await connectMcp(bridge.url, bridge.token, { path: '/mcp/work', headers: { 'x-account': 'default' } });
    try {
      const status = (await callTool(mcp, 'whatsapp_status')).structuredContent as { account: { wid: string } };
      expect(status.account.wid).toBe('15550200002@c.us');
    } finally {
      await mcp.close();
    }
    const limited = await connectMcp(bridge.url, key, { path: '/mcp/default' });
    try {
      const result = await callTool(limited, 'whatsapp_status');
      expect(result.isError).toBeFalsy();
      expect((result.structuredContent as { account: { wid: string } }).account.wid).toBe('15550100100@c.us');
    } finally {
      await limited.close();
    }
  });

  it("killing the default account's browser leaves work ready", async () => {
    bridge.session.page!.browser().process()!.kill('SIGKILL');
    await until(async () => (await stateOf()) !== 'ready', 'the default account to notice');
    expect(await stateOf('work')).toBe('ready');
    const send = await call('/api/send', { method: 'POST', account: 'work', json: { phone_number: '+15550100001', message: 'Still working' } });
    expect(send.status).toBe(200);
    // The default account comes back by itself (its link is kept).
    await waitFor(undefined, 'ready');
    // And the other way round.
    bridge.account('work')!.session.page!.browser().process()!.kill('SIGKILL');
    await until(async () => (await stateOf('work')) !== 'ready', 'the work account to notice');
    expect(await stateOf()).toBe('ready');
    await waitFor('work', 'ready');
  }, 90_000);

  it('deleting work (confirmed) logs it out and removes its data, and keeps the default account\'s', async () => {
    const unconfirmed = await call('/api/accounts/work', { method: 'DELETE' });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.error.code).toBe('CONFIRMATION_REQUIRED');
    expect((await call('/api/accounts/default?confirm=default', { method: 'DELETE' })).body.error.code).toBe('ACCOUNT_NOT_DELETABLE');
    const deleted = await call('/api/accounts/work?confirm=work', { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(existsSync(path.join(dataDir, 'accounts', 'work'))).toBe(false);
    const gone = await call('/api/status', { account: 'work' });
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('ACCOUNT_NOT_FOUND');
    expect((await call('/api/accounts')).body.accounts.map((a: any) => a.id)).toEqual(['default']);
    // The default account still has its messages with work, and is ready.
    expect(await stateOf()).toBe('ready');
    const kept = (await call('/api/search?q=work%20here')).body;
    expect(kept.results.length).toBeGreaterThan(0);
    const log = (await call('/api/events/log?limit=100')).body;
    expect(log.events.length).toBeGreaterThan(0);
    expect(log.events.every((e: any) => e.account === 'default')).toBe(true);
    // A new account with the same id starts empty: nothing of the old one is left in the store.
    expect((await call('/api/accounts', { method: 'POST', json: { id: 'work' } })).status).toBe(201);
    expect((await call('/api/search?q=Hello%20work', { account: 'work' })).body.results).toEqual([]);
    expect((await call('/api/events/log?limit=100', { account: 'work' })).body.events.filter((e: any) => e.type.startsWith('message'))).toEqual([]);
    expect((await call('/api/outbox', { account: 'work' })).body.entries).toEqual([]);
    await waitFor('work', 'qr');
  }, 60_000);
});
