import type { Ack } from '../shared/wire.js';
import type { ChatDto, Identity, MessageDto } from './session.js';
import { isSystemMessage } from './system-messages.js';

export type { Identity };

/** The fields of a whatsapp-web.js `Message` that the API shows. */
export interface MessageLike {
  id?: { _serialized?: string; fromMe?: boolean; remote?: unknown } | null;
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
  /** Wids, or their serialized form, depending on how the message reached Node. */
  mentionedIds?: unknown[] | null;
  latestEditMsgKey?: unknown;
  latestEditSenderTimestampMs?: number | null;
  /** WhatsApp Web's own attributes of the message (quotedStanzaID, size, filename, ...). */
  _data?: Record<string, unknown> | null;
}

/** Identities by the id a message names its sender with. */
export type Identities = ReadonlyMap<string, Identity>;

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

/**
 * A whatsapp-web.js message as the wire shows it. `people` holds what WhatsApp Web knows of
 * the sender's other id (phone number ↔ LID); without it, only the id the message names
 * its sender with is known.
 */
export function toMessageDto(m: MessageLike, people?: Identities): MessageDto {
  const data = m._data ?? {};
  const fromMe = Boolean(m.fromMe ?? m.id?.fromMe);
  const sender = senderOf(m);
  const identity = sender ? identityOf(sender, people) : { phone: null, lid: null };
  return {
    id: m.id?._serialized ?? null,
    from: m.from ?? null,
    to: m.to ?? null,
    author: m.author ?? null,
    from_me: fromMe,
    type: m.type ?? null,
    body: m.body ?? '',
    timestamp: typeof m.timestamp === 'number' ? m.timestamp : null,
    has_media: Boolean(m.hasMedia),
    ack: ackName(m.ack),
    quoted_message_id: quotedMessageId(m, people),
    mentioned_ids: (Array.isArray(m.mentionedIds) ? m.mentionedIds : []).map(idOf).filter((id): id is string => id !== null),
    media: m.hasMedia ? { mimetype: text(data.mimetype), filename: text(data.filename), size: count(data.size) } : null,
    edited: Boolean(m.latestEditMsgKey ?? data.latestEditMsgKey ?? m.latestEditSenderTimestampMs ?? data.latestEditSenderTimestampMs),
    revoked: m.type === 'revoked',
    sender_phone: identity.phone,
    sender_lid: identity.lid,
  };
}

/** A serialized id from a wid, a message key or a string; null for anything else. */
export function idOf(value: unknown): string | null {
  if (typeof value === 'string') return value || null;
  if (value && typeof value === 'object' && typeof (value as { _serialized?: unknown })._serialized === 'string') {
    return (value as { _serialized: string })._serialized || null;
  }
  return null;
}

/** The chat a message belongs to: its key's remote, else the side that is not us. */
export function chatIdOf(m: MessageLike): string | null {
  const fromMe = Boolean(m.fromMe ?? m.id?.fromMe);
  return idOf(m.id?.remote) ?? ((fromMe ? m.to : m.from) || null);
}

/** Who wrote a message: us for our own, the author in a group, else the chat's other side. */
export function senderOf(m: MessageLike): string | null {
  if (m.fromMe ?? m.id?.fromMe) return m.from || null;
  return m.author || m.from || null;
}

/** Both ids of the person an id names, where known; the id itself is always one of them. */
export function identityOf(id: string, people?: Identities): Identity {
  const known = people?.get(id);
  return {
    phone: known?.phone ?? (id.endsWith('@c.us') ? id : null),
    lid: known?.lid ?? (id.endsWith('@lid') ? id : null),
  };
}

function samePerson(a: string, b: string, people?: Identities): boolean {
  if (a === b) return true;
  const x = identityOf(a, people);
  const y = identityOf(b, people);
  return (x.phone !== null && x.phone === y.phone) || (x.lid !== null && x.lid === y.lid);
}

/**
 * whatsapp-web.js keeps only the parts of the quoted message's key (WhatsApp's stanza id,
 * its sender, its chat when another one); the serialized id is built from them the way
 * WhatsApp Web builds every message id: `<fromMe>_<chat>_<id>`, plus the sender in groups.
 */
function quotedMessageId(m: MessageLike, people?: Identities): string | null {
  const data = m._data ?? {};
  const stanza = text(data.quotedStanzaID);
  const chat = chatIdOf(m);
  if (!stanza || !chat) return null;
  const remote = idOf(data.quotedRemoteJid) ?? chat;
  const participant = idOf(data.quotedParticipant);
  const fromMe = Boolean(m.fromMe ?? m.id?.fromMe);
  const me = fromMe ? m.from : m.to;
  const quotedFromMe = participant !== null && Boolean(me) && samePerson(participant, me!, people);
  const base = `${quotedFromMe}_${remote}_${stanza}`;
  return remote.endsWith('@g.us') && participant ? `${base}_${participant}` : base;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value ? value : null;
}

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

/** A whatsapp-web.js chat as the port shows it; `people` as for its last message (toMessageDto). */
export function toChatDto(c: ChatLike, people?: Identities): ChatDto {
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
    // A system notice (a group change, "security code changed") is not a message anyone wrote.
    last_message: c.lastMessage && !isSystemMessage(c.lastMessage.type) ? toMessageDto(c.lastMessage, people) : null,
  };
}

const ACK_NAMES: Readonly<Record<number, Ack>> = { [-1]: 'error', 0: 'pending', 1: 'sent', 2: 'delivered', 3: 'read', 4: 'played' };

/** whatsapp-web.js's numeric ack in words; null where it gives none (messages from others have one too: ignore it there). */
export function ackName(ack: number | null | undefined): Ack | null {
  return typeof ack === 'number' ? (ACK_NAMES[ack] ?? null) : null;
}
