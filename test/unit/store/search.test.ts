import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IN_MEMORY, isSearchCursor, RANK_WINDOW, type SearchQuery, type Store } from '../../../src/store/index.js';
import { open, wireMessage } from '../../helpers/store.js';

let store: Store;
beforeEach(() => {
  store = open(IN_MEMORY);
});
afterEach(() => store.close());

const ALICE = '15550100001@c.us';
const ALICE_LID = '20000000001@lid';
const BOB = '15550100002@c.us';
const GROUP = '120363000000000001@g.us';
const DAY = 86_400;
const T0 = 1_767_225_600; // 2026-01-01

/** Stores a text; returns its id. */
function say(body: string, opts: { chat?: string; author?: string | null; t?: number; phone?: string; lid?: string } = {}): string {
  const message = wireMessage({ body, from: opts.chat ?? ALICE, author: opts.author ?? null, timestamp: opts.t ?? T0 });
  store.messages.upsert('default', { message, ...(opts.phone ? { senderPhone: opts.phone } : {}), ...(opts.lid ? { senderLid: opts.lid } : {}) }, 'live');
  return message.id!;
}

const search = (q: string, extra: Partial<SearchQuery> = {}) => store.messages.search('default', { q, limit: 50, ...extra });
const ids = (q: string, extra: Partial<SearchQuery> = {}) => search(q, extra).hits.map((h) => h.message.id).sort();
const sorted = (...xs: string[]) => [...xs].sort();

describe('search finds', () => {
  it('a word anywhere, in any case, as a substring of 3+ characters', () => {
    const a = say('See you at the Meeting tomorrow');
    const b = say('meetings are boring');
    say('nothing to do with it');
    expect(ids('meeting')).toEqual(sorted(a, b));
    expect(ids('MEETING tomorrow')).toEqual([a]);
  });

  it('a phrase exactly, not its words apart', () => {
    const a = say('see you tomorrow then');
    const b = say('tomorrow I will see you');
    expect(ids('"see you tomorrow"')).toEqual([a]);
    expect(ids('see you tomorrow')).toEqual(sorted(a, b));
  });

  it('words by their start (prefix*), short prefixes included', () => {
    const a = say('tomorrow works');
    const b = say('Tom is here');
    const c = say('the atom');
    expect(ids('tomor*')).toEqual([a]);
    expect(ids('to*')).toEqual(sorted(a, b));
    expect(ids('to*')).not.toContain(c);
  });

  it('one- and two-letter words as whole words ("ok" is not in "book")', () => {
    const a = say('ok');
    const b = say('OK, see you');
    say('book the table');
    expect(ids('ok')).toEqual(sorted(a, b));
    expect(ids('ok see')).toEqual([b]);
  });

  it('without the accents people leave out', () => {
    const a = say('Un café, s’il vous plaît');
    const b = say('my résumé');
    expect(ids('cafe')).toEqual([a]);
    expect(ids('resume')).toEqual([b]);
    expect(ids('café')).toEqual([a]);
  });

  it('Arabic words inside the words they are joined to', () => {
    const a = say('مرحبا بك في الكتاب الجديد');
    const b = say('هذا كتابي');
    say('شكرا جزيلا');
    expect(ids('كتاب')).toEqual(sorted(a, b));
    expect(ids('"الكتاب الجديد"')).toEqual([a]);
  });

  it('Chinese words of two characters and more, and single characters', () => {
    const a = say('明天我们开会');
    const b = say('今天天气很好，明天见');
    const c = say('天气预报说明天下雨');
    expect(ids('明天')).toEqual(sorted(a, b, c));
    expect(ids('开会')).toEqual([a]);
    expect(ids('天气很好')).toEqual([b]);
    expect(ids('会')).toEqual([a]);
    expect(ids('明天 开会')).toEqual([a]);
    expect(ids('"明天见"')).toEqual([b]);
  });

  it('Japanese and Thai, which have no spaces either', () => {
    const a = say('明日は会議です');
    const b = say('พรุ่งนี้ประชุม');
    expect(ids('会議')).toEqual([a]);
    expect(ids('ประชุม')).toEqual([b]);
  });

  it('emoji, alone or in a row, with or without the variation selector', () => {
    const a = say('Party 🎉🎉 tonight 👍');
    const b = say('I ❤️ you');
    const c = say('👍🏽 sure');
    expect(ids('👍')).toEqual(sorted(a, c));
    expect(ids('🎉')).toEqual([a]);
    expect(ids('🎉🎉')).toEqual([a]);
    expect(ids('❤️')).toEqual([b]);
    expect(ids('❤')).toEqual([b]);
    expect(ids('party 👍')).toEqual([a]);
  });

  it('punctuation alone, by scanning', () => {
    const a = say('see you :)');
    say('see you');
    expect(ids(':)')).toEqual([a]);
    expect(ids('see :)')).toEqual([a]);
  });
});

