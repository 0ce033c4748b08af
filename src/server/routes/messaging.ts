import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { MAX_MEDIA_FILES, MAX_MEDIA_REQUEST_BYTES } from '../media.js';
import {
  ChatIdParams,
  ChatMessagesQuery,
  ChatPageResult,
  ContactsQuery,
  ContactsResult,
  ForwardInput,
  GroupsResult,
  MediaSendResult,
  MessageIdParams,
  ReactionInput,
  SendLocationInput,
  SendMediaInput,
  SendPollInput,
} from '../messaging-schemas.js';
import type { MessagingService } from '../messaging-service.js';
import { OkResult, SendResult } from '../schemas.js';
import { errors, NEEDS_SESSION } from './api.js';

/** Base64 makes a file a third larger, and the JSON around it needs a little room. */
const MEDIA_JSON_BODY_LIMIT = Math.ceil((MAX_MEDIA_REQUEST_BYTES * 4) / 3) + 1024 * 1024;
const BOOLEAN_FIELDS = new Set(['view_once', 'as_voice', 'as_gif', 'as_document']);

/**
 * A multipart upload becomes the same body as the JSON form (files as base64, which is how
 * whatsapp-web.js hands them to the page anyway), so one schema validates both.
 */
async function multipartToBody(req: FastifyRequest): Promise<Record<string, unknown>> {
  const body: Record<string, unknown> = {};
  const media: { data: string; mimetype?: string; filename?: string }[] = [];
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'files') throw new AppError('VALIDATION_ERROR', `Upload files in the field "files", not "${part.fieldname}"`, { fields: ['files'] });
        const data = await part.toBuffer();
        // Browsers label unknown files application/octet-stream: let the content decide then.
        const declared = part.mimetype && part.mimetype !== 'application/octet-stream' ? { mimetype: part.mimetype } : {};
        media.push({ data: data.toString('base64'), ...declared, ...(part.filename ? { filename: part.filename } : {}) });
      } else {
        const value = String(part.value);
        body[part.fieldname] = BOOLEAN_FIELDS.has(part.fieldname) ? ['true', '1', 'on', 'yes'].includes(value.toLowerCase()) : value;
      }
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_FILES_LIMIT') {
      throw new AppError('PAYLOAD_TOO_LARGE', `Uploads are limited to ${MAX_MEDIA_FILES} files of at most ${MAX_MEDIA_REQUEST_BYTES / 1024 / 1024} MiB in all.`);
    }
    throw new AppError('VALIDATION_ERROR', `The multipart body could not be read: ${(err as Error).message}`);
  }
  return { ...body, media };
}

