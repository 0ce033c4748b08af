import { describe, expect, it } from 'vitest';
import { toChatId } from '../../../src/app/reading.js';

describe('chat ids in reads', () => {
  it('takes phone-number, LID and group ids as they are, and phone numbers by the phone rule', () => {
    expect(toChatId('15550100001@c.us')).toBe('15550100001@c.us');
    expect(toChatId('185000000000007@lid')).toBe('185000000000007@lid');
    expect(toChatId('120363000000000001@g.us')).toBe('120363000000000001@g.us');
    expect(toChatId('+1 555 010 0001')).toBe('15550100001@c.us');
  });

  it('refuses anything else rather than guessing', () => {
    for (const v of ['15550100001@s.whatsapp.net', 'x@lid', '15550100001@lid.evil', '+1 555 010 0001 ext. 2']) {
      expect(() => toChatId(v), v).toThrow();
    }
  });
});
