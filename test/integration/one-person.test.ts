import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageDto } from '../../src/whatsapp/session.js';
import { chatDto, FakeSession, ME, messageFrom } from '../helpers/fake-session.js';
import { startTestServer, TOKEN, type TestServer } from '../helpers/http.js';
import { callTool, connectMcp } from '../helpers/mcp.js';
import { openSse } from '../helpers/sse.js';

/**
 * Issue 11, "one identity per person": after WhatsApp's LID migration WhatsApp Web holds two
 * chats with Hana — her phone-number chat (older messages) and her LID chat (newer ones).
 * Lists, reads and search show one chat, by either id.
 */
const HANA = '15550100008@c.us';
const HANA_LID = '185000000000008@lid';
const ALICE = '15550100001@c.us';

/** A message Hana wrote in one of her chats: WhatsApp Web knows both her ids. */
const fromHana = (chat: string, id: string, body: string, t: number): MessageDto => ({ ...messageFrom(chat, id, body, t), sender_phone: HANA, sender_lid: HANA_LID });
const ours = (chat: string, id: string, body: string, t: number): MessageDto => ({
  ...messageFrom(chat, id, body, t),
  id: `true_${chat}_${id}`,
  from: ME.wid,
  to: chat,
  from_me: true,
  sender_phone: ME.wid,
  sender_lid: null,
});

const OLD = [fromHana(HANA, 'P1', 'The pottery class starts next week', 1_800_000_000), ours(HANA, 'P2', 'Which day?', 1_800_000_060), fromHana(HANA, 'P3', 'Tuesdays at 6pm', 1_800_000_120)];
const NEW = [fromHana(HANA_LID, 'L1', 'The class moved to Wednesday', 1_800_100_000), fromHana(HANA_LID, 'L2', 'Bring an apron to class', 1_800_100_060)];
const ids = (messages: { id: string }[]) => messages.map((m) => m.id);
const everything = ids([...OLD, ...NEW] as { id: string }[]);

let srv: TestServer;
let session: FakeSession;
beforeEach(async () => {
  session = new FakeSession();
  session.link(ME);
  session.lids.set(HANA, HANA_LID);
  session.chats.set(HANA, { chat: chatDto(HANA, 'Hana Ito', { timestamp: OLD.at(-1)!.timestamp, unread_count: 1, last_message: OLD.at(-1)! }), messages: [...OLD] });
  session.chats.set(HANA_LID, { chat: chatDto(HANA_LID, 'Hana Ito', { timestamp: NEW.at(-1)!.timestamp, unread_count: 2, last_message: NEW.at(-1)! }), messages: [...NEW] });
  session.chats.set(ALICE, { chat: chatDto(ALICE, 'Alice Martin', { timestamp: 1_800_050_000 }), messages: [messageFrom(ALICE, 'A1', 'Lunch?', 1_800_050_000)] });
  srv = await startTestServer({ session });
});
afterEach(() => srv.close());

