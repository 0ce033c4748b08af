import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors.js';
import { normalizePhone, phoneToChatId } from '../../../src/core/phone.js';

function refusal(input: unknown, field?: string): AppError {
  try {
    normalizePhone(input, field);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error(`${JSON.stringify(input)} was accepted`);
}

describe('normalizePhone', () => {
  it.each([
    ['15551234567', '15551234567'],
    ['+1 (555) 123-4567', '15551234567'],
    ['+44 7700 900123', '447700900123'],
    ['+1 555 010 0001', '15550100001'],
    ['+1.555.010.0001', '15550100001'],
    ['(+44) 7700 900123', '447700900123'],
    ['+ 44 7700 900123', '447700900123'],
    ['  +1 555 010 0001  ', '15550100001'],
    ['+1\u00a0555\u00a0010\u00a00001', '15550100001'],
    ['0015550100001', '15550100001'],
    ['00 44 7700 900123', '447700900123'],
    ['12345678', '12345678'],
    ['123456789012345', '123456789012345'],
    ['00123456789012345', '123456789012345'],
  ])('accepts %j as %s', (input, digits) => {
    expect(normalizePhone(input)).toBe(digits);
  });

  /** [input, what the message must point at] */
  it.each([
    ['+1 555 010 0001 ext. 2', /"e" at position 17 of "\+1 555 010 0001 ext\. 2"/],
    ['15550100001 x2', /"x" at position 13/],
    ["15550100001' OR 1=1 --", /"'" at position 12/],
    ['📱15550100001', /"📱" \(U\+1F4F1\) at position 1/],
    ['+1 555 010 0001 📱', /"📱" \(U\+1F4F1\) at position 17/],
    ['*15550100001#', /"\*" at position 1/],
    ['15550100001#', /"#" at position 12/],
    ['"15550100001"', /"\\"" at position 1/],
    ['tel:+15550100001', /"t" at position 1/],
    ['@15550100001', /"@" at position 1/],
    ['+1 555–010–0001', /"–" \(U\+2013\) at position 7/],
    ['１５５５０１０００１', /"１" \(U\+FF11\) at position 1/],
    ['+1\t5550100001', /U\+0009 at position 3/],
    ['1555\u200b0100001', /U\+200B at position 5/],
    ['1+5550100001', /"\+" at position 2 .*only at the very start, once/],
    ['++15550100001', /"\+" at position 2/],
    ['+1 555 010 0001, +1 555 010 0002', /"," at position 16/],
    ['call me', /"c" at position 1/],
  ])('refuses %j, naming the character and where it is', (input, names) => {
    const err = refusal(input);
    expect(err.code).toBe('INVALID_PHONE');
    expect(err.status).toBe(400);
    expect(err.message).toMatch(names);
  });

  it.each([['1234567'], ['1234567890123456'], [''], ['+'], ['  - . ( )  '], ['00'], ['001234567']])('refuses %j: 8-15 digits', (input) => {
    const err = refusal(input);
    expect(err.code).toBe('INVALID_PHONE');
    expect(err.message).toMatch(/8-15 digits including the country code/);
  });

  it.each([['07700 900123'], ['0 15550100001'], ['000 44 7700 900123'], ['+0 15550100001'], ['+0044 7700 900123']])(
    'refuses %j: a number starting with 0 has no country code',
    (input) => {
      const err = refusal(input);
      expect(err.code).toBe('INVALID_PHONE');
      expect(err.message).toMatch(/is not an international number/);
      expect(err.message).toContain('"+44 7700 900123" instead of "07700 900123"');
    },
  );

  it('regression: "+1 555 010 0001 ext. 2" was sent to 155501000012', () => {
    expect(refusal('+1 555 010 0001 ext. 2').message).toMatch(/"e" at position 17/);
  });

  it('regression: "15550100001\' OR 1=1 --" was sent to 1555010000111', () => {
    expect(refusal("15550100001' OR 1=1 --").message).toMatch(/"'" at position 12/);
  });

  it('regression: "📱15550100001" was accepted', () => {
    expect(refusal('📱15550100001').code).toBe('INVALID_PHONE');
  });

  it('regression: "0015550100001" went to 0015550100001@c.us', () => {
    expect(phoneToChatId(normalizePhone('0015550100001'))).toBe('15550100001@c.us');
  });

  it('refuses JSON numbers (they lose the "+" and "00"), naming the field', () => {
    const err = refusal(15551234567, 'recipient');
    expect(err.message).toMatch(/^recipient must be a string/);
    expect(err.details).toEqual({ fields: ['recipient'] });
    expect(refusal({}).code).toBe('INVALID_PHONE');
  });

  it('names the field it was given, and shortens a long input it echoes', () => {
    const err = refusal(`1555${'x'.repeat(100)}`, 'mentions[2]');
    expect(err.message).toMatch(/^mentions\[2\]: "x" at position 5 of "1555x{36}…"/);
    expect(err.details).toEqual({ fields: ['mentions[2]'] });
  });

  it('builds the 1:1 chat id', () => {
    expect(phoneToChatId('15551234567')).toBe('15551234567@c.us');
  });
});
