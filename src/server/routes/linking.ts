import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Linking } from '../../app/linking.js';
import { EmptyBody, OkResult, PairingCodeInput, PairingCodeResult, QrResult, StatusSchema } from '../../app/schemas/index.js';
import { errors } from './common.js';
import { qrImage } from '../../app/qr.js';

/** Linking this device, and the status: schema-first routes over the shared schemas. */
export const linkingRoutes: FastifyPluginAsyncZod<{ linking: Linking }> = async (app, { linking }) => {
  app.get(
    '/health',
    { config: { scope: 'public' }, schema: { tags: ['session'], summary: 'Liveness probe (no token needed)', security: [], response: { 200: z.object({ ok: z.literal(true) }) } } },
    async () => ({ ok: true as const }),
  );

  app.get(
    '/api/status',
    { config: { scope: 'read' }, schema: { tags: ['session'], summary: 'Session status (read-only; starts nothing)', response: { 200: StatusSchema, ...errors() } } },
    async () => linking.status(),
  );

  app.post(
    '/api/auth/start',
    { config: { scope: 'link', audit: 'start_auth' },
      schema: {
        tags: ['session'],
        summary: 'Start the browser and WhatsApp Web if needed; returns the status at once',
        body: EmptyBody,
        response: { 200: StatusSchema, ...errors(400, 503) },
      },
    },
    async () => linking.startAuth(),
  );

  app.post(
    '/api/pairing-code',
    { config: { scope: 'link', audit: 'pairing_code' },
      schema: {
        tags: ['session'],
        summary: 'Get a code to link a phone by its number instead of the QR code',
        body: PairingCodeInput,
        response: { 200: PairingCodeResult, ...errors(400, 409, 502, 503) },
      },
    },
    async (req) => linking.pairingCode(req.body),
  );

  app.get(
    '/api/qr',
    { config: { scope: 'link' }, schema: { tags: ['session'], summary: 'The pending QR code, for programs', response: { 200: QrResult, ...errors() } } },
    async () => {
      const q = linking.qr();
      return { ...q, data_url: q.qr ? await qrImage(q.qr) : null };
    },
  );

  app.post(
    '/api/logout',
    { config: { scope: 'link', audit: 'logout' },
      schema: {
        tags: ['session'],
        summary: 'Unlink this device, close the browser and forget the session',
        body: EmptyBody,
        response: { 200: OkResult, ...errors(400) },
      },
    },
    async () => linking.logout(),
  );
};
