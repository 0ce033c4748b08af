import type { Ack, MessageDto } from '../shared/wire.js';
import { bool, int, json, optInt, optText, text, type Row } from './columns.js';

/** How the store first learned of a message. */
export const MESSAGE_SOURCES = ['live', 'sent', 'history', 'backfill'] as const;
export type MessageSource = (typeof MESSAGE_SOURCES)[number];

export interface MessageMedia {
  mimetype: string | null;
  filename: string | null;
  /** Bytes, when WhatsApp Web says. */
  size: number | null;
}

/** A previous text of an edited message. */
export interface MessageEdit {
  body: string;
  /** When it was replaced (WhatsApp's edit time, ms). */
  at: number;
}

/**
 * One copy of a message as the app layer hands it over: the wire object plus what the
 * wire object does not carry (yet). Everything but `message` is optional: what is unknown
 * is left as it was when the message is already stored.
 */
export interface IncomingMessage {
  /** The wire object as given (`MessageDto` or a superset of it); kept whole as `raw`. */
  message: MessageDto;
  /** The chat it belongs to; by default `to` for our own messages, else `from`. */
  chatId?: string;
  /** The author's phone-number id (`<digits>@c.us`) and LID (`<digits>@lid`), when known: one person, two ids. */
  senderPhone?: string | null;
  senderLid?: string | null;
  quotedId?: string | null;
  mentions?: readonly string[];
  media?: MessageMedia | null;
  /**
   * WhatsApp's time of the copy's latest edit (ms; whatsapp-web.js
   * `latestEditSenderTimestampMs`). A copy replaces the stored text only when its edit is
   * newer, so a stale copy (an import, a replay) never undoes an edit.
   */
  editedAt?: number | null;
  /** Deleted for everyone (also implied by the wire type `revoked`). */
  revoked?: boolean;
}

/** A message as stored: the merged state of every copy and change seen. */
export interface StoredMessage {
  account: string;
  id: string;
  chatId: string;
  fromMe: boolean;
  /** The author in groups, else `from`. */
  sender: string | null;
  senderPhone: string | null;
  senderLid: string | null;
  type: string | null;
  body: string;
  /** WhatsApp's, in seconds (the store's clock when the copy had none). */
  timestamp: number;
  ack: Ack | null;
  quotedId: string | null;
  mentions: string[];
  hasMedia: boolean;
  media: MessageMedia | null;
  edited: boolean;
  editedAt: number | null;
  /** Earlier texts, oldest first (at most MAX_EDITS). */
  edits: MessageEdit[];
  /** Deleted for everyone. The text is kept (see README: search leaves such messages out by default). */
  revoked: boolean;
  revokedAt: number | null;
  source: MessageSource;
  /**
   * The wire object as given: the first copy, or the newer edited copy that replaced the
   * text. Acks, edit events and deletions update the columns above, not this.
   */
  raw: MessageDto;
  insertedAt: number;
  updatedAt: number;
}

/** Edits kept per message: WhatsApp allows a few within minutes, this only bounds a row's size. */
export const MAX_EDITS = 20;

const T = 'messages';
const ACK_VALUES: readonly string[] = ['error', 'pending', 'sent', 'delivered', 'read', 'played'];
const isAck = (v: string | null): v is Ack => v !== null && ACK_VALUES.includes(v);
const isSource = (v: string): v is MessageSource => (MESSAGE_SOURCES as readonly string[]).includes(v);

export function toMessage(row: Row): StoredMessage {
  const ack = optText(row, T, 'ack');
  const source = text(row, T, 'source');
  if (!isSource(source)) throw new TypeError(`messages.source: unknown source "${source}"`);
  const media = optText(row, T, 'media');
  return {
    account: text(row, T, 'account'),
    id: text(row, T, 'id'),
    chatId: text(row, T, 'chat_id'),
    fromMe: bool(row, T, 'from_me'),
    sender: optText(row, T, 'sender'),
    senderPhone: optText(row, T, 'sender_phone'),
    senderLid: optText(row, T, 'sender_lid'),
    type: optText(row, T, 'type'),
    body: text(row, T, 'body'),
    timestamp: int(row, T, 'timestamp'),
    ack: isAck(ack) ? ack : null,
    quotedId: optText(row, T, 'quoted_id'),
    mentions: json(row, T, 'mentions') as string[],
    hasMedia: bool(row, T, 'has_media'),
    media: media === null ? null : (JSON.parse(media) as MessageMedia),
    edited: bool(row, T, 'edited'),
    editedAt: optInt(row, T, 'edited_at'),
    edits: json(row, T, 'edits') as MessageEdit[],
    revoked: bool(row, T, 'revoked'),
    revokedAt: optInt(row, T, 'revoked_at'),
    source,
    // Written only from the typed API's MessageDto (see IncomingMessage), so it reads back as one.
    raw: json(row, T, 'raw') as MessageDto,
    insertedAt: int(row, T, 'inserted_at'),
    updatedAt: int(row, T, 'updated_at'),
  };
}

/** The columns written from a StoredMessage (all but `ord`), as named in toParams. */
export const MESSAGE_COLUMNS = [
  'account', 'id', 'chat_id', 'from_me', 'sender', 'sender_phone', 'sender_lid', 'type', 'body', 'timestamp', 'ack', 'quoted_id',
  'mentions', 'has_media', 'media', 'edited', 'edited_at', 'edits', 'revoked', 'revoked_at', 'source', 'raw', 'inserted_at', 'updated_at',
] as const;

/** Named parameters for the INSERT/UPDATE of a message row. */
export function toParams(m: StoredMessage): Record<(typeof MESSAGE_COLUMNS)[number], string | number | null> {
  return {
    account: m.account,
    id: m.id,
    chat_id: m.chatId,
    from_me: m.fromMe ? 1 : 0,
    sender: m.sender,
    sender_phone: m.senderPhone,
    sender_lid: m.senderLid,
    type: m.type,
    body: m.body,
    timestamp: m.timestamp,
    ack: m.ack,
    quoted_id: m.quotedId,
    mentions: JSON.stringify(m.mentions),
    has_media: m.hasMedia ? 1 : 0,
    media: m.media === null ? null : JSON.stringify(m.media),
    edited: m.edited ? 1 : 0,
    edited_at: m.editedAt,
    edits: JSON.stringify(m.edits),
    revoked: m.revoked ? 1 : 0,
    revoked_at: m.revokedAt,
    source: m.source,
    raw: JSON.stringify(m.raw),
    inserted_at: m.insertedAt,
    updated_at: m.updatedAt,
  };
}
