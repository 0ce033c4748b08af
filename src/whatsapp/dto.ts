import type { Ack } from '../shared/wire.js';
import type { ChatDto, MessageDto } from './session.js';

/** The fields of a whatsapp-web.js `Message` that the API shows. */
export interface MessageLike {
  id?: { _serialized?: string; fromMe?: boolean } | null;
  from?: string | null;
  to?: string | null;
  author?: string | null;
  fromMe?: boolean;
  type?: string | null;
  body?: string | null;
  timestamp?: number | null;
  hasMedia?: boolean;
  /** -1 error, 0 pending, 1 server, 2 device, 3 read, 4 played. */
  ack?: number | null;
}

/** The fields of a whatsapp-web.js `Chat` that the API shows. */
export interface ChatLike {
  id?: { _serialized?: string } | null;
  name?: string | null;
  isGroup?: boolean;
  isReadOnly?: boolean;
  unreadCount?: number;
  timestamp?: number | null;
  archived?: boolean;
  pinned?: boolean;
  isMuted?: boolean;
  lastMessage?: MessageLike | null;
}

export function toMessageDto(m: MessageLike): MessageDto {
  return {
    id: m.id?._serialized ?? null,
    from: m.from ?? null,
    to: m.to ?? null,
    author: m.author ?? null,
    from_me: Boolean(m.fromMe ?? m.id?.fromMe),
    type: m.type ?? null,
    body: m.body ?? '',
    timestamp: typeof m.timestamp === 'number' ? m.timestamp : null,
    has_media: Boolean(m.hasMedia),
    ack: ackName(m.ack),
  };
}

export function toChatDto(c: ChatLike): ChatDto {
  return {
    id: c.id?._serialized ?? null,
    name: c.name ?? null,
    is_group: Boolean(c.isGroup),
    is_read_only: Boolean(c.isReadOnly),
    unread_count: Math.max(0, c.unreadCount ?? 0),
    timestamp: typeof c.timestamp === 'number' ? c.timestamp : null,
    archived: Boolean(c.archived),
    pinned: Boolean(c.pinned),
    muted: Boolean(c.isMuted),
    last_message: c.lastMessage ? toMessageDto(c.lastMessage) : null,
  };
}

const ACK_NAMES: Readonly<Record<number, Ack>> = { [-1]: 'error', 0: 'pending', 1: 'sent', 2: 'delivered', 3: 'read', 4: 'played' };

/** whatsapp-web.js's numeric ack in words; null where it gives none (messages from others have one too: ignore it there). */
export function ackName(ack: number | null | undefined): Ack | null {
  return typeof ack === 'number' ? (ACK_NAMES[ack] ?? null) : null;
}
