import { afterEach, describe, expect, it } from 'vitest';
import { History } from '../../../src/app/history.js';
import { AppError } from '../../../src/core/errors.js';
import { silentLogger } from '../../../src/core/logger.js';
import { IN_MEMORY, openStore, type Store } from '../../../src/store/index.js';
import type { MessageDto } from '../../../src/whatsapp/session.js';
import { until } from '../../helpers/bridge.js';
import { chatDto, FakeSession, ME, messageFrom } from '../../helpers/fake-session.js';

const ACCOUNT = 'default';
const CHATS = ['15550100001@c.us', '15550100002@c.us', '15550100003@c.us'];
const messages = (chat: string, n: number, t0: number): MessageDto[] => Array.from({ length: n }, (_, i) => messageFrom(chat, `${chat.slice(9, 11)}M${i}`, `message ${i} in ${chat}`, t0 + i));

let store: Store;
function setup(opts = { chats: 2, perChat: 3 }) {
  store = openStore({ file: IN_MEMORY, log: silentLogger() });
  const session = new FakeSession();
  session.link(ME);
  CHATS.forEach((chat, i) => {
    const list = messages(chat, 5, 1_800_000_000 - i * 1000);
    session.chats.set(chat, { chat: chatDto(chat, chat, { timestamp: list.at(-1)!.timestamp }), messages: list });
  });
  return { session, history: new History(ACCOUNT, store, session, silentLogger(), opts) };
}
afterEach(() => store?.close());

const stored = (chat: string) => store.messages.list(ACCOUNT, chat, { limit: 100 }).messages.map((m) => m.id);
/** The fake session answers within microtasks: once the macrotask queue turns, whatever it started has settled. */
const settleMicrotasks = () => new Promise((resolve) => setImmediate(resolve));
const settled = (history: History) => until(() => ['done', 'failed'].includes(history.progress()?.state ?? ''), 'the first import to settle', 5_000);

