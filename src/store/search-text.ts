/**
 * Text handling for the message search (pure): what goes into the word index, and the
 * highlighted snippet of a hit. FTS5 cannot highlight contentless tables, and a snippet must
 * mark what either index matched, so snippets are made here.
 */

/**
 * Scripts written without spaces between words. SQLite's unicode61 tokenizer would take a
 * whole Chinese sentence for one word; here each character becomes a token of its own, so a
 * word of any length is found as a phrase of its characters ("明天" → "明 天").
 */
const UNSPACED = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Thai}\\p{Script=Lao}\\p{Script=Khmer}\\p{Script=Myanmar}';
const EMOJI = '\\p{Extended_Pictographic}|\\p{Regional_Indicator}';
const SEGMENT = new RegExp(`(${EMOJI})|([${UNSPACED}])|[\\u200d\\ufe0f\\p{Emoji_Modifier}]`, 'gu');
const TOKEN_CHAR = /[\p{L}\p{N}]/u;

/**
 * The text the word index is given for a body (and for a query term, so both are cut the
 * same way): unspaced scripts one character per token, and each emoji as a word of its own
 * (unicode61 drops symbols), e.g. "👍" → "emoji1f44d". Joiners, variation selectors and
 * skin tones go, so "👍🏽" is found by "👍".
 */
export function wordsText(text: string): string {
  return text.normalize('NFC').replace(SEGMENT, (_m, emoji: string | undefined, char: string | undefined) => {
    if (emoji !== undefined) return ` emoji${emoji.codePointAt(0)!.toString(16)} `;
    return char !== undefined ? ` ${char} ` : ' ';
  });
}

/** Whether the word index would find any token in `text` (else only a LIKE can). */
export function hasWordToken(text: string): boolean {
  return TOKEN_CHAR.test(wordsText(text));
}

/** How a term matched, which decides what the snippet marks. */
export type HighlightMode = 'substring' | 'word' | 'prefix';
export interface HighlightTerm {
  text: string;
  mode: HighlightMode;
}

interface Folded {
  text: string;
  /** For each UTF-16 unit of `text`: where the character it came from starts and ends in the original. */
  start: number[];
  end: number[];
}

/** Lower case without diacritics, as both indexes compare, with a map back to the original. */
function fold(s: string): Folded {
  const out: Folded = { text: '', start: [], end: [] };
  let i = 0;
  for (const ch of s) {
    const f = ch.charCodeAt(0) < 128 ? ch.toLowerCase() : ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    for (let k = 0; k < f.length; k++) {
      out.start.push(i);
      out.end.push(i + ch.length);
    }
    out.text += f;
    i += ch.length;
  }
  return out;
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const UNSPACED_CHAR = new RegExp(`^(?:${EMOJI}|[${UNSPACED}])$`, 'u');
/** The pieces of a term the word index matched: runs of letters, single unspaced characters and emoji. */
const PIECES = new RegExp(`(?:${EMOJI}|[${UNSPACED}])|(?:(?![${UNSPACED}])[\\p{L}\\p{N}\\p{M}])+`, 'gu');

/** Whether the character just before (or at) `at` is not part of a word. */
function isBoundary(s: string, at: number, before: boolean): boolean {
  const i = before ? at - (at >= 2 && isLowSurrogate(s.charCodeAt(at - 1)) ? 2 : 1) : at;
  const cp = i >= 0 ? s.codePointAt(i) : undefined;
  return cp === undefined || !WORD_CHAR.test(String.fromCodePoint(cp));
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

type Range = [number, number];

/** A word of a spaced script must start (and end) at a word boundary; an unspaced character or a symbol need not. */
const needsBoundary = (ch: string) => WORD_CHAR.test(ch) && !UNSPACED_CHAR.test(ch);

function find(body: Folded, original: string, needle: string, mode: HighlightMode, ranges: Range[]): void {
  const chars = [...needle];
  if (chars.length === 0) return;
  const checkStart = mode !== 'substring' && needsBoundary(chars[0]!);
  const checkEnd = mode === 'word' && needsBoundary(chars.at(-1)!);
  for (let at = body.text.indexOf(needle); at >= 0; at = body.text.indexOf(needle, at + needle.length)) {
    const from = body.start[at]!;
    const to = body.end[at + needle.length - 1]!;
    if ((!checkStart || isBoundary(original, from, true)) && (!checkEnd || isBoundary(original, to, false))) ranges.push([from, to]);
  }
}

/** Where the terms occur in `body`, merged and in order (original string offsets). */
export function highlights(body: string, terms: readonly HighlightTerm[]): Range[] {
  const folded = fold(body);
  const ranges: Range[] = [];
  for (const term of terms) {
    if (term.mode === 'substring') {
      find(folded, body, fold(term.text.normalize('NFC')).text, 'substring', ranges);
      continue;
    }
    // The term as written first; failing that (the index also joins words across punctuation
    // and spacing) each of its pieces.
    const count = ranges.length;
    find(folded, body, fold(term.text.normalize('NFC')).text, term.mode, ranges);
    if (ranges.length > count) continue;
    const pieces = term.text.normalize('NFC').match(PIECES) ?? [];
    pieces.forEach((p, i) => find(folded, body, fold(p).text, term.mode === 'prefix' && i === pieces.length - 1 ? 'prefix' : 'word', ranges));
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: Range[] = [];
  for (const r of ranges) {
    const last = merged.at(-1);
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/** Moves an offset off the second half of a surrogate pair, so a cut never splits a character. */
function clampToChar(s: string, at: number): number {
  return isLowSurrogate(s.charCodeAt(at)) ? at - 1 : at;
}

export const SNIPPET_CHARS = 96;
export const DEFAULT_MARKS: readonly [string, string] = ['[', ']'];

/**
 * The part of `body` around the first match (all of it when short), each match wrapped in
 * `marks`, "…" where it was cut. Marking is best effort: the index decides what matches.
 */
export function snippet(body: string, terms: readonly HighlightTerm[], marks: readonly [string, string] = DEFAULT_MARKS, width = SNIPPET_CHARS): string {
  const ranges = highlights(body, terms);
  let from = 0;
  let to = body.length;
  if (body.length > width) {
    const first = ranges[0]?.[0] ?? 0;
    from = clampToChar(body, Math.max(0, Math.min(first - Math.floor(width / 3), body.length - width)));
    to = clampToChar(body, Math.min(body.length, from + width));
  }
  let out = from > 0 ? '…' : '';
  let at = from;
  for (const [s, e] of ranges) {
    if (e <= from || s >= to) continue;
    const cs = Math.max(s, from);
    const ce = Math.min(e, to);
    out += body.slice(at, cs) + marks[0] + body.slice(cs, ce) + marks[1];
    at = ce;
  }
  out += body.slice(at, to);
  return to < body.length ? `${out}…` : out;
}
