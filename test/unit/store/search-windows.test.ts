import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/logger.js';
import { createMessagesRepo, type MessagesRepo } from '../../../src/store/messages.js';
import { migrate } from '../../../src/store/migrations.js';
import { sqlite, type Db } from '../../../src/store/sqlite.js';
import type { SearchQuery } from '../../../src/store/search.js';
import { wireMessage } from '../../helpers/store.js';

// Small bounds, so that a few messages cross rank windows and scan budgets.
let db: Db;
let messages: MessagesRepo;
beforeEach(() => {
  db = new (sqlite().DatabaseSync)(':memory:');
  migrate(db, ':memory:', silentLogger());
  messages = createMessagesRepo(db, ':memory:', () => 0, { rankWindow: 4, scanBudget: 5 });
});
afterEach(() => db.close());

const T0 = 1_767_225_600;
function store(bodies: string[], chat = '15550100001@c.us'): string[] {
  return messages.upsertMany('default', bodies.map((body, i) => ({ message: wireMessage({ body, from: chat, timestamp: T0 + i }) })), 'live').map((r) => r.message.id);
}

/** Every page of a query, as [ids per page]. */
function pages(query: Omit<SearchQuery, 'limit' | 'before'>, limit: number): string[][] {
  const out: string[][] = [];
  let before: string | undefined;
  do {
    const page = messages.search('default', { ...query, limit, ...(before ? { before } : {}) });
    out.push(page.hits.map((h) => h.message.id));
    before = page.next ?? undefined;
  } while (before && out.length < 50);
  return out;
}

describe('relevance windows', () => {
  it('rank within the newest window first, then the next older one, each match once', () => {
    // Shorter bodies rank higher; the newest four form the first window.
    const ids = store(['fox', 'fox fox fox', 'a fox among many other words here', 'fox', 'fox in a long sentence here', 'fox fox', 'fox again here']);
    const seen = pages({ q: 'fox' }, 3).flat();
    expect([...seen].sort()).toEqual([...ids].sort());
    const firstWindow = ids.slice(3);
    expect(new Set(seen.slice(0, 4))).toEqual(new Set(firstWindow));
    // Within the window, by score: the two-word "fox fox" before the long sentence.
    expect(seen.indexOf(ids[5]!)).toBeLessThan(seen.indexOf(ids[4]!));
  });

  it('newest order ignores windows', () => {
    const ids = store(['dog 1', 'dog 2', 'dog 3', 'dog 4', 'dog 5', 'dog 6']);
    expect(pages({ q: 'dog', order: 'newest' }, 4)).toEqual([ids.slice(2).reverse(), ids.slice(0, 2).reverse()]);
  });
});

describe('scans for punctuation-only queries', () => {
  it('read a bounded slice per page and say where to go on, even from an empty page', () => {
    const ids = store([':) one', 'two', ':) three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven']);
    // 11 messages, 5 per slice: the newest slice has none; its page is empty but not the end.
    expect(pages({ q: ':)' }, 10)).toEqual([[], [ids[2]], [ids[0]]]);
  });

  it('scan only the chat asked for', () => {
    const mine = store([':/ a', ':/ b'], 'mine@c.us');
    store([':/ c', ':/ d', ':/ e', ':/ f', ':/ g', ':/ h'], 'other@c.us');
    expect(pages({ q: ':/', chatId: 'mine@c.us' }, 10)).toEqual([[mine[1], mine[0]]]);
  });
});
