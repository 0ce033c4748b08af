import type { MediaFile } from './session.js';

/**
 * Everything the bridge can send, as one union: the port has one `send(chatId, content)`,
 * and a new kind of message is a new variant here plus its case in the adapter.
 */
export type OutgoingMessage =
  | { kind: 'text'; text: string; quotedMessageId?: string; mentions?: string[]; linkPreview?: boolean }
  | {
      kind: 'media';
      file: MediaFile;
      caption?: string;
      quotedMessageId?: string;
      viewOnce?: boolean;
      asVoice?: boolean;
      asGif?: boolean;
      asDocument?: boolean;
    }
  | { kind: 'location'; latitude: number; longitude: number; name?: string; address?: string; quotedMessageId?: string }
  | { kind: 'poll'; question: string; options: string[]; allowMultipleAnswers: boolean }
  | { kind: 'forward'; messageId: string }
  | { kind: 'reaction'; messageId: string; emoji: string };

export type OutgoingKind = OutgoingMessage['kind'];
export const OUTGOING_KINDS = ['text', 'media', 'location', 'poll', 'forward', 'reaction'] as const satisfies readonly OutgoingKind[];

/**
 * The text the message shows in the chat (body, caption, poll question), or null. After a
 * crash mid-send it is what finds the message in the chat again.
 */
export function shownText(content: OutgoingMessage): string | null {
  switch (content.kind) {
    case 'text':
      return content.text;
    case 'media':
      return content.caption ?? null;
    case 'poll':
      return content.question;
    default:
      return null;
  }
}

/** The whatsapp-web.js message types a sent message of this kind shows up as in a chat. */
export function chatTypesOf(kind: OutgoingKind): readonly string[] {
  return CHAT_TYPES[kind];
}

const CHAT_TYPES: Readonly<Record<OutgoingKind, readonly string[]>> = {
  text: ['chat'],
  media: ['image', 'video', 'audio', 'ptt', 'document', 'sticker'],
  location: ['location'],
  poll: ['poll_creation'],
  // A forward is a copy of any kind; a reaction is no message of its own.
  forward: [],
  reaction: [],
};
