import { randomBytes } from 'node:crypto';

/** Crockford's base32, as in ULID: no I, L, O or U, so ids read aloud and copy safely. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * `ob_` + 10 characters of milliseconds + 16 random characters (80 bits), ULID-like: ids
 * sort by creation time to the millisecond and never collide in practice. The store orders
 * entries by its own sequence, not by id, so a clock that steps back changes nothing.
 */
export function newOutboxId(now: number = Date.now()): string {
  let time = '';
  let t = Math.floor(now);
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let random = '';
  for (const b of bytes) random += ALPHABET[b % 32];
  return `ob_${time}${random}`;
}

export const OUTBOX_ID = /^ob_[0-9A-HJKMNP-TV-Z]{26}$/;
