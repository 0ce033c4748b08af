import { AppError } from './errors.js';

export const PHONE_MIN_DIGITS = 8;
export const PHONE_MAX_DIGITS = 15;

/**
 * Strips everything but digits ("+44 7700 900123" -> "447700900123") and checks the
 * length an international number can have (E.164: at most 15 digits).
 */
export function normalizePhone(input: unknown, field = 'phone_number'): string {
  if (typeof input !== 'string' && typeof input !== 'number') {
    throw new AppError('INVALID_PHONE', `${field} must be a string with the country code, e.g. "+15551234567"`, { field });
  }
  const digits = String(input).replace(/\D/g, '');
  if (digits.length < PHONE_MIN_DIGITS || digits.length > PHONE_MAX_DIGITS) {
    throw new AppError(
      'INVALID_PHONE',
      `${field} must have ${PHONE_MIN_DIGITS}-${PHONE_MAX_DIGITS} digits including the country code (got ${digits.length}), e.g. "+15551234567"`,
      { field },
    );
  }
  return digits;
}

export function phoneToChatId(digits: string): string {
  return `${digits}@c.us`;
}
