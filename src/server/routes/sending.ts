import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../core/errors.js';
import { MAX_MEDIA_FILES, MAX_MEDIA_REQUEST_BYTES } from '../../app/media.js';
import {
  ForwardInput,
  MediaSendResult,
  MessageIdParams,
  ReactionInput,
  ReactionResult,
  SendLocationInput,
  SendMediaInput,
  SendMessageInput,
  SendPollInput,
  SendResult,
} from '../../app/schemas/index.js';
import { isPending, type Sending } from '../../app/sending.js';
import { errors, NEEDS_SESSION } from './common.js';

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


/** 200 once WhatsApp has the message; 202 while it is still on its way (the caller did not wait, or waited long enough). */
function answer<T extends { status: Parameters<typeof isPending>[0]['status']; outbox_id: string }>(reply: FastifyReply, result: T): T {
  if (isPending(result)) reply.code(202).header('Location', `/api/outbox/${result.outbox_id}`);
  return result;
}

/**
 * Every kind of send: one route each, all through the one send path (the outbox). An
 * `Idempotency-Key` header makes a retry safe; `Prefer: respond-async` answers 202 at once.
 */
export const sendingRoutes: FastifyPluginAsyncZod<{ sending: Sending }> = async (app, { sending }) => {
  app.post(
    '/api/send',
    { config: { scope: 'send', audit: 'send_message' },
      schema: {
        tags: ['messages'],
        summary: 'Send a text to a phone number or group: replies, mentions (ghost and @everyone), link previews',
        body: SendMessageInput,
        response: { 200: SendResult, 202: SendResult, ...errors(400, 404, 409, 429, 502, 504, ...NEEDS_SESSION) },
      },
    },
    async (req, reply) => answer(reply, await sending.text(req.ctx, req.body)),
  );

  // Multipart is accepted here only: everywhere else a non-JSON body stays a 415.
  await app.register(async (media) => {
    await media.register(multipart, { limits: { files: MAX_MEDIA_FILES, fileSize: MAX_MEDIA_REQUEST_BYTES, fields: 20, fieldSize: 64 * 1024 } });
    media.withTypeProvider<ZodTypeProvider>().post(
      '/api/send/media',
      {
        config: { scope: 'send', audit: 'send_media' },
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
          response: { 200: MediaSendResult, 202: MediaSendResult, ...errors(400, 404, 413, 415, 429, 502, 504, ...NEEDS_SESSION) },
        },
      },
      async (req, reply) => answer(reply, await sending.media(req.ctx, req.body)),
    );
  });

  app.post(
    '/api/send/location',
    { config: { scope: 'send', audit: 'send_location' },
      schema: {
        tags: ['messages'],
        summary: 'Send a location pin',
        body: SendLocationInput,
        response: { 200: SendResult, 202: SendResult, ...errors(400, 404, 409, 429, 502, 504, ...NEEDS_SESSION) },
      },
    },
    async (req, reply) => answer(reply, await sending.location(req.ctx, req.body)),
  );

  app.post(
    '/api/send/poll',
    { config: { scope: 'send', audit: 'send_poll' },
      schema: {
        tags: ['messages'],
        summary: 'Send a poll (2-12 options; one answer, or several)',
        body: SendPollInput,
        response: { 200: SendResult, 202: SendResult, ...errors(400, 404, 409, 429, 502, 504, ...NEEDS_SESSION) },
      },
    },
    async (req, reply) => answer(reply, await sending.poll(req.ctx, req.body)),
  );

  app.post(
    '/api/messages/:id/reaction',
    { config: { scope: 'send', audit: 'react' },
      schema: {
        tags: ['messages'],
        summary: 'React with an emoji; an empty string removes your reaction',
        params: MessageIdParams,
        body: ReactionInput,
        response: { 200: ReactionResult, 202: ReactionResult, ...errors(400, 404, 409, 429, 502, 504, ...NEEDS_SESSION) },
      },
    },
    async (req, reply) => answer(reply, await sending.react(req.ctx, req.params.id, req.body)),
  );

  app.post(
    '/api/messages/:id/forward',
    { config: { scope: 'send', audit: 'forward_message' },
      schema: {
        tags: ['messages'],
        summary: 'Forward a message to a phone number or group',
        params: MessageIdParams,
        body: ForwardInput,
        response: { 200: SendResult, 202: SendResult, ...errors(400, 404, 409, 429, 502, 504, ...NEEDS_SESSION) },
      },
    },
    async (req, reply) => answer(reply, await sending.forward(req.ctx, req.params.id, req.body)),
  );
};