export const messagingRoutes: FastifyPluginAsyncZod<{ messaging: MessagingService }> = async (app, { messaging }) => {
  // Multipart is accepted here only: everywhere else a non-JSON body stays a 415.
  await app.register(async (media) => {
    await media.register(multipart, { limits: { files: MAX_MEDIA_FILES, fileSize: MAX_MEDIA_REQUEST_BYTES, fields: 20, fieldSize: 64 * 1024 } });
    media.withTypeProvider<ZodTypeProvider>().post(
      '/api/send/media',
      {
        bodyLimit: MEDIA_JSON_BODY_LIMIT,
        preValidation: async (req) => {
          // Validated next, by the route's schema, exactly like a JSON body.
          if (req.isMultipart()) req.body = (await multipartToBody(req)) as typeof req.body;
        },
        schema: {
          tags: ['messages'],
          summary: 'Send photos, videos, audio or documents (JSON with base64 or paths, or multipart with the files in "files")',
          description:
            'Per request: up to 10 photos (16 MiB each), 5 videos (64 MiB), 5 audio files (16 MiB) or 5 documents (64 MiB), 64 MiB in all. Each file goes out as its own message. Wrong type for a flag (as_voice without audio, as_gif without video, a "photo" that is not an image): 415. Multipart: the other fields as form fields (booleans as "true").',
          body: SendMediaInput,
          response: { 200: MediaSendResult, ...errors(400, 404, 413, 415, 429, 502, 504, ...NEEDS_SESSION) },
        },
      },
      async (req) => messaging.sendMedia(req.body),
    );
  });

  app.post(
    '/api/send/location',
    {
      schema: {
        tags: ['messages'],
        summary: 'Send a location pin',
        body: SendLocationInput,
        response: { 200: SendResult, ...errors(400, 404, 429, 502, 504, ...NEEDS_SESSION) },
      },
    },
    async (req) => messaging.sendLocation(req.body),
  );

  app.post(
    '/api/send/poll',
    {
      schema: {
        tags: ['messages'],
        summary: 'Send a poll (2-12 options; one answer, or several)',
        body: SendPollInput,
        response: { 200: SendResult, ...errors(400, 404, 429, 502, 504, ...NEEDS_SESSION) },
      },
    },
    async (req) => messaging.sendPoll(req.body),
  );

  app.post(
    '/api/messages/:id/reaction',
    {
      schema: {
        tags: ['messages'],
        summary: 'React with an emoji; an empty string removes your reaction',
        params: MessageIdParams,
        body: ReactionInput,
        response: { 200: OkResult, ...errors(400, 404, 502, ...NEEDS_SESSION) },
      },
    },
    async (req) => messaging.react(req.params.id, req.body),
  );

  app.delete(
    '/api/messages/:id',
    {
      schema: {
        tags: ['messages'],
        summary: 'Delete a message for everyone (while WhatsApp still allows it)',
        params: MessageIdParams,
        response: { 200: OkResult, ...errors(404, 409, 410, 502, 503) },
      },
    },
    async (req) => messaging.deleteMessage(req.params.id),
  );

  app.post(
    '/api/messages/:id/forward',
    {
      schema: {
        tags: ['messages'],
        summary: 'Forward a message to a phone number or group',
        params: MessageIdParams,
        body: ForwardInput,
        response: { 200: SendResult, ...errors(400, 404, 429, 502, 504, ...NEEDS_SESSION) },
      },
    },
    async (req) => messaging.forward(req.params.id, req.body),
  );

  app.get(
    '/api/messages/:id/media',
    {
      schema: {
        tags: ['messages'],
        summary: 'Download the file of a message, with its type and name',
        params: MessageIdParams,
        response: { 200: z.any().describe('The file'), ...errors(404, 410, 502, 503) },
      },
    },
    async (req, reply) => {
      const file = await messaging.downloadMedia(req.params.id);
      return reply.type(file.mimetype).header('Content-Disposition', contentDisposition(file.filename, file.id, file.mimetype)).serializer((b) => b as string).send(file.data);
    },
  );

  app.post(
    '/api/chats/:chat_id/read',
    {
      schema: {
        tags: ['chats'],
        summary: 'Mark a chat as read (blue ticks for the sender)',
        params: ChatIdParams,
        response: { 200: OkResult.extend({ chat_id: z.string() }), ...errors(400, 404, ...NEEDS_SESSION) },
      },
    },
    async (req) => messaging.markRead(req.params.chat_id),
  );

  app.get(
    '/api/chats/:chat_id/messages',
    {
      schema: {
        tags: ['chats'],
        summary: 'Messages of any chat (groups too), oldest first; page back with before=',
        params: ChatIdParams,
        querystring: ChatMessagesQuery,
        response: { 200: ChatPageResult, ...errors(400, 404, ...NEEDS_SESSION) },
      },
    },
    async (req) => messaging.chatMessages(req.params.chat_id, req.query),
  );

  app.get(
    '/api/groups',
    { schema: { tags: ['chats'], summary: 'Your groups: id, name, member count, whether you are admin', response: { 200: GroupsResult, ...errors(...NEEDS_SESSION) } } },
    async () => messaging.listGroups(),
  );

  app.get(
    '/api/contacts',
    {
      schema: {
        tags: ['chats'],
        summary: 'Search contacts by name or number',
        querystring: ContactsQuery,
        response: { 200: ContactsResult, ...errors(400, ...NEEDS_SESSION) },
      },
    },
    async (req) => messaging.searchContacts(req.query),
  );
};

/** RFC 6266: an ASCII fallback plus the exact UTF-8 name. */
export function contentDisposition(filename: string | null, id: string, mimetype: string): string {
  const name = filename ?? `${id.replace(/^.*_/, '')}.${(mimetype.split('/')[1] ?? 'bin').replace(/[^a-z0-9]+.*$/i, '') || 'bin'}`;
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
