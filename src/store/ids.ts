import { randomBytes } from 'node:crypto';

/** Crockford's base32, as in ULID: no I, L, O or U, so ids read aloud and copy safely. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * `prefix` + 10 characters of milliseconds + 16 random characters (80 bits), ULID-like: ids
 * sort by creation time to the millisecond and never collide in practice. The store orders
 * rows by its own sequences, not by id, so a clock that steps back changes nothing.
 */
function newId(prefix: string, now: number): string {
  let time = '';
  let t = Math.floor(now);
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let random = '';
  for (const b of bytes) random += ALPHABET[b % 32];
  return `${prefix}${time}${random}`;
}

export const newOutboxId = (now: number = Date.now()) => newId('ob_', now);
export const newEventId = (now: number = Date.now()) => newId('ev_', now);
export const newWebhookId = (now: number = Date.now()) => newId('wh_', now);
export const newKeyId = (now: number = Date.now()) => newId('key_', now);
/** The Standard Webhooks `webhook-id` of one delivery: the same on every retry, so a receiver can drop duplicates. */
export const newDeliveryId = (now: number = Date.now()) => newId('msg_', now);

export const OUTBOX_ID = /^ob_[0-9A-HJKMNP-TV-Z]{26}$/;
export const EVENT_ID = /^ev_[0-9A-HJKMNP-TV-Z]{26}$/;
export const WEBHOOK_ID = /^wh_[0-9A-HJKMNP-TV-Z]{26}$/;
export const DELIVERY_ID = /^msg_[0-9A-HJKMNP-TV-Z]{26}$/;
export const KEY_ID = /^key_[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * A webhook signing secret in the Standard Webhooks form: `whsec_` + base64 of 32 random
 * bytes (the scheme asks for 24 to 64). Receivers' libraries strip the prefix and decode it.
 */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export const WEBHOOK_SECRET = /^whsec_[A-Za-z0-9+/]{32,86}={0,2}$/;
