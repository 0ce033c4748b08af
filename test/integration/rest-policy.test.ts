import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatDto, FakeSession, ME, messageFrom } from '../helpers/fake-session.js';
import { startTestServer, type TestServer } from '../helpers/http.js';

/**
 * Issue 12 part B over REST with real client keys: what a script with a key gets back
 * (status codes, headers, coded errors), and who may approve. What WhatsApp got is read
 * back from the fake session.
 */
const ALICE = '15550100001@c.us';

let srv: TestServer;
let session: FakeSession;

async function key(name: string, body: Record<string, unknown>): Promise<string> {
  const res = await srv.call('/api/keys', { method: 'POST', json: { name, ...body } });
  expect(res.status).toBe(201);
  return res.body.key;
}
const as = (credential: string) => (p: string, init: Parameters<TestServer['call']>[1] = {}) => srv.call(p, { ...init, headers: { authorization: `Bearer ${credential}`, ...init.headers } });
const send = (credential: string, phone: string, message: string, headers: Record<string, string> = {}) => as(credential)('/api/send', { method: 'POST', json: { phone_number: phone, message }, headers });
const texts = () => session.outgoing.map((o) => (o.kind === 'text' ? `${o.chatId.replace(/@.*/, '')}: ${o.text}` : o.kind));

beforeEach(async () => {
  session = new FakeSession();
  session.link(ME);
  srv = await startTestServer({ session });
  const timestamp = Math.floor(Date.now() / 1000) - 60;
  const message = messageFrom(ALICE, 'A1', 'Are you coming?', timestamp);
  session.chats.set(ALICE, { chat: chatDto(ALICE, 'Alice'), messages: [message] });
  session.emit('event', { type: 'message', chat_id: ALICE, timestamp, message });
});
afterEach(() => srv.close());

