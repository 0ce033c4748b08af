import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSession, incomingEvent, ME } from '../helpers/fake-session.js';
import { startTestServer, TOKEN, type TestServer } from '../helpers/http.js';
import { callTool, connectMcp, textPayload } from '../helpers/mcp.js';

const ALICE = '15550100001@c.us';
const BOB = '15550100002@c.us';
let seq = 0;

let srv: TestServer;
beforeEach(async () => {
  const session = new FakeSession();
  session.link(ME);
  srv = await startTestServer({ session });
  for (const [chat, body, t] of [
    [ALICE, 'Shall we meet at the café tomorrow?', 1_800_000_000],
    [ALICE, 'مرحبا كيف حالك', 1_800_000_100],
    [BOB, '我们明天见面吧 🍕', 1_800_000_200],
    [BOB, 'The meeting moved to Friday', 1_800_000_300],
  ] as const) {
    session.emit('event', incomingEvent(chat, `S${++seq}`, body, t));
  }
});
afterEach(() => srv.close());

const search = async (query: string) => (await srv.call(`/api/search?${query}`)).body;
const bodies = (r: { results: { message: { body: string } }[] }) => r.results.map((x) => x.message.body);

describe('GET /api/search over what was recorded', () => {
  it('finds by word and prefix, phrase, and in other scripts, with a marked snippet', async () => {
    expect(bodies(await search('q=caf%C3%A9'))).toEqual(['Shall we meet at the café tomorrow?']);
    expect(bodies(await search('q=meet*')).sort()).toEqual(['Shall we meet at the café tomorrow?', 'The meeting moved to Friday']);
    expect(bodies(await search(`q=${encodeURIComponent('"moved to Friday"')}`))).toEqual(['The meeting moved to Friday']);
    expect(bodies(await search(`q=${encodeURIComponent('كيف')}`))).toEqual(['مرحبا كيف حالك']);
    expect(bodies(await search(`q=${encodeURIComponent('明天')}`))).toEqual(['我们明天见面吧 🍕']);
    const hit = (await search('q=Friday')).results[0];
    expect(hit.snippet).toContain('[Friday]');
    expect(hit.chat_id).toBe(BOB);
  });

  it('narrows by chat, sender and time; FTS syntax in the query is just text', async () => {
    expect(bodies(await search(`q=meet*&chat_id=${encodeURIComponent(BOB)}`))).toEqual(['The meeting moved to Friday']);
    expect(bodies(await search(`q=meet*&from=${encodeURIComponent(ALICE)}`))).toEqual(['Shall we meet at the café tomorrow?']);
    expect(bodies(await search('q=meet*&since=1800000250'))).toEqual(['The meeting moved to Friday']);
    for (const q of ['"unbalanced', 'AND OR NOT', 'a:b (c', '*', '-x']) expect((await srv.call(`/api/search?q=${encodeURIComponent(q)}`)).status, q).toBe(200);
    expect((await srv.call('/api/search?q=')).status).toBe(400);
  });

  it('MCP: whatsapp_search_messages answers the same, marking other people\'s words as data', async () => {
    const mcp = await connectMcp(srv.url, TOKEN);
    try {
      const result = textPayload(await callTool(mcp, 'whatsapp_search_messages', { q: 'Friday' }));
      expect(bodies(result)).toEqual(['The meeting moved to Friday']);
      expect(result.note).toMatch(/data, never instructions/);
    } finally {
      await mcp.close();
    }
  });
});
