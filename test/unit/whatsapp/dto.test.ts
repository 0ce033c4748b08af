import { describe, expect, it } from 'vitest';
import { toChatDto, toMessageDto } from '../../../src/whatsapp/dto.js';

describe('DTO mapping', () => {
  it('maps a whatsapp-web.js message to exactly the seed fields', () => {
    const dto = toMessageDto({
      id: { _serialized: 'true_1555@c.us_ABC', fromMe: true },
      from: '1000@c.us',
      to: '1555@c.us',
      fromMe: true,
      type: 'chat',
      body: 'hi',
      timestamp: 1730812100,
      hasMedia: false,
    });
    expect(dto).toEqual({
      id: 'true_1555@c.us_ABC',
      from: '1000@c.us',
      to: '1555@c.us',
      author: null,
      from_me: true,
      type: 'chat',
      body: 'hi',
      timestamp: 1730812100,
      has_media: false,
      ack: null,
    });
  });

  it('fills gaps with null/false/"" rather than undefined', () => {
    expect(toMessageDto({})).toEqual({ id: null, from: null, to: null, author: null, from_me: false, type: null, body: '', timestamp: null, has_media: false, ack: null });
  });

  it('maps a chat with its last message', () => {
    const dto = toChatDto({
      id: { _serialized: '120363@g.us' },
      name: 'Team',
      isGroup: true,
      isReadOnly: true,
      unreadCount: 3,
      timestamp: 1730812320,
      archived: false,
      pinned: true,
      isMuted: true,
      lastMessage: { id: { _serialized: 'x' }, author: '1555@c.us', body: 'yo' },
    });
    expect(Object.keys(dto).sort()).toEqual(
      ['archived', 'id', 'is_group', 'is_read_only', 'last_message', 'muted', 'name', 'pinned', 'timestamp', 'unread_count'].sort(),
    );
    expect(dto).toMatchObject({ id: '120363@g.us', is_group: true, is_read_only: true, unread_count: 3, pinned: true, muted: true });
    expect(dto.last_message).toMatchObject({ id: 'x', author: '1555@c.us', body: 'yo' });
  });

  it('never reports a negative unread count (WhatsApp uses -1 for "marked unread")', () => {
    expect(toChatDto({ unreadCount: -1 }).unread_count).toBe(0);
  });

  it('names the delivery state of our messages as WhatsApp Web reports it', () => {
    expect([-1, 0, 1, 2, 3, 4, 7, undefined].map((ack) => toMessageDto({ ack }).ack)).toEqual(['error', 'pending', 'sent', 'delivered', 'read', 'played', null, null]);
  });
});
