import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatDto, ME } from '../helpers/fake-session.js';
import { startTestServer, type TestServer } from '../helpers/http.js';

let srv: TestServer;
beforeEach(async () => {
  srv = await startTestServer();
});
afterEach(() => srv.close());

async function untilState(state: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await srv.call('/api/status')).body.state === state) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never reached ${state}`);
}

describe('REST API over HTTP', () => {
  it('GET /health needs no token', async () => {
    const res = await fetch(`${srv.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('GET /api/status has exactly the seed fields, and account_id (which account of the bridge it describes)', async () => {
    const { status, body } = await srv.call('/api/status');
    expect(status).toBe(200);
    expect(body).toEqual({
      state: 'stopped',
      ready: false,
      authenticated: false,
      auth_dir: '/tmp/fake-auth',
      chrome_executable: '/usr/bin/chromium',
      headless: true,
      has_qr: false,
      last_error: null,
      account_id: 'default',
      account: null,
    });
  });

  it('POST /api/auth/start starts once, returns at once, then a QR is available', async () => {
    const first = await srv.call('/api/auth/start', { method: 'POST' });
    expect(first.status).toBe(200);
    expect(first.body.state).toBe('starting');
    await untilState('qr');
    const again = await srv.call('/api/auth/start', { method: 'POST', json: {} });
    expect(again.body.state).toBe('qr');
    expect(srv.session.startCalls).toBe(1);

    const status = await srv.call('/api/status');
    expect(status.body.has_qr).toBe(true);
    const qr = await srv.call('/api/qr');
    expect(qr.body).toMatchObject({ ok: true, state: 'qr', has_qr: true, qr: '2@fake-ref-1,key,identity,secret' });
    expect(qr.body.data_url).toMatch(/^data:image\/png;base64,/);
  });

  it('POST /api/auth/start when already linked returns the status without restarting', async () => {
    srv.session.link();
    const res = await srv.call('/api/auth/start', { method: 'POST' });
    expect(res.body).toMatchObject({ state: 'ready', ready: true, authenticated: true, account: ME });
    expect(srv.session.startCalls).toBe(0);
  });

  it('POST /api/pairing-code starts WhatsApp, waits for the link prompt and returns the code', async () => {
    const res = await srv.call('/api/pairing-code', { method: 'POST', json: { phone_number: '+1 (555) 000-0000' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      already_authenticated: false,
      phone_number: '15550000000',
      code: 'ABCD-1234',
      instructions: 'WhatsApp -> Linked devices -> Link a device -> Link with phone number instead',
    });
    expect(srv.session.pairingRequests).toEqual(['15550000000']);
  });

  it('POST /api/pairing-code when linked says so and includes the status', async () => {
    srv.session.link();
    const res = await srv.call('/api/pairing-code', { method: 'POST', json: { phone_number: '15550000000' } });
    expect(res.body).toMatchObject({ already_authenticated: true, code: null, status: { state: 'ready', ready: true } });
    expect(srv.session.pairingRequests).toEqual([]);
  });

  it('POST /api/send sends Unicode text and answers the seed shape', async () => {
    srv.session.link();
    const message = 'Hello 👋 Grüße\nsecond line — ✓';
    const before = Date.now();
    const res = await srv.call('/api/send', { method: 'POST', json: { phone_number: '+44 7700 900123', message } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, to: '447700900123', chat_id: '447700900123@c.us', message_id: 'true_447700900123@c.us_FAKE1' });
    expect(Date.parse(res.body.timestamp)).toBeGreaterThanOrEqual(before - 1000);
    expect(srv.session.sent).toEqual([{ chatId: '447700900123@c.us', text: message }]);
  });

  it('POST /api/send waits while the session is starting, then sends', async () => {
    srv.session.startInto = 'ready';
    srv.session.saved = true;
    await srv.session.start();
    const res = await srv.call('/api/send', { method: 'POST', json: { phone_number: '15551234567', message: 'after restore' } });
    expect(res.status).toBe(200);
    expect(srv.session.sent).toHaveLength(1);
  });

  it.each([
    ['stopped', {}, 409, 'WA_NOT_STARTED', /POST \/api\/auth\/start/],
    ['qr', { qr: 'x' }, 409, 'WA_NOT_LINKED', /\/qr/],
    ['auth_failure', { lastError: 'bad session' }, 409, 'WA_AUTH_FAILURE', /bad session/],
  ] as const)('POST /api/send in %s fails at once with %s', async (state, patch, status, code, hint) => {
    srv.session.set(state, patch);
    const t0 = Date.now();
    const res = await srv.call('/api/send', { method: 'POST', json: { phone_number: '15551234567', message: 'x' } });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(res.status).toBe(status);
    expect(res.body.ok).toBe(false);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(hint);
    expect(srv.session.sent).toEqual([]);
  });

  it('POST /api/send to a number that is not on WhatsApp is a 404', async () => {
    srv.session.link();
    const res = await srv.call('/api/send', { method: 'POST', json: { phone_number: '19990000000', message: 'x' } });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('CHAT_NOT_FOUND');
  });

  it('GET /api/chats lists most recent first and honours limit', async () => {
    srv.session.link();
    srv.session.chats.set('1@c.us', { chat: chatDto('1@c.us', 'Old', { timestamp: 100 }), messages: [] });
    srv.session.chats.set('2@c.us', { chat: chatDto('2@c.us', 'New', { timestamp: 300, unread_count: 2 }), messages: [] });
    srv.session.chats.set('3@c.us', { chat: chatDto('3@c.us', 'Mid', { timestamp: 200 }), messages: [] });
    const all = await srv.call('/api/chats');
    expect(all.body.count).toBe(3);
    expect(all.body.chats.map((c: { name: string }) => c.name)).toEqual(['New', 'Mid', 'Old']);
    const two = await srv.call('/api/chats?limit=2');
    expect(two.body).toMatchObject({ ok: true, count: 2 });
  });

  it('GET /api/messages returns the chat and its latest messages oldest first', async () => {
    srv.session.link();
    for (const text of ['one', 'two', 'three']) {
      await srv.call('/api/send', { method: 'POST', json: { phone_number: '15551234567', message: text } });
    }
    const res = await srv.call('/api/messages?phone_number=%2B1%20555%20123%204567&limit=2');
    expect(res.status).toBe(200);
    expect(res.body.chat.id).toBe('15551234567@c.us');
    expect(res.body.count).toBe(2);
    expect(res.body.messages.map((m: { body: string }) => m.body)).toEqual(['two', 'three']);
    expect(Object.keys(res.body.messages[0]).sort()).toEqual(
      ['ack', 'author', 'body', 'edited', 'from', 'from_me', 'has_media', 'id', 'media', 'mentioned_ids', 'quoted_message_id', 'revoked', 'sender_lid', 'sender_phone', 'timestamp', 'to', 'type'],
    );
  });

  it('GET /api/messages for a number without a chat is a 404 that says what to do', async () => {
    srv.session.link();
    const res = await srv.call('/api/messages?phone_number=15557654321');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('CHAT_NOT_FOUND');
    expect(res.body.error.message).toMatch(/\/api\/chats/);
  });

  it('POST /api/logout ends in stopped', async () => {
    srv.session.link();
    const res = await srv.call('/api/logout', { method: 'POST' });
    expect(res.body).toEqual({ ok: true });
    expect((await srv.call('/api/status')).body.state).toBe('stopped');
  });

  it('unknown routes are JSON 404s', async () => {
    const res = await srv.call('/api/nope');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
