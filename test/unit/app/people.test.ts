import { describe, expect, it } from 'vitest';
import { chatIdsOf, chatView, mergeChats, mergeMessages, readChat } from '../../../src/app/people.js';
import type { MessageDto } from '../../../src/whatsapp/session.js';
import { chatDto, FakeSession, messageFrom } from '../../helpers/fake-session.js';

const HANA = '15550100008@c.us';
const HANA_LID = '185000000000008@lid';
const GROUP = '120363000000000001@g.us';
const ALICE = '15550100001@c.us';

const at = (chat: string, id: string, t: number): MessageDto => messageFrom(chat, id, `${id} at ${t}`, t);

describe('a person\'s phone-number chat and LID chat are one chat', () => {
  it('chatIdsOf: a person\'s two ids, phone-number chat first; a group, or a person without a known twin, is itself', () => {
    expect(chatIdsOf(HANA_LID, { phone: HANA, lid: HANA_LID })).toEqual([HANA, HANA_LID]);
    expect(chatIdsOf(HANA, { phone: HANA, lid: HANA_LID })).toEqual([HANA, HANA_LID]);
    expect(chatIdsOf(ALICE, undefined)).toEqual([ALICE]);
    expect(chatIdsOf(GROUP, undefined)).toEqual([GROUP]);
  });

  it('mergeChats: the two chats become one in the place of the newer, named by the phone number, unread counts added; others untouched', () => {
    const chats = [
      chatDto(HANA_LID, 'Hana Ito', { timestamp: 300, unread_count: 2, last_message: at(HANA_LID, 'L2', 300) }),
      chatDto(GROUP, 'Weekend Hike', { is_group: true, timestamp: 200 }),
      chatDto(HANA, 'Hana Ito', { timestamp: 100, unread_count: 1, pinned: true, archived: true }),
      chatDto(ALICE, 'Alice', { timestamp: 50 }),
    ];
    // Only the LID chat's lookup knows the pair: enough to join them.
    const merged = mergeChats(chats, new Map([[HANA_LID, { phone: HANA, lid: HANA_LID }]]));
    expect(merged.map((c) => c.id)).toEqual([HANA, GROUP, ALICE]);
    expect(merged[0]).toMatchObject({
      id: HANA,
      name: 'Hana Ito',
      phone: HANA,
      lid: HANA_LID,
      chat_ids: [HANA, HANA_LID],
      unread_count: 3,
      timestamp: 300,
      pinned: true,
      archived: false,
      last_message: { id: `false_${HANA_LID}_L2` },
    });
    expect(merged[1]).toMatchObject({ id: GROUP, phone: null, lid: null, chat_ids: [GROUP] });
    expect(merged[2]).toMatchObject({ id: ALICE, phone: ALICE, lid: null, chat_ids: [ALICE] });
  });

  it('chatView: a person known only by LID keeps the LID chat\'s id', () => {
    expect(chatView([chatDto('185000000000009@lid', 'X')], { phone: null, lid: '185000000000009@lid' })).toMatchObject({ id: '185000000000009@lid', phone: null, lid: '185000000000009@lid' });
  });

  it('mergeMessages: time order; a tie in time goes to the earlier list; the newest `limit` kept', () => {
    const phone = [at(HANA, 'P1', 10), at(HANA, 'P2', 20)];
    const lid = [at(HANA_LID, 'L1', 20), at(HANA_LID, 'L2', 30)];
    const ids = (r: { messages: MessageDto[] }) => r.messages.map((m) => m.id!.split('_')[2]);
    expect(ids(mergeMessages([phone, lid], 10))).toEqual(['P1', 'P2', 'L1', 'L2']);
    expect(mergeMessages([phone, lid], 3)).toMatchObject({ cut: true });
    expect(ids(mergeMessages([phone, lid], 3))).toEqual(['P2', 'L1', 'L2']);
  });
});

describe('readChat pages through both chats as one conversation', () => {
  // Interleaved, with ties inside each chat and across the two.
  const phoneTimes = [100, 110, 110, 130, 150, 150, 170];
  const lidTimes = [105, 110, 140, 150, 160, 180, 180, 190];
  function session(): FakeSession {
    const s = new FakeSession();
    s.link();
    const phone = phoneTimes.map((t, i) => at(HANA, `P${i}`, t));
    const lid = lidTimes.map((t, i) => at(HANA_LID, `L${i}`, t));
    s.chats.set(HANA, { chat: chatDto(HANA, 'Hana Ito', { timestamp: 170 }), messages: phone });
    s.chats.set(HANA_LID, { chat: chatDto(HANA_LID, 'Hana Ito', { timestamp: 190 }), messages: lid });
    s.lids.set(HANA, HANA_LID);
    return s;
  }
  const whole = mergeMessages(
    [phoneTimes.map((t, i) => at(HANA, `P${i}`, t)), lidTimes.map((t, i) => at(HANA_LID, `L${i}`, t))],
    100,
  ).messages.map((m) => m.id);

  for (const limit of [1, 2, 3, 4, 5, 15, 16]) {
    it(`pages of ${limit}, by either id: every message once, in time order, from the newest back to the first`, async () => {
      const s = session();
      for (const id of [HANA, HANA_LID]) {
        const seen: string[] = [];
        let before: string | undefined;
        for (let pages = 0; pages < 20; pages++) {
          const page = await readChat(s, id, limit, before);
          expect(page!.chat).toMatchObject({ id: HANA, lid: HANA_LID, chat_ids: [HANA, HANA_LID] });
          seen.unshift(...page!.messages.map((m) => m.id!));
          if (!page!.nextBefore) break;
          before = page!.nextBefore;
        }
        expect(seen).toEqual(whole);
      }
    });
  }

  it('a person with one chat reads as before; no chat at all is null', async () => {
    const s = session();
    s.chats.delete(HANA);
    expect((await readChat(s, HANA, 3))!.messages.map((m) => m.id!.split('_')[2])).toEqual(['L5', 'L6', 'L7']);
    s.chats.delete(HANA_LID);
    expect(await readChat(s, HANA, 3)).toBeNull();
  });
});