describe('the history import on the first link', () => {
  it('imports the most recent chats, a bounded number of messages each, newest first, and keeps its plan', async () => {
    const { history } = setup();
    // Nothing planned yet: the plan is made in the background.
    expect(history.resumeFirstImport()).toEqual(new Set());
    await settled(history);
    expect(history.progress()).toMatchObject({ state: 'done', trigger: 'first_link', chats_total: 2, chats_done: 2, messages_seen: 6, messages_imported: 6, current_chat: null, error: null });
    expect(stored(CHATS[0]!)).toHaveLength(3);
    expect(stored(CHATS[0]!)[0]).toBe(`false_${CHATS[0]}_01M4`);
    expect(stored(CHATS[2]!)).toEqual([]);
    expect(store.messages.firstImport.get(ACCOUNT)).toMatchObject({ chats: CHATS.slice(0, 2), done: CHATS.slice(0, 2), finishedAt: expect.any(Number) });
    // Once done, a later ready does not import again.
    expect(history.resumeFirstImport()).toEqual(new Set());
    expect(history.progress()).toMatchObject({ state: 'done', chats_done: 2 });
  });

  it('a store that already has messages is not a first link: nothing is imported', async () => {
    const { history, session } = setup();
    store.messages.upsert(ACCOUNT, { message: session.chats.get(CHATS[2]!)!.messages[0]! }, 'live');
    history.resumeFirstImport();
    await settleMicrotasks();
    expect(history.progress()).toBeNull();
    expect(store.messages.firstImport.get(ACCOUNT)).toBeNull();
    expect(stored(CHATS[0]!)).toEqual([]);
  });

  it('stopped in the middle (WhatsApp Web went away), it fails visibly and goes on with the chats left at the next ready', async () => {
    const { history, session } = setup();
    const read = session.chatMessages.bind(session);
    session.chatMessages = async (chatId, ...rest) => {
      if (chatId === CHATS[1]) throw new AppError('WA_NOT_READY', 'WhatsApp did not become ready');
      return read(chatId, ...rest);
    };
    history.resumeFirstImport();
    await settled(history);
    expect(history.progress()).toMatchObject({ state: 'failed', chats_done: 1, error: expect.stringMatching(/ready/) });
    expect(store.messages.firstImport.get(ACCOUNT)).toMatchObject({ done: [CHATS[0]], finishedAt: null });
    // The next ready: only the chat left is read.
    const asked: string[] = [];
    session.chatMessages = async (chatId, ...rest) => {
      asked.push(chatId);
      return read(chatId, ...rest);
    };
    expect(history.resumeFirstImport()).toEqual(new Set([CHATS[1]]));
    await until(() => history.progress()?.state === 'done', 'the resumed import');
    expect(new Set(asked)).toEqual(new Set([CHATS[1]]));
    expect(history.progress()).toMatchObject({ chats_total: 2, chats_done: 2 });
    expect(stored(CHATS[1]!)).toHaveLength(3);
  });

  it('the status shows the running first-link import while an import on demand comes and goes, then the one that ended last', async () => {
    const { history, session } = setup();
    const read = session.chatMessages.bind(session);
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    session.chatMessages = async (chatId, ...rest) => {
      if (chatId === CHATS[1]) await held;
      return read(chatId, ...rest);
    };
    history.resumeFirstImport();
    await until(() => history.progress()?.current_chat === CHATS[1], 'the first import at its second chat');
    expect(await history.importChat(CHATS[2]!, { limit: 10 })).toMatchObject({ seen: 5 });
    expect(history.progress()).toMatchObject({ trigger: 'first_link', state: 'running', chats_done: 1 });
    release();
    await settled(history);
    expect(history.progress()).toMatchObject({ trigger: 'first_link', state: 'done', chats_done: 2 });
  });

  it('off when configured with 0 chats', async () => {
    const { history } = setup({ chats: 0, perChat: 3 });
    expect(history.resumeFirstImport()).toEqual(new Set());
    await settleMicrotasks();
    expect(history.progress()).toBeNull();
    expect(store.messages.firstImport.get(ACCOUNT)).toBeNull();
  });
});

describe('the import on demand asks the phone when WhatsApp Web has nothing older', () => {
  it('imports what WhatsApp Web has, then what the phone sends, 50 at a time, until it has no more', async () => {
    const { history, session } = setup();
    const chat = CHATS[0]!;
    session.onPhone.set(chat, messages(chat, 120, 1_700_000_000).map((m, i) => ({ ...m, id: `false_${chat}_OLD${i}`, body: `old ${i}` })));
    const progress: number[] = [];
    const result = await history.importChat(chat, { limit: 500 }, (p) => progress.push(p.seen));
    expect(result).toMatchObject({ seen: 125, imported: 125, complete: true, next_before: null, phone_requests: 4 });
    expect(session.syncRequests).toEqual([chat, chat, chat, chat]);
    expect(stored(chat)).toHaveLength(100);
    expect(store.messages.get(ACCOUNT, `false_${chat}_OLD0`)).not.toBeNull();
    expect(progress.at(-1)).toBe(125);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    expect(history.progress()).toMatchObject({ state: 'done', trigger: 'on_demand', chats_total: 1, chats_done: 1, messages_seen: 125 });
  });

  it('bounded: stops at the limit with a cursor, and goes on from it', async () => {
    const { history, session } = setup();
    const chat = CHATS[0]!;
    session.onPhone.set(chat, messages(chat, 60, 1_700_000_000).map((m, i) => ({ ...m, id: `false_${chat}_OLD${i}` })));
    const first = await history.importChat(chat, { limit: 30 });
    expect(first).toMatchObject({ seen: 30, complete: false, phone_requests: 1 });
    const rest = await history.importChat(chat, { limit: 500, before: first.next_before! });
    expect(rest).toMatchObject({ seen: 35, complete: true });
    expect(store.messages.get(ACCOUNT, `false_${chat}_OLD0`)).not.toBeNull();
  });
});
