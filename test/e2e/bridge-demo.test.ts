import { statSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../../src/bridge.js';
import type { SessionSnapshot, StatusChange } from '../../src/core/status.js';
import { recordStates, startDemoBridge, tempDataDir, until, waitForState, type Caller } from '../helpers/bridge.js';
import { callTool, connectMcp, errorText, textPayload } from '../helpers/mcp.js';

/**
 * The product end to end: REST and MCP → our adapter → the unchanged whatsapp-web.js →
 * puppeteer-core → Debian's Chromium → the WhatsApp Web simulator. Offline.
 */
describe('headless bridge against the simulator', () => {
  const dataDir = tempDataDir();
  let bridge: Bridge & { call: Caller };
  let mcp: Client;

  beforeAll(async () => {
    bridge = await startDemoBridge(dataDir);
    mcp = await connectMcp(bridge.url, bridge.token);
  });
  afterAll(async () => {
    await mcp?.close();
    await bridge?.stop();
  });

  it('starts stopped, with nothing saved', async () => {
    const { body } = await bridge.call('/api/status');
    expect(body).toMatchObject({ state: 'stopped', ready: false, has_qr: false, account: null, headless: true });
    expect(bridge.session.hasSavedSession()).toBe(false);
  });

  it('refuses to send before anyone has linked, at once', async () => {
    const res = await bridge.call('/api/send', { method: 'POST', json: { phone_number: '15551234567', message: 'too early' } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('WA_NOT_STARTED');
  });

  it('QR login: auth/start → qr (has_qr, /api/qr, /qr page) → the phone scans → ready', async () => {
    const started = await bridge.call('/api/auth/start', { method: 'POST' });
    expect(started.body.state).toBe('starting');
    const qrStatus = await waitForState(bridge.call, 'qr');
    expect(qrStatus.has_qr).toBe(true);

    const qr = await bridge.call('/api/qr');
    // whatsapp-web.js builds the QR as ref,noiseKey,identityKey,advSecret,platform.
    expect(qr.body.qr.split(',')).toHaveLength(5);
    expect(qr.body.data_url).toMatch(/^data:image\/png;base64,/);

    const waiting = await bridge.call('/api/send', { method: 'POST', json: { phone_number: '15551234567', message: 'x' } });
    expect(waiting.body.error.code).toBe('WA_NOT_LINKED');

    expect((await bridge.call('/api/simulator/link', { method: 'POST' })).body).toEqual({ ok: true });
    const ready = await waitForState(bridge.call, 'ready');
    expect(ready).toMatchObject({ ready: true, authenticated: true, has_qr: false, last_error: null });
    expect(ready.account.wid).toMatch(/^\d+@c\.us$/);
    expect(bridge.session.hasSavedSession()).toBe(true);
  });

  it.skipIf(process.platform === 'win32')('keeps the linked session and the browser profile in owner-only (0700) directories', () => {
    const mode = (p: string) => statSync(p).mode & 0o777;
    expect(mode(path.join(dataDir, 'session'))).toBe(0o700);
    expect(mode(path.join(dataDir, 'session', 'session'))).toBe(0o700);
  });

  it('sends a text by REST; it appears in the chat with its id', async () => {
    const message = 'Hello from the e2e test 👋\nline two';
    const sent = await bridge.call('/api/send', { method: 'POST', json: { phone_number: '+1 (555) 123-4567', message } });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ ok: true, to: '15551234567', chat_id: '15551234567@c.us' });
    expect(sent.body.message_id).toMatch(/^true_15551234567@c\.us_[0-9A-F]+$/);

    const read = await bridge.call('/api/messages?phone_number=15551234567&limit=5');
    expect(read.body.chat.id).toBe('15551234567@c.us');
    const last = read.body.messages.at(-1);
    expect(last).toMatchObject({ id: sent.body.message_id, body: message, from_me: true, type: 'chat', to: '15551234567@c.us' });
  });

  it('lists chats most recent first, with the seed fields', async () => {
    const { body } = await bridge.call('/api/chats?limit=5');
    expect(body.ok).toBe(true);
    expect(body.count).toBe(body.chats.length);
    expect(body.chats[0].id).toBe('15551234567@c.us');
    const times = body.chats.map((c: { timestamp: number }) => c.timestamp);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(body.chats.some((c: { is_group: boolean }) => c.is_group)).toBe(true);
  });

  it('an incoming message shows up in /api/messages', async () => {
    const incoming = await bridge.call('/api/simulator/incoming', { method: 'POST', json: { phone_number: '15551234567', message: 'Got it, thanks!' } });
    expect(incoming.body.ok).toBe(true);
    const read = await bridge.call('/api/messages?phone_number=15551234567&limit=2');
    expect(read.body.messages.at(-1)).toMatchObject({ id: incoming.body.id, body: 'Got it, thanks!', from_me: false, from: '15551234567@c.us' });
    expect(read.body.chat.unread_count).toBeGreaterThanOrEqual(1);
  });

  it('every seed MCP tool works through the SDK client', async () => {
    const status = textPayload(await callTool(mcp, 'whatsapp_status'));
    expect(status.state).toBe('ready');
    expect(textPayload(await callTool(mcp, 'whatsapp_start_auth')).state).toBe('ready');
    expect(textPayload(await callTool(mcp, 'whatsapp_pairing_code', { phone_number: '15551234567' }))).toMatchObject({ already_authenticated: true, code: null });

    const sent = textPayload(await callTool(mcp, 'whatsapp_send_message', { phone_number: '15559876543', message: 'From the agent' }));
    expect(sent).toMatchObject({ ok: true, chat_id: '15559876543@c.us' });
    const chats = textPayload(await callTool(mcp, 'whatsapp_list_chats', { limit: 3 }));
    expect(chats.chats[0].id).toBe('15559876543@c.us');
    const read = textPayload(await callTool(mcp, 'whatsapp_read_messages', { phone_number: '15559876543', limit: 1 }));
    expect(read.messages).toEqual([expect.objectContaining({ id: sent.message_id, body: 'From the agent' })]);

    const missing = await callTool(mcp, 'whatsapp_read_messages', { phone_number: '15550000111' });
    expect(missing.isError).toBe(true);
    expect(errorText(missing)).toMatch(/^CHAT_NOT_FOUND/);
  });

  it('WhatsApp drops the connection → disconnected, then it reconnects by itself', async () => {
    const seen = recordStates(bridge.session);
    await bridge.call('/api/simulator/disconnect', { method: 'POST', json: { state: 'UNLAUNCHED' } });
    await until(() => seen.at(-1) === 'ready', 'reconnect to ready');
    expect(seen[0]).toBe('disconnected');
    expect(seen).not.toContain('qr');
  });

  it('regression: sends during an automatic reconnect got 409 WA_DISCONNECTED', async () => {
    const message = 'sent while WhatsApp Web relaunches';
    const seen: SessionSnapshot[] = [];
    let send: ReturnType<Caller> | undefined;
    const onStatus = ({ snapshot }: StatusChange): void => {
      seen.push(snapshot);
      // The first moment the bridge says "disconnected": a script sending now must wait, not fail.
      if (snapshot.state === 'disconnected') send ??= bridge.call('/api/send', { method: 'POST', json: { phone_number: '15551234567', message } });
    };
    bridge.session.on('status', onStatus);
    try {
      await bridge.call('/api/simulator/disconnect', { method: 'POST', json: { state: 'UNLAUNCHED' } });
      await until(() => seen.at(-1)?.state === 'ready', 'reconnect to ready');
    } finally {
      bridge.session.off('status', onStatus);
    }
    const sent = await send!;
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const read = await bridge.call('/api/messages?phone_number=15551234567&limit=1');
    expect(read.body.messages[0]).toMatchObject({ id: sent.body.message_id, body: message });
    // Never "start again" while the bridge is on its way back by itself.
    const disconnected = seen.filter((s) => s.state === 'disconnected');
    expect(disconnected.length).toBeGreaterThan(0);
    expect(disconnected.filter((s) => !s.reconnecting)).toEqual([]);
  });

  it('opened elsewhere (CONFLICT) → disconnected with a reason, until auth/start', async () => {
    const seen = recordStates(bridge.session);
    await bridge.call('/api/simulator/disconnect', { method: 'POST', json: {} });
    await until(() => seen.includes('disconnected'), 'disconnected');
    const s = (await bridge.call('/api/status')).body;
    expect(s.state).toBe('disconnected');
    expect(s.last_error).toMatch(/another computer/);
    const send = await bridge.call('/api/send', { method: 'POST', json: { phone_number: '15551234567', message: 'x' } });
    expect(send.body.error.code).toBe('WA_DISCONNECTED');
    await bridge.call('/api/auth/start', { method: 'POST' });
    await waitForState(bridge.call, 'ready');
  });

  it('the browser crashes → disconnected, then WhatsApp comes back by itself', async () => {
    const seen = recordStates(bridge.session);
    bridge.session.page?.browser().process()?.kill('SIGKILL');
    await until(() => seen.at(-1) === 'ready', 'recovery to ready');
    expect(seen[0]).toBe('disconnected');
    expect((await bridge.call('/api/chats?limit=1')).body.ok).toBe(true);
  });
});

describe('session persistence and unlinking', () => {
  const dataDir = tempDataDir();

  it('restart with the saved session → ready without a QR; logout → stopped and forgotten', async () => {
    const first = await startDemoBridge(dataDir);
    await first.call('/api/auth/start', { method: 'POST' });
    await waitForState(first.call, 'qr');
    await first.call('/api/simulator/link', { method: 'POST' });
    const linked = await waitForState(first.call, 'ready');
    await first.stop();

    const second = await startDemoBridge(dataDir);
    try {
      const states: string[] = [];
      second.session.on('status', (c) => states.push(c.to));
      const ready = await waitForState(second.call, 'ready');
      expect(ready.account.wid).toBe(linked.account.wid);
      expect(states).not.toContain('qr');

      expect((await second.call('/api/logout', { method: 'POST' })).body).toEqual({ ok: true });
      expect((await second.call('/api/status')).body).toMatchObject({ state: 'stopped', account: null });
      expect(second.session.hasSavedSession()).toBe(false);
    } finally {
      await second.stop();
    }

    const third = await startDemoBridge(dataDir);
    try {
      await new Promise((r) => setTimeout(r, 500));
      expect((await third.call('/api/status')).body.state).toBe('stopped');
    } finally {
      await third.stop();
    }
  });

  it('pairing-code login, then the phone logs the device out → disconnected', async () => {
    const bridge = await startDemoBridge(tempDataDir());
    try {
      const res = await bridge.call('/api/pairing-code', { method: 'POST', json: { phone_number: '+1 555 200 3000' } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ already_authenticated: false, phone_number: '15552003000' });
      expect(res.body.code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
      await bridge.call('/api/simulator/link', { method: 'POST' });
      const ready = await waitForState(bridge.call, 'ready');
      expect(ready.account.wid).toBe('15552003000@c.us');

      await bridge.call('/api/simulator/phone-logout', { method: 'POST' });
      const s = await waitForState(bridge.call, 'disconnected');
      expect(s.last_error).toMatch(/phone logged this device out/);
      expect(bridge.session.hasSavedSession()).toBe(false);
      const send = await bridge.call('/api/send', { method: 'POST', json: { phone_number: '15551234567', message: 'x' } });
      expect(send.body.error.code).toBe('WA_DISCONNECTED');
    } finally {
      await bridge.stop();
    }
  });
});