describe('search never takes the query for FTS syntax', () => {
  it('searches for operators and quotes as text', () => {
    const a = say('salt AND pepper');
    const b = say('price: -10% (NEAR the end) "quoted" *star*');
    expect(ids('AND')).toEqual([a]);
    expect(ids('(NEAR')).toEqual([b]);
    expect(ids('price:')).toEqual([b]);
    expect(ids('-10%')).toEqual([b]);
    expect(ids('*star*')).toEqual([b]);
    expect(ids('"quoted"')).toEqual([b]);
    expect(ids('"\\"quoted\\""')).toEqual([]);
  });

  it('answers every odd query without an error', () => {
    say('some text with "quotes", (brackets), stars* and: colons - dashes');
    const odd = ['"', '""', '"""', '*', '**', 'a*b', '(', ')', '()', 'AND', 'OR', 'NOT', 'a OR b', 'NEAR(a b, 2)', '-', '--x', ':', 'body:', 'body : x', '^', '+', '{body}: x', "'", '\\', '%', '_', '\u0301', '\u0301\u0301\u0301', '\u200d', '\ufe0f\ufe0f\ufe0f', '  ', '"unclosed', 'a "b', '*"x"*', '"x"*', '\u0000', 'x'.repeat(2_000)];
    for (const q of odd) expect(() => search(q), JSON.stringify(q)).not.toThrow();
    // And random strings from the characters that mean something to FTS5 or LIKE.
    const alphabet = ' "*()-:^+{}%_\\\'ANDORNTabc明天👍\u0301';
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 500; i++) {
      const q = Array.from({ length: 1 + Math.floor(next() * 12) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
      expect(() => search(q), JSON.stringify(q)).not.toThrow();
    }
  });
});

describe('search filters', () => {
  it('by chat, one id or the ids one chat goes by', () => {
    const a = say('lunch?', { chat: ALICE });
    const b = say('lunch!', { chat: ALICE_LID });
    say('lunch.', { chat: BOB });
    expect(ids('lunch', { chatId: ALICE })).toEqual([a]);
    expect(ids('lunch', { chatId: [ALICE, ALICE_LID] })).toEqual(sorted(a, b));
  });

  it('by sender, by any of their ids (author, phone number, LID)', () => {
    const a = say('group plans', { chat: GROUP, author: ALICE_LID, phone: ALICE, lid: ALICE_LID });
    const b = say('group plans too', { chat: GROUP, author: ALICE });
    say('group plans three', { chat: GROUP, author: BOB });
    expect(ids('plans', { from: ALICE })).toEqual(sorted(a, b));
    expect(ids('plans', { from: ALICE_LID })).toEqual([a]);
    expect(ids('plans', { from: [ALICE, BOB] })).toHaveLength(3);
  });

  it('by date range: since inclusive, until exclusive', () => {
    const d1 = say('report day one', { t: T0 });
    const d2 = say('report day two', { t: T0 + DAY });
    const d3 = say('report day three', { t: T0 + 2 * DAY });
    expect(ids('report', { since: T0 + DAY })).toEqual(sorted(d2, d3));
    expect(ids('report', { until: T0 + DAY })).toEqual([d1]);
    expect(ids('report', { since: T0 + DAY, until: T0 + 2 * DAY })).toEqual([d2]);
    expect(ids('ok', { since: T0 + DAY })).toEqual([]);
  });

  it('leaves out messages deleted for everyone unless asked', () => {
    const a = say('secret plan');
    store.messages.revoke('default', a);
    expect(ids('secret')).toEqual([]);
    expect(ids('secret', { includeRevoked: true })).toEqual([a]);
  });
});

describe('results', () => {
  it('come ranked, with the match marked in a snippet', () => {
    const long = say(`${'filler words here and there, '.repeat(5)}the invoice is attached ${'more filler text at the end. '.repeat(5)}`);
    const short = say('invoice invoice');
    const page = search('invoice');
    expect(page.hits.map((h) => h.message.id)).toEqual([short, long]);
    expect(page.hits[0]!.score).toBeLessThan(page.hits[1]!.score!);
    expect(page.hits[0]!.snippet).toBe('[invoice] [invoice]');
    const snip = page.hits[1]!.snippet;
    expect(snip).toMatch(/^….*the \[invoice\] is attached.*…$/u);
    expect(snip.length).toBeLessThan(110);
    expect(search('invoice', { marks: ['«', '»'] }).hits[0]!.snippet).toBe('«invoice» «invoice»');
  });

  it('newest first when asked, paging by cursor without repeats', () => {
    const all = Array.from({ length: 7 }, (_, i) => say(`status update ${i}`, { t: T0 + i }));
    const seen: string[] = [];
    let before: string | undefined;
    do {
      const page = search('update', { order: 'newest', limit: 3, ...(before ? { before } : {}) });
      expect(page.hits.every((h) => h.score === null)).toBe(true);
      seen.push(...page.hits.map((h) => h.message.id));
      before = page.next ?? undefined;
    } while (before);
    expect(seen).toEqual([...all].reverse());
  });

  it('pages through every match exactly once in relevance order, across rank windows', () => {
    const n = RANK_WINDOW * 2 + 300;
    store.messages.upsertMany(
      'default',
      Array.from({ length: n }, (_, i) => ({ message: wireMessage({ body: i % 3 ? `alpha beta ${i}` : `alpha ${i}`, timestamp: T0 + i }) })),
      'history',
    );
    const seen = new Set<string>();
    let before: string | undefined;
    let pages = 0;
    do {
      const page = search('alpha', { limit: 100, ...(before ? { before } : {}) });
      expect(isSearchCursor(page.next ?? 'n_1')).toBe(true);
      for (const h of page.hits) seen.add(h.message.id);
      pages++;
      before = page.next ?? undefined;
    } while (before && pages < 100);
    expect(seen.size).toBe(n);
  });

  it('refuse a cursor they did not hand out, and a bad limit', () => {
    expect(() => search('x', { before: 'garbage' })).toThrow(RangeError);
    expect(isSearchCursor('garbage')).toBe(false);
    expect(() => search('x', { limit: 0 })).toThrow(RangeError);
    expect(() => search('x', { since: Number.NaN })).toThrow(RangeError);
  });

  it('are empty for an empty query', () => {
    say('anything');
    expect(search('   ')).toEqual({ hits: [], next: null });
  });
});
