import { AppError } from './errors.js';

export const PHONE_MIN_DIGITS = 8;
export const PHONE_MAX_DIGITS = 15;

/** The rule in words, for API docs and tool descriptions. */
export const PHONE_RULE =
  `An international number with its country code, as a string: "+15551234567", "+1 (555) 123-4567" or "0015551234567". ` +
  `Spaces, "-", ".", "(", ")", one leading "+" and a leading "00" are ignored; anything else (letters, "ext", "*", "#", a "+" further in) is refused, never dropped. ` +
  `${PHONE_MIN_DIGITS}-${PHONE_MAX_DIGITS} digits; a number starting with 0 has no country code and is refused.`;

/** What people write between the digits of a number (the no-break space comes with copy and paste). */
const SEPARATORS = new Set([' ', '\u00a0', '-', '.', '(', ')']);
const EXAMPLE = '"+15551234567"';

/**
 * Reads a phone number as people write it ("+44 7700 900123", "0044 (7700) 900-123") and
 * returns its digits ("447700900123"). Only separators are ignored: anything else is
 * refused, because a number "cleaned" into other digits sends a message to someone else,
 * and a sent message cannot be taken back.
 */
export function normalizePhone(input: unknown, field = 'phone_number'): string {
  if (typeof input !== 'string') {
    // A JSON number loses what tells a country code apart ("+", "00"): the API takes strings only.
    throw invalid(field, `${field} must be a string with the country code, e.g. ${EXAMPLE}`);
  }
  let digits = '';
  let plus = false;
  // Code points, so that an emoji counts as one position.
  for (const [i, c] of Array.from(input).entries()) {
    if (c >= '0' && c <= '9') digits += c;
    else if (c === '+') {
      if (plus || digits) throw invalid(field, `${field}: "+" at position ${i + 1} of ${quote(input)}: a "+" belongs only at the very start, once, before the country code, e.g. ${EXAMPLE}`);
      plus = true;
    } else if (!SEPARATORS.has(c)) {
      throw invalid(
        field,
        `${field}: ${describeChar(c)} at position ${i + 1} of ${quote(input)} is not part of a phone number. Give only the number with its country code, e.g. ${EXAMPLE}; spaces, "-", ".", "(", ")" and a leading "+" are fine.`,
      );
    }
  }
  const international = !plus && digits.startsWith('00') ? digits.slice(2) : digits;
  if (international.length < PHONE_MIN_DIGITS || international.length > PHONE_MAX_DIGITS) {
    throw invalid(field, `${field} must have ${PHONE_MIN_DIGITS}-${PHONE_MAX_DIGITS} digits including the country code (got ${international.length}), e.g. ${EXAMPLE}`);
  }
  if (international.startsWith('0')) {
    const why = plus || digits !== international ? 'a country code never starts with 0' : 'it starts with 0, the way numbers are dialled within a country';
    throw invalid(
      field,
      `${field} ${quote(input)} is not an international number: ${why}. Write the country code instead of the leading 0, e.g. "+44 7700 900123" instead of "07700 900123".`,
    );
  }
  return international;
}

export function phoneToChatId(digits: string): string {
  return `${digits}@c.us`;
}

function invalid(field: string, message: string): AppError {
  return new AppError('INVALID_PHONE', message, { fields: [field] });
}

/** The input as typed, shortened: it is echoed back only to point at the mistake. */
function quote(input: string): string {
  const chars = Array.from(input);
  return JSON.stringify(chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : input);
}

/** ASCII as itself; other characters with their code point, since "–" and "-" look alike; invisible ones by code point only. */
function describeChar(c: string): string {
  if (/^[\x21-\x7e]$/.test(c)) return JSON.stringify(c);
  const code = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(c) ? `${JSON.stringify(c)} (${code})` : code;
}
