import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeSession } from '../helpers/fake-session.js';
import { startTestServer, TOKEN, type TestServer } from '../helpers/http.js';
import { callTool, connectMcp, errorText, textPayload } from '../helpers/mcp.js';
import { b64, PNG } from '../helpers/media-fixtures.js';

/**
 * Issue 9, defect 2: a phone number with anything but separators in it is refused with
 * INVALID_PHONE, in every field that takes one, before anything reaches WhatsApp.
 */
const ALICE = '15550100001@c.us';

/** [the bug, the input, what the refusal must point at] */
const REGRESSIONS: [string, string, RegExp][] = [
  ['"+1 555 010 0001 ext. 2" was sent to 155501000012', '+1 555 010 0001 ext. 2', /"e" at position 17/],
  ['"15550100001\' OR 1=1 --" was sent to 1555010000111', "15550100001' OR 1=1 --", /"'" at position 12/],
  ['"📱15550100001" was accepted', '📱15550100001', /"📱" \(U\+1F4F1\) at position 1/],
];

/** More ways to write something that is not one phone number. */
const REFUSED: [string, RegExp][] = [
  ...REGRESSIONS.map(([, input, names]): [string, RegExp] => [input, names]),
  ['*15550100001#', /"\*" at position 1/],
  ['1+5550100001', /"\+" at position 2/],
  ['07700 900123', /not an international number.*"\+44 7700 900123" instead of "07700 900123"/],
];

let srv: TestServer;
let session: FakeSession;
let mcp: Client;
let aliceMessage: string;

beforeAll(async () => {
  srv = await startTestServer({ sendPace: { perMinute: 6000, burst: 1000 } });
  mcp = await connectMcp(srv.url, TOKEN);
});
afterAll(async () => {
  await mcp.close();
  await srv.close();
});
beforeEach(() => {
  session = srv.session;
  session.link();
  session.outgoing.length = 0;
  session.sent.length = 0;
  session.readChats.length = 0;
  session.pairingRequests.length = 0;
  session.chats.clear();
  // A message to forward, and a chat to read, that the test itself did not send.
  aliceMessage = session.store(ALICE, { body: 'Forward me' });
});

const post = (p: string, json: unknown) => srv.call(p, { method: 'POST', json });

function expectRefused(res: { status: number; body: any }, names: RegExp, field = 'phone_number'): void {
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe('INVALID_PHONE');
  expect(res.body.error.message).toMatch(names);
  expect(res.body.error.fields).toEqual([field]);
}

