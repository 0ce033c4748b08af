import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TOKEN, type TestServer } from '../helpers/http.js';
import { callTool, connectMcp, errorText } from '../helpers/mcp.js';

let srv: TestServer;
let mcp: Client;
beforeAll(async () => {
  srv = await startTestServer();
  srv.session.link();
  mcp = await connectMcp(srv.url, TOKEN);
});
afterAll(async () => {
  await mcp.close();
  await srv.close();
});

const LONG = 'x'.repeat(65_537);

/** [what, body, expected code, field or text the message must name] */
const SEND_CASES: [string, unknown, string, RegExp][] = [
  ['missing phone', { message: 'hi' }, 'VALIDATION_ERROR', /phone_number/],
  ['phone as a number', { phone_number: 15551234567, message: 'hi' }, 'VALIDATION_ERROR', /phone_number/],
  ['phone too short', { phone_number: '1234567', message: 'hi' }, 'INVALID_PHONE', /8-15 digits/],
  ['phone too long', { phone_number: '1234567890123456', message: 'hi' }, 'INVALID_PHONE', /8-15 digits/],
  ['phone without digits', { phone_number: 'call me', message: 'hi' }, 'INVALID_PHONE', /"c" at position 1/],
  ['phone absurdly long', { phone_number: '1'.repeat(500), message: 'hi' }, 'VALIDATION_ERROR', /phone_number/],
  ['missing message', { phone_number: '15551234567' }, 'VALIDATION_ERROR', /message/],
  ['empty message', { phone_number: '15551234567', message: '' }, 'VALIDATION_ERROR', /message must not be empty/],
  ['blank message', { phone_number: '15551234567', message: ' \n\t ' }, 'VALIDATION_ERROR', /message must not be empty/],
  ['message too long', { phone_number: '15551234567', message: LONG }, 'VALIDATION_ERROR', /at most 65536/],
  ['message as an object', { phone_number: '15551234567', message: { text: 'hi' } }, 'VALIDATION_ERROR', /message must be a string/],
  ['message as null', { phone_number: '15551234567', message: null }, 'VALIDATION_ERROR', /message/],
];

const LIMITS: [string, string][] = [
  ['0', 'limit must be a whole number from 1 to 100'],
  ['101', 'limit must be a whole number from 1 to 100'],
  ['-5', 'limit must be a whole number from 1 to 100'],
  ['2.5', 'limit must be a whole number from 1 to 100'],
  ['ten', 'limit must be a whole number from 1 to 100'],
];

describe('bad input over REST: a 400 with the right code, nothing sent', () => {
  it.each(SEND_CASES)('POST /api/send with %s → %s', async (_what, body, code, names) => {
    const res = await srv.call('/api/send', { method: 'POST', json: body });
    expect(res.status).toBe(400);
    expect(res.body.ok).toBe(false);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(names);
    expect(res.body.error.message).not.toMatch(/at .*\.ts:\d+/);
    expect(srv.session.sent).toEqual([]);
  });

  it('POST /api/send with a JSON array, broken JSON, or an empty JSON body', async () => {
    for (const raw of ['[1,2]', '{"phone_number": ', '']) {
      const res = await fetch(`${srv.url}/api/send`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: raw });
      expect(res.status, raw).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_ERROR');
    }
    expect(srv.session.sent).toEqual([]);
  });

  it.each(LIMITS)('GET /api/chats?limit=%s → 400 naming limit', async (limit, message) => {
    const res = await srv.call(`/api/chats?limit=${limit}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'VALIDATION_ERROR', message, fields: ['limit'] });
  });

  it.each(LIMITS)('GET /api/messages?limit=%s → 400 naming limit', async (limit) => {
    const res = await srv.call(`/api/messages?phone_number=15551234567&limit=${limit}`);
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual(['limit']);
  });

  it('GET /api/messages without or with a bad phone number', async () => {
    expect((await srv.call('/api/messages')).body.error.code).toBe('VALIDATION_ERROR');
    expect((await srv.call('/api/messages?phone_number=12')).body.error.code).toBe('INVALID_PHONE');
  });

  it('POST /api/pairing-code with a bad phone number', async () => {
    const res = await srv.call('/api/pairing-code', { method: 'POST', json: { phone_number: '+1 23' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_PHONE');
  });

  it('POST /api/logout with unexpected fields is refused before anything happens', async () => {
    const res = await srv.call('/api/logout', { method: 'POST', json: { everything: true } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/unknown field\(s\) everything/);
    expect((await srv.call('/api/status')).body.state).toBe('ready');
  });

  it('the server still answers after all of the above', async () => {
    expect((await srv.call('/api/status')).body.ready).toBe(true);
  });
});

describe('bad input over MCP: an isError result, nothing sent', () => {
  it.each(SEND_CASES)('whatsapp_send_message with %s', async (_what, args, code, names) => {
    const result = await callTool(mcp, 'whatsapp_send_message', args as Record<string, unknown>);
    expect(result.isError).toBe(true);
    const text = errorText(result);
    // Schema failures are reported by the SDK's validation; domain ones carry our code.
    if (code === 'INVALID_PHONE') expect(text).toMatch(/^INVALID_PHONE: /);
    else expect(text).toMatch(/Input validation error|^VALIDATION_ERROR: /);
    expect(text).toMatch(names);
    expect(srv.session.sent).toEqual([]);
  });

  it.each([0, 101, 2.5])('whatsapp_list_chats with limit %s', async (limit) => {
    const result = await callTool(mcp, 'whatsapp_list_chats', { limit });
    expect(result.isError).toBe(true);
    expect(errorText(result)).toMatch(/limit must be a whole number from 1 to 100/);
  });

  it.each([0, 101])('whatsapp_read_messages with limit %s', async (limit) => {
    const result = await callTool(mcp, 'whatsapp_read_messages', { phone_number: '15551234567', limit });
    expect(result.isError).toBe(true);
    expect(errorText(result)).toMatch(/limit/);
  });

  it('whatsapp_pairing_code with a bad number', async () => {
    const result = await callTool(mcp, 'whatsapp_pairing_code', { phone_number: '12' });
    expect(errorText(result)).toMatch(/^INVALID_PHONE: /);
    expect(srv.session.pairingRequests).toEqual([]);
  });

  it('the MCP session still works after all of the above', async () => {
    const result = await callTool(mcp, 'whatsapp_status');
    expect(result.isError).toBeFalsy();
  });
});
