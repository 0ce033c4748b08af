import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { until } from '../helpers/bridge.js';
import { FakeSession, ME } from '../helpers/fake-session.js';
import { startTestServer, type TestServer } from '../helpers/http.js';
import { callTool, connectMcp, errorText, textPayload } from '../helpers/mcp.js';

const ALICE = '15550100001@c.us';

function readySession(): FakeSession {
  const s = new FakeSession();
  s.link(ME);
  return s;
}

let srv: TestServer;
let session: FakeSession;
const send = (message: string, headers: Record<string, string> = {}) => srv.call('/api/send', { method: 'POST', json: { phone_number: '+1 555 010 0001', message }, headers });
const textsTo = (chatId: string, text: string) => session.outgoing.filter((o) => o.chatId === chatId && o.kind === 'text' && o.text === text);

beforeEach(async () => {
  session = readySession();
  srv = await startTestServer({ session });
});
afterEach(() => srv.close());

describe('one send path: every send is recorded in the outbox', () => {
  it('a send answers with its outbox entry, which shows it sent, with the message id', async () => {
    const res = await send('Hello');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, to: '15550100001', chat_id: ALICE, status: 'sent' });
    const { entry } = (await srv.call(`/api/outbox/${res.body.outbox_id}`)).body;
    expect(entry).toMatchObject({ id: res.body.outbox_id, kind: 'text', chat_id: ALICE, status: 'sent', message_id: res.body.message_id, attempts: 1, text: 'Hello', error: null });
  });

  it('delivery receipts move the entry on: delivered, then read; a late receipt never moves it back', async () => {
    const res = await send('Did you get this?');
    session.ack(res.body.message_id, 2);
    expect((await srv.call(`/api/outbox/${res.body.outbox_id}`)).body.entry.status).toBe('delivered');
    session.ack(res.body.message_id, 3);
    session.ack(res.body.message_id, 2);
    expect((await srv.call(`/api/outbox/${res.body.outbox_id}`)).body.entry.status).toBe('read');
  });

  it('a receipt that arrives before the send returns is not lost', async () => {
    session.ackBeforeReturn = 2;
    const res = await send('quick receipt');
    expect((await srv.call(`/api/outbox/${res.body.outbox_id}`)).body.entry.status).toBe('delivered');
  });

  it('a refused send is recorded as failed, with the code the caller got', async () => {
    const res = await srv.call('/api/send', { method: 'POST', json: { phone_number: '19995550123', message: 'anyone?' } });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('CHAT_NOT_FOUND');
    const list = (await srv.call('/api/outbox?status=failed')).body;
    expect(list.entries).toHaveLength(1);
    expect(list.entries[0]).toMatchObject({ chat_id: '19995550123@c.us', status: 'failed', error: { code: 'CHAT_NOT_FOUND' } });
  });

  it('lists newest first, filters by status and chat, and pages back', async () => {
    for (const m of ['one', 'two', 'three']) await send(m);
    await srv.call('/api/send', { method: 'POST', json: { phone_number: '15550100002', message: 'to Bob' } });
    const page1 = (await srv.call(`/api/outbox?chat_id=${encodeURIComponent(ALICE)}&limit=2`)).body;
    expect(page1.entries.map((e: { text: string }) => e.text)).toEqual(['three', 'two']);
    const page2 = (await srv.call(`/api/outbox?chat_id=${encodeURIComponent(ALICE)}&limit=2&before=${page1.next_before}`)).body;
    expect(page2.entries.map((e: { text: string }) => e.text)).toEqual(['one']);
    expect(page2.next_before).toBeNull();
    expect((await srv.call('/api/outbox?status=queued')).body.count).toBe(0);
    expect((await srv.call('/api/outbox/ob_nonsense')).body.error.code).toBe('VALIDATION_ERROR');
    expect((await srv.call('/api/outbox/ob_00000000000000000000000000')).body.error.code).toBe('OUTBOX_NOT_FOUND');
  });
});