describe('REST: a phone number that is not one is a 400 INVALID_PHONE, and nothing reaches WhatsApp', () => {
  it.each(REGRESSIONS)('regression: %s', async (_bug, input, names) => {
    expectRefused(await post('/api/send', { phone_number: input, message: 'Hi' }), names);
    expect(session.outgoing).toEqual([]);
  });

  it('regression: "0015550100001" went to 0015550100001@c.us', async () => {
    const res = await post('/api/send', { phone_number: '0015550100001', message: 'Hi' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ to: '15550100001', chat_id: ALICE });
    expect(session.outgoing).toEqual([expect.objectContaining({ kind: 'text', chatId: ALICE, text: 'Hi' })]);
  });

  it.each(REFUSED)('%j in every field that takes a phone number', async (input, names) => {
    const enc = encodeURIComponent(input);
    expectRefused(await post('/api/send', { phone_number: input, message: 'Hi' }), names);
    expectRefused(await post('/api/send', { phone_number: '15550100001', message: 'Hi', mentions: ['+1 555 010 0002', input] }), names, 'mentions[1]');
    expectRefused(await post('/api/send/media', { phone_number: input, media: [{ data: b64(PNG) }] }), names);
    expectRefused(await post('/api/send/location', { phone_number: input, latitude: 1, longitude: 2 }), names);
    expectRefused(await post('/api/send/poll', { phone_number: input, question: 'Q?', options: ['A', 'B'] }), names);
    expectRefused(await post(`/api/messages/${encodeURIComponent(aliceMessage)}/forward`, { phone_number: input }), names);
    expectRefused(await post(`/api/chats/${enc}/read`, {}), names, 'chat_id');
    expectRefused(await srv.call(`/api/chats/${enc}/messages`), names, 'chat_id');
    expectRefused(await srv.call(`/api/messages?phone_number=${enc}`), names);
    expect(session.outgoing).toEqual([]);
    expect(session.readChats).toEqual([]);

    await session.logout();
    const starts = session.startCalls;
    expectRefused(await post('/api/pairing-code', { phone_number: input }), names);
    expect(session.pairingRequests).toEqual([]);
    expect(session.startCalls).toBe(starts);
  });

  it('multipart uploads follow the same rule', async () => {
    const form = new FormData();
    form.set('phone_number', '+1 555 010 0001 ext. 2');
    form.set('files', new Blob([PNG], { type: 'image/png' }), 'photo.png');
    const res = await fetch(`${srv.url}/api/send/media`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: form });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INVALID_PHONE');
    expect(session.outgoing).toEqual([]);
  });

  it('the separators people write still work, everywhere', async () => {
    for (const input of ['+1 (555) 010-0001', '+1.555.010.0001', '00 1 555 010 0001']) {
      expect((await post('/api/send', { phone_number: input, message: input })).body.chat_id).toBe(ALICE);
    }
    expect((await post('/api/send', { phone_number: '15550100002', message: 'Hi', mentions: ['0015550100001'] })).status).toBe(200);
    expect(session.outgoing.at(-1)).toMatchObject({ mentions: [ALICE] });
    expect((await srv.call(`/api/chats/${encodeURIComponent('+1 555 010 0001')}/messages`)).body.chat.id).toBe(ALICE);
  });
});

describe('MCP: the same rule, as an isError result, and nothing reaches WhatsApp', () => {
  it.each(REGRESSIONS)('regression: %s (whatsapp_send_message)', async (_bug, input, names) => {
    const result = await callTool(mcp, 'whatsapp_send_message', { phone_number: input, message: 'Hi' });
    expect(result.isError).toBe(true);
    expect(errorText(result)).toMatch(/^INVALID_PHONE: phone_number/);
    expect(errorText(result)).toMatch(names);
    expect(session.outgoing).toEqual([]);
  });

  it('regression: "0015550100001" went to 0015550100001@c.us (whatsapp_send_message)', async () => {
    const sent = textPayload(await callTool(mcp, 'whatsapp_send_message', { phone_number: '0015550100001', message: 'Hi' }));
    expect(sent).toMatchObject({ to: '15550100001', chat_id: ALICE });
    expect(session.outgoing).toEqual([expect.objectContaining({ chatId: ALICE })]);
  });

  it.each(REFUSED)('%j in mentions, forward, mark read, and pairing code', async (input, names) => {
    const calls: [string, Record<string, unknown>][] = [
      ['whatsapp_send_message', { phone_number: '15550100001', message: 'Hi', mentions: [input] }],
      ['whatsapp_forward_message', { message_id: aliceMessage, phone_number: input }],
      ['whatsapp_mark_read', { chat_id: input }],
      ['whatsapp_get_chat_messages', { chat_id: input }],
      ['whatsapp_read_messages', { phone_number: input }],
      ['whatsapp_pairing_code', { phone_number: input }],
    ];
    for (const [tool, args] of calls) {
      const result = await callTool(mcp, tool, args);
      expect(result.isError, tool).toBe(true);
      expect(errorText(result), tool).toMatch(/^INVALID_PHONE: /);
      expect(errorText(result), tool).toMatch(names);
    }
    expect(session.outgoing).toEqual([]);
    expect(session.readChats).toEqual([]);
    expect(session.pairingRequests).toEqual([]);
  });

  it('tool descriptions state the rule', async () => {
    const { tools } = await mcp.listTools();
    const send = tools.find((t) => t.name === 'whatsapp_send_message')!;
    const phone = (send.inputSchema.properties as Record<string, { description?: string }>).phone_number!.description;
    expect(phone).toMatch(/anything else \(letters, "ext", "\*", "#", a "\+" further in\) is refused/);
    expect(phone).toMatch(/starting with 0 has no country code/);
  });
});
