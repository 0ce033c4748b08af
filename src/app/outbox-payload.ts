import { createHash } from 'node:crypto';
import type { MediaFile } from '../whatsapp/session.js';
import type { OutgoingMessage } from '../whatsapp/outgoing.js';

/**
 * What the outbox records of a message: the content without file bytes (those go to the
 * media spool), so that a send queued or in flight when the bridge stops can be rebuilt.
 */
export type StoredContent = Exclude<OutgoingMessage, { kind: 'media' }> | (Omit<Extract<OutgoingMessage, { kind: 'media' }>, 'file'> & { file: { mimetype: string; filename: string | null } });

export function toStored(content: OutgoingMessage): { payload: StoredContent; files: Buffer[] } {
  if (content.kind !== 'media') return { payload: content, files: [] };
  const { file, ...rest } = content;
  return { payload: { ...rest, file: { mimetype: file.mimetype, filename: file.filename } }, files: [file.data] };
}

export function fromStored(payload: StoredContent, files: readonly (Buffer | null)[]): OutgoingMessage | null {
  if (payload.kind !== 'media') return payload;
  const data = files[0];
  if (!data) return null;
  const file: MediaFile = { data, mimetype: payload.file.mimetype, filename: payload.file.filename };
  return { ...payload, file };
}

/**
 * A fingerprint of what was asked: the same idempotency key with a different request is a
 * conflict, not a replay. Keys are sorted so that field order does not matter.
 */
export function requestHash(chatId: string, content: OutgoingMessage): string {
  const h = createHash('sha256');
  const { payload, files } = toStored(content);
  h.update(canonical({ chatId, payload }));
  for (const f of files) h.update(createHash('sha256').update(f).digest());
  return h.digest('hex');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
