import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageDto } from '../../src/whatsapp/session.js';
import { until } from '../helpers/bridge.js';
import { chatDto, FakeSession, incomingEvent, ME, messageFrom } from '../helpers/fake-session.js';
import { startTestServer, TOKEN, type TestServer } from '../helpers/http.js';
import { callTool, connectMcp, textPayload } from '../helpers/mcp.js';
import { openSse } from '../helpers/sse.js';

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

describe('history import: asking the phone, progress in the status and over MCP', () => {
  const BOB = '15550100002@c.us';
  const phoneOnly = (i: number): MessageDto => ({ ...messageFrom(BOB, `PH${i}`, `kept on the phone ${i}`, 1_600_000_000 + i) });

  it('POST …/history asks the phone when WhatsApp Web has nothing older, and the status shows the import', async () => {
    expect((await srv.call('/api/status')).body.history_import).toBeUndefined();
    srv.session.chats.set(BOB, { chat: chatDto(BOB, 'Bob', { timestamp: 1_700_000_100 }), messages: [messageFrom(BOB, 'NEW', 'the newest', 1_700_000_100)] });
    srv.session.onPhone.set(BOB, Array.from({ length: 70 }, (_, i) => phoneOnly(i)));
    const result = (await srv.call(`/api/chats/${encodeURIComponent(BOB)}/history`, { method: 'POST', json: {} })).body;
    expect(result).toMatchObject({ seen: 71, imported: 71, complete: true, phone_requests: 3 });
    expect((await srv.call('/api/search?q=phone&limit=100')).body.count).toBe(70);
    expect((await srv.call('/api/status')).body.history_import).toMatchObject({
      state: 'done',
      trigger: 'on_demand',
      chats_total: 1,
      chats_done: 1,
      messages_seen: 71,
      messages_imported: 71,
      finished_at: expect.any(String),
      error: null,
    });
  });

  it('MCP: whatsapp_import_history sends progress notifications to a client that asks for them', async () => {
    const mcp = await connectMcp(srv.url, TOKEN);
    try {
      const progress: { progress: number; total?: number }[] = [];
      const result = await mcp.callTool({ name: 'whatsapp_import_history', arguments: { chat_id: ALICE, limit: 250 } }, undefined, { onprogress: (p) => progress.push(p) });
      expect(result.structuredContent).toMatchObject({ seen: 250, complete: true });
      expect(progress.map((p) => p.progress)).toEqual([100, 200, 250]);
      expect(progress.every((p) => p.total === 250)).toBe(true);
      // Without a progressToken, none are sent (and the call works the same).
      expect(textPayload(await callTool(mcp, 'whatsapp_import_history', { chat_id: ALICE, limit: 10 }))).toMatchObject({ seen: 10 });
    } finally {
      await mcp.close();
    }
  });
});

describe('history import on the first link', () => {
  let fresh: TestServer;
  afterEach(() => fresh?.close());

  it('the first ready with an empty store imports the recent chats in the background, visible in the status; nothing is pushed as an event', async () => {
    const session = new FakeSession();
    const chats = ['15550100011@c.us', '15550100012@c.us', '120363000000000009@g.us'];
    chats.forEach((chat, i) => {
      const messages = Array.from({ length: 30 }, (_, j) => messageFrom(chat, `F${i}-${j}`, `before the link ${j}`, 1_700_000_000 + i * 100 + j));
      session.chats.set(chat, { chat: chatDto(chat, chat, { timestamp: messages.at(-1)!.timestamp }), messages });
    });
    fresh = await startTestServer({ session, firstImport: { chats: 2, perChat: 20 } });
    session.link(ME);
    await until(async () => (await fresh.call('/api/status')).body.history_import?.state === 'done', 'the first-link import');
    expect((await fresh.call('/api/status')).body.history_import).toMatchObject({ trigger: 'first_link', chats_total: 2, chats_done: 2, messages_imported: 40 });
    expect((await fresh.call('/api/search?q=link&limit=100')).body.count).toBe(40);
    const log = await openSse(`${fresh.url}/api/events?after=0&types=message`, { authorization: `Bearer ${TOKEN}` });
    session.emit('event', incomingEvent(chats[0]!, 'LIVE', 'after the import'));
    const [frame] = await log.next(1);
    log.close();
    expect(frame!.data.data.message.body).toBe('after the import');
  });
});