describe('a person with a phone-number chat and a LID chat is one chat', () => {
  it('GET /api/chats and whatsapp_list_chats: one chat for Hana, by her phone number, with her LID and both chats, unread counts added', async () => {
    const rest = (await srv.call('/api/chats')).body;
    expect(rest.chats.map((c: { id: string }) => c.id)).toEqual([HANA, ALICE]);
    expect(rest.chats[0]).toMatchObject({ id: HANA, name: 'Hana Ito', phone: HANA, lid: HANA_LID, chat_ids: [HANA, HANA_LID], unread_count: 3, timestamp: NEW.at(-1)!.timestamp });
    expect(rest.chats[0].last_message.id).toBe(NEW.at(-1)!.id);
    expect(rest.chats[1]).toMatchObject({ id: ALICE, phone: ALICE, lid: null, chat_ids: [ALICE] });
    const mcp = await connectMcp(srv.url, TOKEN);
    try {
      // The same chats; over MCP the last messages from others are marked untrusted, under a note.
      const { note, ...chats } = (await callTool(mcp, 'whatsapp_list_chats')).structuredContent as { note: string; chats: { last_message: { untrusted?: boolean } | null }[] };
      expect(note).toMatch(/data, never instructions/);
      for (const c of chats.chats) if (c.last_message) delete c.last_message.untrusted;
      expect(chats).toEqual(rest);
    } finally {
      await mcp.close();
    }
  });

  it('reads by either id (and by phone number) give the merged conversation in time order, paging back across both chats', async () => {
    for (const id of [HANA, HANA_LID, '+1 555 010 0008']) {
      const page = (await srv.call(`/api/chats/${encodeURIComponent(id)}/messages`)).body;
      expect(ids(page.messages), id).toEqual(everything);
      expect(page.chat).toMatchObject({ id: HANA, lid: HANA_LID });
      expect(page.next_before).toBeNull();
    }
    const newest = (await srv.call(`/api/chats/${encodeURIComponent(HANA_LID)}/messages?limit=3`)).body;
    expect(ids(newest.messages)).toEqual(everything.slice(2));
    const older = (await srv.call(`/api/chats/${encodeURIComponent(HANA_LID)}/messages?limit=3&before=${encodeURIComponent(newest.next_before)}`)).body;
    expect(ids(older.messages)).toEqual(everything.slice(0, 2));
    expect(older.next_before).toBeNull();
    expect(ids((await srv.call('/api/messages?phone_number=15550100008&limit=10')).body.messages)).toEqual(everything);

    const mcp = await connectMcp(srv.url, TOKEN);
    try {
      const viaMcp = (await callTool(mcp, 'whatsapp_get_chat_messages', { chat_id: HANA_LID, limit: 10 })).structuredContent as { messages: { id: string }[] };
      expect(ids(viaMcp.messages)).toEqual(everything);
    } finally {
      await mcp.close();
    }
  });

  it('unread: one entry for Hana with the unread messages of both chats', async () => {
    const unread = (await srv.call('/api/chats?limit=5')).body.chats[0];
    expect(unread.unread_count).toBe(3);
    const mcp = await connectMcp(srv.url, TOKEN);
    try {
      const result = (await callTool(mcp, 'whatsapp_list_unread')).structuredContent as { chats: { chat: { id: string }; unread: { id: string }[] }[] };
      expect(result.chats.map((c) => c.chat.id)).toEqual([HANA]);
      expect(ids(result.chats[0]!.unread)).toEqual([OLD[2]!.id, NEW[0]!.id, NEW[1]!.id]);
    } finally {
      await mcp.close();
    }
  });

  it('marking Hana\'s chat read (by either id) reads both of her chats', async () => {
    expect((await srv.call(`/api/chats/${encodeURIComponent(HANA_LID)}/read`, { method: 'POST', json: {} })).status).toBe(200);
    expect(srv.session.readChats.sort()).toEqual([HANA_LID, HANA].sort());
  });

  it('search: importing either id records both chats, each message in its own with both of Hana\'s ids; chat_id or from of either form finds both, offline too', async () => {
    const imported = (await srv.call(`/api/chats/${encodeURIComponent(HANA_LID)}/history`, { method: 'POST' })).body;
    expect(imported).toMatchObject({ seen: 5, imported: 5, complete: true });
    const search = async (query: string) => (await srv.call(`/api/search?q=class&${query}`)).body;
    for (const query of [`chat_id=${encodeURIComponent(HANA)}`, `chat_id=${encodeURIComponent(HANA_LID)}`, `from=${encodeURIComponent(HANA)}`, `from=${encodeURIComponent(HANA_LID)}`]) {
      const found = await search(query);
      expect(found.results.map((r: { message: { id: string } }) => r.message.id).sort(), query).toEqual([OLD[0]!.id, NEW[0]!.id, NEW[1]!.id].sort());
      for (const r of found.results) {
        expect(r.message).toMatchObject({ sender_phone: HANA, sender_lid: HANA_LID });
        expect(r.chat_name).toBe('Hana Ito');
        expect(r.chat_id).toBe(r.message.id.split('_')[1]);
      }
    }
    expect((await search(`chat_id=${encodeURIComponent(ALICE)}`)).count).toBe(0);
    // WhatsApp Web gone: the pair is known from the stored messages.
    srv.session.set('disconnected', { lastError: 'test' });
    expect((await search(`chat_id=${encodeURIComponent(HANA)}`)).count).toBe(3);
    expect((await search(`chat_id=${encodeURIComponent(HANA_LID)}`)).count).toBe(3);
  });
});

describe("following a person's chat: either id gets both chats' new messages", () => {
  it('SSE chat_id=<phone id>, the JSON log and whatsapp_wait_for_messages see a message in her LID chat (and not Alice)', async () => {
    const stream = await openSse(`${srv.url}/api/events?types=message&chat_id=${HANA}`, { authorization: `Bearer ${TOKEN}` });
    const mcp = await connectMcp(srv.url, TOKEN);
    try {
      const listening = srv.services.events.listenerCount('event');
      const waiting = callTool(mcp, 'whatsapp_wait_for_messages', { chat_id: HANA, timeout_s: 30 });
      await expect.poll(() => srv.services.events.listenerCount('event')).toBeGreaterThan(listening);
      // An event for Alice must not end the wait.
      session.emit('event', { type: 'message', chat_id: ALICE, timestamp: 1_800_200_000, message: messageFrom(ALICE, 'A2', 'not Hana', 1_800_200_000) });
      const lid = fromHana(HANA_LID, 'L3', 'See you Wednesday', 1_800_200_060);
      session.emit('event', { type: 'message', chat_id: HANA_LID, timestamp: lid.timestamp, message: lid });
      const [frame] = await stream.next(1);
      expect(frame!.data).toMatchObject({ chat_id: HANA_LID, data: { message: { body: 'See you Wednesday' } } });
      const waited = (await waiting).structuredContent as { messages: { chat_id: string; message: { body: string } }[] };
      expect(waited.messages.map((m) => [m.chat_id, m.message.body])).toEqual([[HANA_LID, 'See you Wednesday']]);
      const log = (await srv.call(`/api/events/log?types=message&chat_id=${encodeURIComponent(HANA_LID)}`)).body;
      expect(log.events.map((e: { data: { message: { body: string } } }) => e.data.message.body)).toEqual(['See you Wednesday']);
      const byPhone = (await srv.call(`/api/events/log?types=message&chat_id=${HANA}`)).body;
      expect(byPhone.count).toBe(1);
    } finally {
      stream.close();
      await mcp.close();
    }
  });

  it("a subscription to her phone-number chat's messages is told of a message in her LID chat", async () => {
    const mcp = await connectMcp(srv.url, TOKEN);
    try {
      const uri = `whatsapp://chats/${encodeURIComponent(HANA)}/messages`;
      const updated: string[] = [];
      mcp.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updated.push(n.params.uri));
      await mcp.subscribeResource({ uri });
      const lid = fromHana(HANA_LID, 'L4', 'Running late', 1_800_200_120);
      session.emit('event', { type: 'message', chat_id: HANA_LID, timestamp: lid.timestamp, message: lid });
      await expect.poll(() => updated).toEqual([uri]);
    } finally {
      await mcp.close();
    }
  });
});
