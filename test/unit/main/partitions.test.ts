import { describe, expect, it } from 'vitest';
import { accountPartition } from '../../../src/main/partitions.js';

describe("each account's WhatsApp Web in its own persistent Electron partition", () => {
  it('keeps the default account where it always was, and gives every other account (and the demo) a partition of its own', () => {
    expect(accountPartition(false)).toBe('persist:whatsapp');
    expect(accountPartition(true)).toBe('persist:whatsapp-demo');
    expect(accountPartition(false, 'work')).toBe('persist:whatsapp-work');
    expect(accountPartition(true, 'work')).toBe('persist:whatsapp-demo-work');
    expect(new Set([accountPartition(false), accountPartition(false, 'work'), accountPartition(false, 'family'), accountPartition(true, 'work')]).size).toBe(4);
  });
});
