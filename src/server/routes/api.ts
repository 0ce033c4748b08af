import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ChatsResult,
  EmptyBody,
  ErrorBodySchema,
  ListChatsInput,
  MessagesResult,
  OkResult,
  PairingCodeInput,
  PairingCodeResult,
  QrResult,
  ReadMessagesInput,
  SendMessageInput,
  SendResult,
  StatusSchema,
} from '../schemas.js';
import type { MessagingService } from '../messaging-service.js';
import type { WhatsAppService } from '../service.js';
import { qrImage } from './qr-page.js';

/** Error answers a route can give, for its response schema (and the OpenAPI document). */
export function errors(...statuses: number[]): Record<number, typeof ErrorBodySchema> {
  return Object.fromEntries([401, 403, ...statuses].map((s) => [s, ErrorBodySchema]));
}

/** Statuses of every call that needs a ready session. */
export const NEEDS_SESSION = [409, 503];

/** The seed REST API: schema-first routes over the shared schemas and the one service. */
export const apiRoutes: FastifyPluginAsyncZod<{ service: WhatsAppService; messaging: MessagingService }> = async (app, { service, messaging }) => {
  app.get(
    '/health',
    { schema: { tags: ['session'], summary: 'Liveness probe (no token needed)', security: [], response: { 200: z.object({ ok: z.literal(true) }) } } },
    async () => ({ ok: true as const }),
  );

  app.get(
    '/api/status',
    { schema: { tags: ['session'], summary: 'Session status (read-only; starts nothing)', response: { 200: StatusSchema, ...errors() } } },
    async () => service.status(),
  );

  app.post(
    '/api/auth/start',
    {
      schema: {
        tags: ['session'],
        summary: 'Start the browser and WhatsApp Web if needed; returns the status at once',
        body: EmptyBody,
        response: { 200: StatusSchema, ...errors(400, 503) },
      },
    },
    async () => service.startAuth(),
  );

  app.post(
    '/api/pairing-code',
    {
      schema: {
        tags: ['session'],
        summary: 'Get a code to link a phone by its number instead of the QR code',
        body: PairingCodeInput,
        response: { 200: PairingCodeResult, ...errors(400, 409, 502, 503) },
      },
    },
    async (req) => service.pairingCode(req.body),
  );

  app.get(
    '/api/qr',
    { schema: { tags: ['session'], summary: 'The pending QR code, for programs', response: { 200: QrResult, ...errors() } } },
    async () => {
      const q = service.qr();
      return { ...q, data_url: q.qr ? await qrImage(q.qr) : null };
    },
  );

  app.post(
    '/api/send',
    {
      schema: {
        tags: ['messages'],
        summary: 'Send a text to a phone number or group: replies, mentions (ghost and @everyone), link previews',
        body: SendMessageInput,
        response: { 200: SendResult, ...errors(400, 404, 429, 502, 504, ...NEEDS_SESSION) },
      },
    },
    async (req) => messaging.sendText(req.body),
  );

  app.post(
    '/api/logout',
    {
      schema: {
        tags: ['session'],
        summary: 'Unlink this device, close the browser and forget the session',
        body: EmptyBody,
        response: { 200: OkResult, ...errors(400) },
      },
    },
    async () => service.logout(),
  );

  app.get(
    '/api/chats',
    {
      schema: {
        tags: ['chats'],
        summary: 'Recent chats, most recent first',
        querystring: ListChatsInput,
        response: { 200: ChatsResult, ...errors(400, ...NEEDS_SESSION) },
      },
    },
    async (req) => service.listChats(req.query),
  );

  app.get(
    '/api/messages',
    {
      schema: {
        tags: ['chats'],
        summary: 'The latest messages of the 1:1 chat with a phone number, oldest first',
        querystring: ReadMessagesInput,
        response: { 200: MessagesResult, ...errors(400, 404, ...NEEDS_SESSION) },
      },
    },
    async (req) => service.readMessages(req.query),
  );
};
