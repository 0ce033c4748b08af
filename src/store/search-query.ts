/**
 * What a person types into the search box, turned into an FTS5 query (pure). Nothing the
 * user types is FTS5 syntax: every term is quoted, so `AND`, `-`, `:`, `(`, `*` in the
 * middle of a word, or a stray `"` are searched for as text and never make SQLite fail.
 *
 *   word       the word (see the index for the exact sense)
 *   "a b c"    the phrase, exactly (an unclosed quote runs to the end)
 *   word*      words starting with it
 *   a b        both (terms are always ANDed)
 */
import { hasWordToken, wordsText, type HighlightTerm } from './search-text.js';

export interface QueryTerm {
  text: string;
  phrase: boolean;
  prefix: boolean;
}

/** The trigram tokenizer cannot match anything shorter. */
export const TRIGRAM_MIN_CHARS = 3;

export function parseQuery(q: string): QueryTerm[] {
  const s = q.normalize('NFC');
  const terms: QueryTerm[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/u.test(s[i]!)) i++;
    if (i >= s.length) break;
    if (s[i] === '"') {
      let end = s.indexOf('"', i + 1);
      if (end < 0) end = s.length;
      const text = s.slice(i + 1, end).trim();
      i = end + 1;
      const prefix = s[i] === '*';
      if (prefix) i++;
      if (text) terms.push({ text, phrase: true, prefix });
      continue;
    }
    let end = i;
    while (end < s.length && !/\s/u.test(s[end]!)) end++;
    const word = s.slice(i, end);
    i = end;
    const stem = word.replace(/\*+$/u, '');
    // A word of stars alone is text to look for, not an operator.
    if (stem && stem !== word) terms.push({ text: stem, phrase: false, prefix: true });
    else terms.push({ text: word, phrase: false, prefix: false });
  }
  return terms;
}

export type SearchIndex = 'trigram' | 'words';

export interface QueryPlan {
  /** Which full-text index answers, or null when only a scan with LIKE can (punctuation alone). */
  index: SearchIndex | null;
  /** The FTS5 MATCH expression for that index. */
  match: string | null;
  /** LIKE patterns (ESCAPE '\') every hit must also satisfy: terms neither index can see. */
  likes: string[];
  highlight: HighlightTerm[];
}

/** An FTS5 string: anything inside double quotes is text, a quote is doubled. */
const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
const like = (s: string) => `%${s.replace(/[\\%_]/gu, (c) => `\\${c}`)}%`;
const chars = (s: string) => [...s].length;

/**
 * Picks the index. Every term of 3+ characters: the trigram index (substrings in any script:
 * "كتاب" finds "الكتاب", "meet" finds "meeting", a phrase is an exact substring). Any shorter
 * term: the whole query goes to the word index instead (whole words and prefixes;
 * Chinese/Japanese/Thai by character, so the 2-character "明天" is found; emoji), because
 * combining two FTS indexes in one query is slow, and one- and two-letter terms make poor
 * substrings anyway ("ok" would match "book"). Terms without a letter, digit or emoji
 * (":)", "-") are matched with LIKE on the rows the other terms find.
 */
export function planQuery(terms: readonly QueryTerm[]): QueryPlan | null {
  if (terms.length === 0) return null;
  if (terms.every((t) => chars(t.text) >= TRIGRAM_MIN_CHARS)) {
    return {
      index: 'trigram',
      match: terms.map((t) => quote(t.text)).join(' AND '),
      likes: [],
      highlight: terms.map((t) => ({ text: t.text, mode: 'substring' })),
    };
  }
  const exprs: string[] = [];
  const likes: string[] = [];
  const highlight: HighlightTerm[] = [];
  for (const t of terms) {
    if (hasWordToken(t.text)) {
      exprs.push(`${quote(wordsText(t.text).trim().replace(/\s+/gu, ' '))}${t.prefix ? ' *' : ''}`);
      highlight.push({ text: t.text, mode: t.prefix ? 'prefix' : 'word' });
    } else {
      likes.push(like(t.text));
      highlight.push({ text: t.text, mode: 'substring' });
    }
  }
  return { index: exprs.length ? 'words' : null, match: exprs.length ? exprs.join(' AND ') : null, likes, highlight };
}