describe('REST with a client key', () => {
  it('a new key is safe by default: a number that never wrote gets 403 RECIPIENT_NOT_ALLOWED and nothing is queued; a reply to a chat that wrote is held for approval (202)', async () => {
    const agent = await key('Script', {});
    const refused = await send(agent, '+1 555 0100 099', 'hello stranger');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('RECIPIENT_NOT_ALLOWED');
    expect(refused.body.error.message).toMatch(/Nothing was sent\. Ask the user/);

    const held = await send(agent, '15550100001', 'On my way');
    expect(held.status).toBe(202);
    expect(held.headers.get('location')).toBe(`/api/outbox/${held.body.outbox_id}`);
    expect(held.body).toMatchObject({ status: 'awaiting_approval', approval: { reason: 'new_recipient' } });
    expect(held.body.note).toMatch(/a person must approve it first/);
    expect((await srv.call('/api/outbox')).body.entries.map((e: { status: string }) => e.status)).toEqual(['awaiting_approval']);
    expect(session.outgoing).toEqual([]);
  });

  it("regression: a key cancels only its own sends, not another key's or the owner's; admin keys and the owner cancel any", async () => {
    const mine = await key('Mine', { recipients: 'any', approve: 'always' });
    const other = await key('Other', { recipients: 'any', approve: 'always' });
    const ops = await key('Ops', { scopes: ['send', 'admin'], recipients: 'any', approve: 'never', quarantine: false });
    const first = (await send(mine, '15550100001', 'held one')).body.outbox_id;
    const second = (await send(mine, '15550100001', 'held two')).body.outbox_id;
    const cancel = (credential: string, id: string) => as(credential)(`/api/outbox/${id}`, { method: 'DELETE' });

    const refused = await cancel(other, first);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'FORBIDDEN_SCOPE' });
    expect(refused.body.error.message).toMatch(/only its own sends/);
    expect((await srv.call(`/api/outbox/${first}`)).body.entry.status).toBe('awaiting_approval');

    expect((await cancel(mine, first)).body.entry.status).toBe('canceled');
    expect((await cancel(ops, second)).body.entry.status).toBe('canceled');
    expect(session.outgoing).toEqual([]);
  });

  it("each send says which client key asked (client_id), and the outbox lists one key's sends or the owner's", async () => {
    const agent = await key('Lister', { recipients: 'any', approve: 'always' });
    const id = (await srv.call('/api/keys')).body.keys.find((k: { name: string }) => k.name === 'Lister').id;
    const held = (await send(agent, '15550100001', 'by the key')).body.outbox_id;
    const mine = (await srv.call('/api/send', { method: 'POST', json: { phone_number: '15550100001', message: 'by the owner' } })).body.outbox_id;
    expect((await srv.call(`/api/outbox/${held}`)).body.entry.client_id).toBe(id);
    expect((await srv.call(`/api/outbox/${mine}`)).body.entry.client_id).toBeNull();
    expect((await srv.call(`/api/outbox?client_id=${id}`)).body.entries.map((e: { id: string }) => e.id)).toEqual([held]);
    expect((await srv.call('/api/outbox?client_id=owner')).body.entries.map((e: { id: string }) => e.id)).toEqual([mine]);
    expect((await srv.call('/api/outbox?client_id=someone')).status).toBe(400);
  });

  it('only a person approves: the asking key cannot (even with admin), a key without admin cannot, another admin key or the owner can', async () => {
    const asker = await key('Asker', { scopes: ['send', 'admin'], recipients: 'any', approve: 'always' });
    const reader = await key('Reader', { scopes: ['read', 'send'] });
    const ops = await key('Ops', { scopes: ['admin'] });
    const { body } = await send(asker, '15550100001', 'approve me');
    const approve = (credential: string) => as(credential)(`/api/outbox/${body.outbox_id}/approve`, { method: 'POST' });

    const own = await approve(asker);
    expect(own.status).toBe(403);
    expect(own.body.error.code).toBe('APPROVAL_FORBIDDEN');
    expect((await approve(reader)).body.error.code).toBe('FORBIDDEN_SCOPE');
    expect(session.outgoing).toEqual([]);

    const approved = await approve(ops);
    expect(approved.status).toBe(200);
    expect(approved.body.entry.approval).toMatchObject({ decision: 'approved', decided_by: 'Ops', requested_by: 'Asker' });
    await srv.services.outbox.waitSettled(body.outbox_id, 10_000);
    expect(texts()).toEqual(['15550100001: approve me']);
    const audit = (await srv.call('/api/audit?action=approve_send')).body.entries;
    expect(audit.map((e: { client_name: string; outcome: string; code: string | null }) => [e.client_name, e.outcome])).toEqual([
      ['Ops', 'ok'],
      ['Reader', 'FORBIDDEN_SCOPE'],
      ['Asker', 'APPROVAL_FORBIDDEN'],
    ]);
  });

  it('caps: the 3rd message a minute to one chat is 429 RATE_LIMITED with Retry-After, and is not queued', async () => {
    const agent = await key('Chatty', { recipients: 'any', approve: 'never', max_messages_per_chat_per_minute: 2 });
    expect((await send(agent, '15550100001', 'one')).status).toBe(200);
    expect((await send(agent, '15550100001', 'two')).status).toBe(200);
    const limited = await send(agent, '15550100001', 'three');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
    expect(texts()).toEqual(['15550100001: one', '15550100001: two']);
  });

  it('pause agents: key sends are held (202 with a note), the owner still sends; resume releases them in order; GET /api/agents tells', async () => {
    const agent = await key('Helper', { recipients: 'any', approve: 'never' });
    // What follows the switch (the desktop's tray checkbox) is told of each flip over REST.
    const told: boolean[] = [];
    const unsubscribe = srv.services.agents.onChange((state) => told.push(state.paused));
    expect((await srv.call('/api/agents/pause', { method: 'POST' })).body).toMatchObject({ paused: true });
    expect(told).toEqual([true]);
    const first = await send(agent, '15550100001', 'first');
    const second = await send(agent, '15550100001', 'second');
    expect(first.status).toBe(202);
    expect(first.body.note).toMatch(/paused all agents/);
    expect((await srv.call('/api/send', { method: 'POST', json: { phone_number: '15550100001', message: 'owner' } })).status).toBe(200);
    expect((await srv.call('/api/agents')).body).toMatchObject({ paused: true, held: 2 });
    expect(texts()).toEqual(['15550100001: owner']);
    // A key without admin cannot lift the switch.
    expect((await as(agent)('/api/agents/resume', { method: 'POST' })).body.error.code).toBe('FORBIDDEN_SCOPE');
    expect((await srv.call('/api/agents/resume', { method: 'POST' })).body).toMatchObject({ paused: false });
    expect(told).toEqual([true, false]);
    unsubscribe();
    await srv.services.outbox.waitSettled(second.body.outbox_id, 10_000);
    expect(texts()).toEqual(['15550100001: owner', '15550100001: first', '15550100001: second']);
  });
});
