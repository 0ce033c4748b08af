import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors.js';
import { normalizePhone, phoneToChatId } from '../../../src/core/phone.js';

describe('normalizePhone', () => {
  it.each([
    ['15551234567', '15551234567'],
    ['+1 (555) 123-4567', '15551234567'],
    ['+44 7700 900123', '447700900123'],
    ['12345678', '12345678'],
    ['123456789012345', '123456789012345'],
  ])('%s -> %s', (input, digits) => {
    expect(normalizePhone(input)).toBe(digits);
  });

  it.each([['1234567'], ['1234567890123456'], [''], ['+'], ['abc'], ['phone: none']])('rejects %j with INVALID_PHONE', (input) => {
    const err = (() => {
      try {
        normalizePhone(input);
      } catch (e) {
        return e;
      }
    })() as AppError;
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('INVALID_PHONE');
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/8-15 digits/);
  });

  it('rejects non-strings and names the field', () => {
    expect(() => normalizePhone({}, 'recipient')).toThrow(/recipient must be a string/);
  });

  it('builds the 1:1 chat id', () => {
    expect(phoneToChatId('15551234567')).toBe('15551234567@c.us');
  });
});
