import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../../src/bridge.js';
import { LID_CONTACTS } from '../../src/whatsapp/simulator/index.js';
import { startDemoBridge, tempDataDir, until, waitForState, type Caller } from '../helpers/bridge.js';
import { callTool, connectMcp } from '../helpers/mcp.js';

/**
 * One identity per person, end to end: whatsapp-web.js in Chromium against the simulator,
 * whose Hana Ito was moved to her LID after she had written. WhatsApp Web holds her
 * phone-number chat (older messages) and her LID chat (newer ones); the API shows one chat.
 */
const HANA = '15550100008@c.us';
const HANA_LID = `${LID_CONTACTS['15550100008']}@lid`;
const OLD = ['Hi! The pottery class starts next week', 'Great, which day?', 'Tuesdays at 6pm'];
const NEW = ['Class moved to Wednesday this week', 'Thanks for letting me know'];

describe('a person with a phone-number chat and a LID chat is one chat (demo)', () => {
  let bridge: Bridge & { call: Caller };
  const post = async (p: string, json: unknown = {}) => {
    const res = await bridge.call(p, { method: 'POST', json });
    if (res.status >= 300) throw new Error(`${p} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const messagesOf = async (id: string, query = '') => (await bridge.call(`/api/chats/${encodeURIComponent(id)}/messages${query}`)).body;
  const bodies = (page: { messages: { body: string }[] }) => page.messages.map((m) => m.body);

  beforeAll(async () => {
    bridge = await startDemoBridge(tempDataDir('wa-e2e-lid-'));
    await post('/api/auth/start');
    await waitForState(bridge.call, 'qr');
    await post('/api/simulator/link');
    await waitForState(bridge.call, 'ready');
  });
  afterAll(async () => {
    await bridge?.stop();
  });

  it('WhatsApp Web holds both chats, and the chat list shows one, by her phone number, with her LID (REST and MCP)', async () => {
    // Both chats are really there, as the port reports WhatsApp Web's chats.
    expect((await bridge.session.listChats(50)).map((c) => c.id)).toEqual(expect.arrayContaining([HANA, HANA_LID]));
    const list = (await bridge.call('/api/chats?limit=50')).body;
    const hana = list.chats.filter((c: { name: string }) => c.name === 'Hana Ito');
    expect(hana).toEqual([expect.objectContaining({ id: HANA, phone: HANA, lid: HANA_LID, chat_ids: [HANA, HANA_LID], is_group: false })]);
    expect(hana[0].last_message.body).toBe(NEW.at(-1));
    expect(list.chats.map((c: { id: string }) => c.id)).not.toContain(HANA_LID);
    const mcp = await connectMcp(bridge.url, bridge.token);
    try {
      const viaMcp = (await callTool(mcp, 'whatsapp_list_chats', { limit: 50 })).structuredContent as { chats: { id: string; lid: string | null }[] };
      expect(viaMcp.chats.filter((c) => c.lid === HANA_LID).map((c) => c.id)).toEqual([HANA]);
    } finally {
      await mcp.close();
    }
  });

  it('reading either id gives both chats\' messages in time order, and pages back across them', async () => {
    for (const id of [HANA, HANA_LID, '15550100008']) {
      const page = await messagesOf(id);
      expect(bodies(page), id).toEqual([...OLD, ...NEW]);
      expect(page.chat).toMatchObject({ id: HANA, lid: HANA_LID });
    }
    const newest = await messagesOf(HANA_LID, '?limit=3');
    expect(bodies(newest)).toEqual([OLD[2], ...NEW]);
    const rest = await messagesOf(HANA_LID, `?limit=3&before=${encodeURIComponent(newest.next_before)}`);
    expect(bodies(rest)).toEqual(OLD.slice(0, 2));
    expect(rest.next_before).toBeNull();
    const mcp = await connectMcp(bridge.url, bridge.token);
    try {
      const viaMcp = (await callTool(mcp, 'whatsapp_get_chat_messages', { chat_id: HANA, limit: 10 })).structuredContent as { messages: { body: string }[] };
      expect(bodies(viaMcp)).toEqual([...OLD, ...NEW]);
    } finally {
      await mcp.close();
    }
  });

  it('she writes: it lands in her LID chat with both her ids, shows up in the merged read, and search finds both chats by either id', async () => {
    const { id } = await post('/api/simulator/incoming', { phone_number: '15550100008', message: 'See you at class on Wednesday' });
    expect(id.startsWith(`false_${HANA_LID}_`)).toBe(true);
    await until(async () => bodies(await messagesOf(HANA)).at(-1) === 'See you at class on Wednesday', 'the new message in the merged read');
    // The older messages go into the store through the history import (of either id: both chats).
    expect(await post(`/api/chats/${encodeURIComponent(HANA)}/history`)).toMatchObject({ seen: 6, complete: true });
    for (const chat of [HANA, HANA_LID]) {
      const found = (await bridge.call(`/api/search?q=class&chat_id=${encodeURIComponent(chat)}`)).body;
      expect(found.results.map((r: { message: { body: string } }) => r.message.body).sort(), chat).toEqual(['Class moved to Wednesday this week', 'Hi! The pottery class starts next week', 'See you at class on Wednesday'].sort());
      const chats = new Set(found.results.map((r: { chat_id: string }) => r.chat_id));
      expect(chats).toEqual(new Set([HANA, HANA_LID]));
      // Stored with both of her ids, whichever chat she wrote in.
      for (const r of found.results) expect(r.message).toMatchObject({ sender_phone: HANA, sender_lid: HANA_LID, from_me: false });
    }
  });
});
