import { realpath, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../core/errors.js';
import type { MediaFile } from '../whatsapp/session.js';

export type MediaKind = 'image' | 'video' | 'audio' | 'document';

const MiB = 1024 * 1024;

/** Per-file size and per-request count, by what WhatsApp makes of the file. */
export const MEDIA_LIMITS: Record<MediaKind, { maxBytes: number; maxFiles: number }> = {
  image: { maxBytes: 16 * MiB, maxFiles: 10 },
  video: { maxBytes: 64 * MiB, maxFiles: 5 },
  audio: { maxBytes: 16 * MiB, maxFiles: 5 },
  document: { maxBytes: 64 * MiB, maxFiles: 5 },
};
export const MAX_MEDIA_FILES = 10;
/** All files of one request together; whatsapp-web.js hands each to the page as base64. */
export const MAX_MEDIA_REQUEST_BYTES = 64 * MiB;

export interface MediaSource {
  data?: string | undefined;
  path?: string | undefined;
  mimetype?: string | undefined;
  filename?: string | undefined;
}

export interface CheckedMedia extends MediaFile {
  kind: MediaKind;
}

export interface MediaFlags {
  asVoice?: boolean | undefined;
  asGif?: boolean | undefined;
  asDocument?: boolean | undefined;
  viewOnce?: boolean | undefined;
}

const mb = (n: number): string => `${Math.round(n / MiB)} MiB`;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function kindOf(mimetype: string): MediaKind {
  const top = mimetype.split('/')[0];
  return top === 'image' || top === 'video' || top === 'audio' ? top : 'document';
}

/** MP4 and similar containers hold sound or pictures; the sniffer cannot tell which was meant. */
const AMBIGUOUS_CONTAINERS = new Set(['video/mp4', 'audio/mp4', 'audio/x-m4a', 'video/quicktime', 'video/3gpp', 'audio/ogg', 'video/ogg', 'video/webm', 'audio/webm']);

/**
 * Reads one file (base64 or a path inside an allowed folder), finds its type, and checks
 * that what it claims to be is what it is: a "photo" that is not an image is a 415.
 */
export async function resolveMedia(src: MediaSource, index: number, mediaDirs: readonly string[]): Promise<CheckedMedia> {
  const field = `media[${index}]`;
  if ((src.data === undefined) === (src.path === undefined)) {
    throw new AppError('VALIDATION_ERROR', `${field}: give exactly one of data (base64) or path`, { fields: [field] });
  }
  let data: Buffer;
  let filename = src.filename ?? null;
  if (src.data !== undefined) {
    const clean = src.data.replace(/^data:[^;,]+;base64,/, '').replace(/\s+/g, '');
    if (!BASE64.test(clean) || clean.length % 4 === 1) {
      throw new AppError('VALIDATION_ERROR', `${field}.data is not base64`, { fields: [`${field}.data`] });
    }
    data = Buffer.from(clean, 'base64');
  } else {
    const file = await allowedFile(src.path!, field, mediaDirs);
    data = await readFile(file);
    filename ??= path.basename(file);
  }
  if (data.length === 0) throw new AppError('VALIDATION_ERROR', `${field} is empty`, { fields: [field] });

  const sniffed = (await fileTypeFromBuffer(data))?.mime ?? null;
  const mimetype = (src.mimetype ?? sniffed ?? 'application/octet-stream').toLowerCase();
  const kind = kindOf(mimetype);
  if (kind !== 'document' && sniffed !== mimetype) {
    const fits = sniffed !== null && (kindOf(sniffed) === kind || (AMBIGUOUS_CONTAINERS.has(sniffed) && AMBIGUOUS_CONTAINERS.has(mimetype)));
    if (!fits) {
      throw new AppError(
        'UNSUPPORTED_MEDIA_TYPE',
        `${field} says ${mimetype} but its content is ${sniffed ? `${sniffed}` : 'not a recognisable file of that kind'}. Send it with its real type, or as a document.`,
        { fields: [field] },
      );
    }
  }
  const { maxBytes } = MEDIA_LIMITS[kind];
  if (data.length > maxBytes) {
    throw new AppError('PAYLOAD_TOO_LARGE', `${field} is ${mb(data.length)}; a ${kind} may be at most ${mb(maxBytes)}.`, { fields: [field] });
  }
  // A sniffed type of the same kind is the more exact name ("image/jpg" is really image/jpeg).
  const exact = sniffed && kindOf(sniffed) === kind ? sniffed : mimetype;
  return { data, mimetype: exact, filename, kind };
}

async function allowedFile(requested: string, field: string, mediaDirs: readonly string[]): Promise<string> {
  if (mediaDirs.length === 0) {
    throw new AppError(
      'FORBIDDEN_PATH',
      'Sending local files by path is off. Send the file as base64 or a multipart upload, or allow a folder with WHATSAPP_MEDIA_DIRS.',
      { fields: [`${field}.path`] },
    );
  }
  if (!path.isAbsolute(requested)) {
    throw new AppError('VALIDATION_ERROR', `${field}.path must be an absolute path`, { fields: [`${field}.path`] });
  }
  let real: string;
  try {
    real = await realpath(requested);
  } catch {
    throw new AppError('VALIDATION_ERROR', `${field}.path: no such file: ${requested}`, { fields: [`${field}.path`] });
  }
  // Symlinks are resolved first, so a link inside an allowed folder cannot lead outside it.
  const roots = await Promise.all(mediaDirs.map((d) => realpath(d).catch(() => null)));
  const inside = roots.some((root) => {
    if (!root) return false;
    const rel = path.relative(root, real);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  });
  if (!inside) {
    throw new AppError('FORBIDDEN_PATH', `${field}.path is outside the folders allowed by WHATSAPP_MEDIA_DIRS.`, { fields: [`${field}.path`] });
  }
  const info = await stat(real);
  if (!info.isFile()) throw new AppError('VALIDATION_ERROR', `${field}.path is not a file`, { fields: [`${field}.path`] });
  if (info.size > MAX_MEDIA_REQUEST_BYTES) {
    throw new AppError('PAYLOAD_TOO_LARGE', `${field}.path is ${mb(info.size)}; files may be at most ${mb(MAX_MEDIA_REQUEST_BYTES)}.`, { fields: [`${field}.path`] });
  }
  return real;
}

/** The rules that concern the files together: counts, total size, and what each flag needs. */
export function checkMediaSet(files: readonly CheckedMedia[], flags: MediaFlags): void {
  if (files.length > MAX_MEDIA_FILES) throw new AppError('VALIDATION_ERROR', `At most ${MAX_MEDIA_FILES} files per message request`, { fields: ['media'] });
  if (flags.asDocument && (flags.asVoice || flags.asGif || flags.viewOnce)) {
    throw new AppError('VALIDATION_ERROR', 'as_document cannot be combined with as_voice, as_gif or view_once', { fields: ['as_document'] });
  }
  const need = (flag: string, ok: (k: MediaKind) => boolean, what: string): void => {
    const bad = files.findIndex((f) => !ok(f.kind));
    if (bad >= 0) throw new AppError('UNSUPPORTED_MEDIA_TYPE', `${flag} needs ${what}, but media[${bad}] is ${files[bad]!.mimetype}`, { fields: [flag] });
  };
  if (flags.asVoice) need('as_voice', (k) => k === 'audio', 'audio files');
  if (flags.asGif) need('as_gif', (k) => k === 'video', 'video files');
  if (flags.viewOnce) need('view_once', (k) => k === 'image' || k === 'video', 'photos or videos');

  const counts = new Map<MediaKind, number>();
  for (const f of files) {
    const k = flags.asDocument ? 'document' : f.kind;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  for (const [kind, n] of counts) {
    const { maxFiles } = MEDIA_LIMITS[kind];
    if (n > maxFiles) throw new AppError('VALIDATION_ERROR', `Too many ${kind} files: ${n}; at most ${maxFiles} per request`, { fields: ['media'] });
  }
  const total = files.reduce((sum, f) => sum + f.data.length, 0);
  if (total > MAX_MEDIA_REQUEST_BYTES) {
    throw new AppError('PAYLOAD_TOO_LARGE', `The files add up to ${mb(total)}; one request may carry at most ${mb(MAX_MEDIA_REQUEST_BYTES)}.`, { fields: ['media'] });
  }
}
