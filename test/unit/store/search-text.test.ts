import { describe, expect, it } from 'vitest';
import { parseQuery, planQuery } from '../../../src/store/search-query.js';
import { snippet, wordsText } from '../../../src/store/search-text.js';

describe('parseQuery', () => {
  it('splits words, keeps phrases whole, and reads a trailing * as a prefix', () => {
    expect(parseQuery('lunch "see you" tom* ')).toEqual([
      { text: 'lunch', phrase: false, prefix: false },
      { text: 'see you', phrase: true, prefix: false },
      { text: 'tom', phrase: false, prefix: true },
    ]);
  });

  it('runs an unclosed quote to the end and keeps quotes inside a word as text', () => {
    expect(parseQuery('"see you')).toEqual([{ text: 'see you', phrase: true, prefix: false }]);
    expect(parseQuery('5" screen')).toEqual([
      { text: '5"', phrase: false, prefix: false },
      { text: 'screen', phrase: false, prefix: false },
    ]);
  });

  it('takes stars alone and operators as words to look for', () => {
    expect(parseQuery('* AND -x')).toEqual([
      { text: '*', phrase: false, prefix: false },
      { text: 'AND', phrase: false, prefix: false },
      { text: '-x', phrase: false, prefix: false },
    ]);
  });

  it('splits on the ideographic space too', () => {
    expect(parseQuery('明天\u3000开会').map((t) => t.text)).toEqual(['明天', '开会']);
  });
});

describe('planQuery', () => {
  it('sends a query of 3+ character terms to the trigram index, every term quoted', () => {
    expect(planQuery(parseQuery('meeting "he said" 5"screen'))).toMatchObject({ index: 'trigram', match: '"meeting" AND "he said" AND "5""screen"', likes: [] });
  });

  it('sends a query with a shorter term to the word index, unspaced scripts by character', () => {
    expect(planQuery(parseQuery('明天 ok to*'))).toMatchObject({ index: 'words', match: '"明 天" AND "ok" AND "to" *' });
  });

  it('matches terms without letters with LIKE, escaping its wildcards', () => {
    expect(planQuery(parseQuery('ok %_'))).toMatchObject({ index: 'words', match: '"ok"', likes: ['%\\%\\_%'] });
    expect(planQuery(parseQuery(':)'))).toMatchObject({ index: null, match: null, likes: ['%:)%'] });
  });

  it('has nothing to do for an empty query', () => {
    expect(planQuery(parseQuery('  '))).toBeNull();
  });
});

describe('wordsText', () => {
  it('cuts unspaced scripts into characters and turns emoji into words, skin tones dropped', () => {
    expect(wordsText('明天见 ok 👍🏽❤️').split(/\s+/u).filter(Boolean)).toEqual(['明', '天', '见', 'ok', 'emoji1f44d', 'emoji2764']);
  });
});

describe('snippet', () => {
  it('marks whole words for word terms and substrings for trigram terms', () => {
    expect(snippet('ok, book it', [{ text: 'ok', mode: 'word' }])).toBe('[ok], book it');
    expect(snippet('ok, book it', [{ text: 'ok', mode: 'substring' }])).toBe('[ok], bo[ok] it');
    expect(snippet('Tomorrow tom', [{ text: 'tom', mode: 'prefix' }])).toBe('[Tom]orrow [tom]');
  });

  it('maps matches without accents back onto the accented text', () => {
    expect(snippet('Un café noir', [{ text: 'cafe', mode: 'substring' }])).toBe('Un [café] noir');
  });

  it('cuts a long body around the first match without splitting an emoji', () => {
    const body = `${'😀'.repeat(60)} needle ${'😀'.repeat(60)}`;
    const s = snippet(body, [{ text: 'needle', mode: 'substring' }], ['[', ']'], 40);
    expect(s).toMatch(/^…😀+ \[needle\] 😀+…$/u);
    expect(s).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/u);
  });

  it('returns the start of the body when nothing can be marked', () => {
    expect(snippet('short', [{ text: 'zzz', mode: 'substring' }])).toBe('short');
  });
});