describe('Idempotency-Key: a retry never sends twice', () => {
  it('the same key and request answer the first answer again, and WhatsApp gets one message', async () => {
    const first = await send('exactly once', { 'idempotency-key': 'retry-1' });
    const again = await send('exactly once', { 'idempotency-key': 'retry-1' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(textsTo(ALICE, 'exactly once')).toHaveLength(1);
  });

  it('the same key with another request is a 409 IDEMPOTENCY_CONFLICT, and nothing is sent', async () => {
    await send('first text', { 'idempotency-key': 'retry-2' });
    const other = await send('second text', { 'idempotency-key': 'retry-2' });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_CONFLICT');
    expect(textsTo(ALICE, 'second text')).toHaveLength(0);
  });

  it('the same request spelled differently (another phone format) is the same request', async () => {
    const a = await srv.call('/api/send', { method: 'POST', json: { phone_number: '+1 555 010 0001', message: 'same' }, headers: { 'idempotency-key': 'fmt' } });
    const b = await srv.call('/api/send', { method: 'POST', json: { message: 'same', phone_number: '15550100001' }, headers: { 'idempotency-key': 'fmt' } });
    expect(b.body.message_id).toBe(a.body.message_id);
    expect(textsTo(ALICE, 'same')).toHaveLength(1);
  });

  it('a key that is not printable ASCII, or too long, is refused rather than trimmed', async () => {
    for (const key of ['has space', 'x'.repeat(201), 'naïve']) {
      const res = await send('never sent', { 'idempotency-key': key });
      expect(res.status, key).toBe(400);
      expect(res.body.error.fields).toEqual(['Idempotency-Key']);
    }
    expect(textsTo(ALICE, 'never sent')).toHaveLength(0);
  });

  it('MCP: idempotency_key on a send tool works the same way', async () => {
    const mcp: Client = await connectMcp(srv.url, (await import('../helpers/http.js')).TOKEN);
    try {
      const args = { phone_number: '15550100001', message: 'from the agent', idempotency_key: 'agent-7' };
      const first = textPayload(await callTool(mcp, 'whatsapp_send_message', args));
      const again = textPayload(await callTool(mcp, 'whatsapp_send_message', args));
      expect(again.message_id).toBe(first.message_id);
      expect(textsTo(ALICE, 'from the agent')).toHaveLength(1);
      const conflict = await callTool(mcp, 'whatsapp_send_message', { ...args, message: 'something else' });
      expect(conflict.isError).toBe(true);
      expect(errorText(conflict)).toMatch(/^IDEMPOTENCY_CONFLICT: /);
      const status = textPayload(await callTool(mcp, 'whatsapp_get_send_status', { outbox_id: first.outbox_id }));
      expect(status.entry).toMatchObject({ status: 'sent', message_id: first.message_id });
    } finally {
      await mcp.close();
    }
  });
});

describe('waiting: sends are held, not refused, while WhatsApp comes back', () => {
  it('Prefer: respond-async answers 202 at once with the queued entry, which then goes out', async () => {
    session.set('disconnected', { reconnecting: true, lastError: 'network dropped' });
    const res = await send('later is fine', { prefer: 'respond-async' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'queued', message_id: null });
    expect(res.headers.get('location')).toBe(`/api/outbox/${res.body.outbox_id}`);
    expect(textsTo(ALICE, 'later is fine')).toHaveLength(0);
    session.link(ME);
    await until(async () => (await srv.call(`/api/outbox/${res.body.outbox_id}`)).body.entry.status === 'sent', 'the queued send to go out');
    expect(textsTo(ALICE, 'later is fine')).toHaveLength(1);
  });

  it('a caller that waits gets its 200 once the reconnect is over', async () => {
    session.set('disconnected', { reconnecting: true, lastError: 'network dropped' });
    const pending = send('held during the reconnect');
    await until(async () => (await srv.call('/api/outbox?status=queued')).body.count === 1, 'the send to be queued');
    session.link(ME);
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('sent');
    expect(textsTo(ALICE, 'held during the reconnect')).toHaveLength(1);
  });

  it('in a state that needs the user, a send is refused at once and nothing is queued; queued sends fail when that happens', async () => {
    session.set('disconnected', { reconnecting: true });
    const queued = await send('queued, then logged out', { prefer: 'respond-async' });
    await srv.call('/api/logout', { method: 'POST' });
    await until(async () => (await srv.call(`/api/outbox/${queued.body.outbox_id}`)).body.entry.status === 'failed', 'the queued send to fail');
    expect((await srv.call(`/api/outbox/${queued.body.outbox_id}`)).body.entry.error.code).toBe('WA_NOT_STARTED');
    const refused = await send('not now');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('WA_NOT_STARTED');
    expect(refused.body.error.message).toMatch(/Next: POST \/api\/auth\/start\.$/);
    expect((await srv.call('/api/outbox?status=queued')).body.count).toBe(0);
    expect(session.outgoing).toHaveLength(0);
  });

  it('MCP: wait false answers at once with the queued entry; errors name the tool to call next', async () => {
    session.set('disconnected', { reconnecting: true });
    const mcp = await connectMcp(srv.url, (await import('../helpers/http.js')).TOKEN);
    try {
      const queued = textPayload(await callTool(mcp, 'whatsapp_send_message', { phone_number: '15550100001', message: 'no rush', wait: false }));
      expect(queued).toMatchObject({ status: 'queued', message_id: null });
      await srv.call('/api/logout', { method: 'POST' });
      const refused = await callTool(mcp, 'whatsapp_send_message', { phone_number: '15550100001', message: 'now?' });
      expect(errorText(refused)).toMatch(/^WA_NOT_STARTED: .* Next: call whatsapp_start_auth\.$/);
    } finally {
      await mcp.close();
    }
  });
});
