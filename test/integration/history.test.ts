import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageDto } from '../../src/whatsapp/session.js';
import { chatDto, FakeSession, ME, messageFrom } from '../helpers/fake-session.js';
import { startTestServer, TOKEN, type TestServer } from '../helpers/http.js';
import { callTool, connectMcp, textPayload } from '../helpers/mcp.js';

const ALICE = '15550100001@c.us';
const old = (i: number): MessageDto => messageFrom(ALICE, `H${i}`, `old message number ${i} about the harbour`, 1_700_000_000 + i);

let srv: TestServer;
beforeEach(async () => {
  const session = new FakeSession();
  session.link(ME);
  const messages = Array.from({ length: 250 }, (_, i) => old(i));
  session.chats.set(ALICE, { chat: chatDto(ALICE, 'Alice Martin', { timestamp: messages.at(-1)!.timestamp }), messages });
  srv = await startTestServer({ session });
});
afterEach(() => srv.close());

describe('history import: a chat\'s older messages into the store', () => {
  it('is bounded per call and resumable; imported messages become searchable, and a second import adds nothing', async () => {
    const first = (await srv.call(`/api/chats/${encodeURIComponent(ALICE)}/history`, { method: 'POST', json: { limit: 200 } })).body;
    expect(first).toMatchObject({ chat_id: ALICE, seen: 200, imported: 200, complete: false });
    const rest = (await srv.call(`/api/chats/${encodeURIComponent(ALICE)}/history`, { method: 'POST', json: { limit: 200, before: first.next_before } })).body;
    expect(rest).toMatchObject({ seen: 50, imported: 50, complete: true, next_before: null });
    const found = (await srv.call('/api/search?q=harbour&limit=100')).body;
    expect(found.count).toBe(100);
    const oldest = (await srv.call(`/api/search?q=${encodeURIComponent('"number 0 about"')}`)).body;
    expect(oldest.results.map((r: { message: { id: string } }) => r.message.id)).toEqual([`false_${ALICE}_H0`]);
    const again = (await srv.call(`/api/chats/${encodeURIComponent(ALICE)}/history`, { method: 'POST' })).body;
    expect(again).toMatchObject({ seen: 250, imported: 0, complete: true });
  });

  it('MCP: whatsapp_import_history does the same; an unknown chat says so', async () => {
    const mcp = await connectMcp(srv.url, TOKEN);
    try {
      expect(textPayload(await callTool(mcp, 'whatsapp_import_history', { chat_id: ALICE, limit: 10 }))).toMatchObject({ seen: 10, imported: 10, complete: false });
      expect(textPayload(await callTool(mcp, 'whatsapp_import_history', { chat_id: '15559999999' }))).toMatchObject({ seen: 0, complete: true });
    } finally {
      await mcp.close();
    }
  });
});
