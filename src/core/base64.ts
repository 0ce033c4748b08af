const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * What keeps `text` from being standard, padded base64 (RFC 4648 §4), in words; null when
 * it is. Strict on purpose: a decoder that skips what it does not understand turns a
 * damaged file into a different file without a word.
 */
export function base64Problem(text: string): string | null {
  const bad = text.search(/[^A-Za-z0-9+/=]/);
  if (bad >= 0) {
    const c = text.codePointAt(bad)!;
    const shown = c > 0x20 && c < 0x7f ? JSON.stringify(String.fromCodePoint(c)) : `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
    return `has ${shown} at position ${bad + 1}: base64 is only A-Z, a-z, 0-9, "+", "/" and "=" at the end (no spaces, line breaks or data: prefix)`;
  }
  if (text.length % 4 !== 0) return `is ${text.length} characters long: base64 comes in groups of 4, padded at the end with "="`;
  const pad = text.indexOf('=');
  if (pad >= 0 && !/^={1,2}$/.test(text.slice(pad))) return `has "=" at position ${pad + 1}: "=" only pads the end, once or twice`;
  // The character before the padding carries bits beyond the end of the file: they must be 0.
  const padding = pad < 0 ? 0 : text.length - pad;
  const last = padding ? ALPHABET.indexOf(text[text.length - padding - 1]!) : 0;
  if ((padding === 2 && last & 0b1111) || (padding === 1 && last & 0b11)) {
    return `does not end as an encoder writes it (position ${text.length - padding}): the data was cut or changed`;
  }
  return null;
}
