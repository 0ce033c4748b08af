import type { Page } from 'puppeteer-core';
import { z } from 'zod';
import { AppError, describeError } from '../../core/errors.js';
import { normalizePhone } from '../../core/phone.js';
import { SimulatorControl } from '../../whatsapp/simulator/index.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { EmptyBody, MESSAGE_MAX_CHARS, OkResult } from '../schemas.js';
import { errors } from './api.js';

export const SimulatorIncomingInput = z.object({
  phone_number: z.string({ error: 'phone_number must be a string, e.g. "+15551234567"' }).max(64).describe('The contact who writes to you'),
  message: z
    .string({ error: 'message must be a string' })
    .min(1, 'message must not be empty')
    .max(MESSAGE_MAX_CHARS, `message must be at most ${MESSAGE_MAX_CHARS} characters`)
    .describe('What they write'),
  pushname: z.string().max(100).optional().describe('Their display name'),
});

export const SimulatorIncomingMediaInput = z.object({
  phone_number: z.string({ error: 'phone_number must be a string, e.g. "+15551234567"' }).max(64).describe('The contact who sends you the file'),
  data: z
    .string({ error: 'data must be the file in base64' })
    .min(1, 'data must be the file in base64')
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'data must be the file in base64')
    .describe('The file, base64-encoded'),
  mimetype: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'mimetype must look like "image/jpeg"').describe('e.g. image/jpeg, audio/ogg, application/pdf'),
  filename: z.string().max(255).optional().describe('Name of a document'),
  caption: z.string().max(MESSAGE_MAX_CHARS).optional().describe('What they write with it'),
  as_voice: z.boolean().optional().describe('Audio as a voice note'),
  pushname: z.string().max(100).optional().describe('Their display name'),
});

/** A 16 MiB file in base64, and the JSON around it. */
const INCOMING_MEDIA_BODY_LIMIT = 23 * 1024 * 1024;

/** What the simulator page holds comfortably in one seed() call. */
export const SEED_MAX_MESSAGES = 1_000_000;

export const SimulatorSeedInput = z
  .object({
  chats: z.number({ error: 'chats must be a number' }).int().min(1, 'chats must be 1-20000').max(20_000, 'chats must be 1-20000'),
  messages_per_chat: z
    .number({ error: 'messages_per_chat must be a number' })
    .int()
    .min(0, 'messages_per_chat must be 0-10000')
    .max(10_000, 'messages_per_chat must be 0-10000')
    .default(3),
  })
  .refine((v) => v.chats * v.messages_per_chat <= SEED_MAX_MESSAGES, {
    message: `chats × messages_per_chat must be at most ${SEED_MAX_MESSAGES.toLocaleString('en')}`,
    path: ['messages_per_chat'],
  });

export const SimulatorDisconnectInput = z
  .object({
    state: z
      .enum(['CONFLICT', 'TIMEOUT', 'UNLAUNCHED', 'PROXYBLOCK', 'TOS_BLOCK', 'SMB_TOS_BLOCK', 'DEPRECATED_VERSION'])
      .default('CONFLICT')
      .describe(
        'How WhatsApp drops the connection: CONFLICT (opened elsewhere: disconnected until /api/auth/start), UNLAUNCHED (the page dies: the bridge relaunches and restores the session), TIMEOUT (a network blip WhatsApp Web recovers from by itself)',
      ),
  })
  .strict();

/** whatsapp-web.js closes the page as soon as it sees a disconnect, sometimes before our call returns. */
const PAGE_CLOSED = /Target closed|Session closed|detached|Execution context was destroyed/i;

/**
 * Demo-mode controls: play the phone and WhatsApp's servers against the simulator. These
 * routes exist only when the bridge runs with --demo, and need the token like all others.
 */
export function simulatorRoutes(page: () => Page | null): FastifyPluginAsyncZod {
  const control = (): SimulatorControl => {
    const p = page();
    if (!p) throw new AppError('WA_NOT_STARTED', 'The simulator is not running: start it with POST /api/auth/start.');
    return new SimulatorControl(p);
  };
  // The simulator refuses actions that make no sense now (e.g. link with nothing to link).
  const act = async <T>(fn: (c: SimulatorControl) => Promise<T>, closesPage = false): Promise<T | undefined> => {
    const c = control();
    try {
      return await fn(c);
    } catch (err) {
      if (closesPage && PAGE_CLOSED.test(describeError(err))) return undefined;
      throw new AppError('WA_ERROR', `Simulator: ${describeError(err).replace(/^Error: /, '')}`);
    }
  };

  const schema = <B extends z.ZodType, R extends z.ZodType>(summary: string, body: B, ok: R) => ({
    schema: { tags: ['simulator (demo only)'], summary, body, response: { 200: ok, ...errors(400, 409, 502) } },
  });

  return async (app) => {
    app.post('/api/simulator/link', schema('The phone scans the QR code or enters the pending pairing code', EmptyBody, OkResult), async () => {
      await act((c) => c.link());
      return { ok: true as const };
    });
    app.post(
      '/api/simulator/incoming',
      schema('A contact writes to you', SimulatorIncomingInput, z.object({ ok: z.literal(true), id: z.string().nullable() })),
      async (req) => {
        const from = normalizePhone(req.body.phone_number);
        const sent = await act((c) => c.incoming({ from, body: req.body.message, ...(req.body.pushname ? { pushname: req.body.pushname } : {}) }));
        return { ok: true as const, id: sent?.id ?? null };
      },
    );
    app.post(
      '/api/simulator/incoming-media',
      {
        bodyLimit: INCOMING_MEDIA_BODY_LIMIT,
        ...schema('A contact sends you a file (photo, video, audio, voice note, document)', SimulatorIncomingMediaInput, z.object({ ok: z.literal(true), id: z.string().nullable() })),
      },
      async (req) => {
        const { phone_number, data, mimetype, filename, caption, as_voice, pushname } = req.body;
        const sent = await act((c) =>
          c.incoming({
            from: normalizePhone(phone_number),
            ...(caption ? { body: caption } : {}),
            ...(pushname ? { pushname } : {}),
            media: { data, mimetype, ...(filename ? { filename } : {}), ...(as_voice ? { asVoice: true } : {}) },
          }),
        );
        return { ok: true as const, id: sent?.id ?? null };
      },
    );
    app.post('/api/simulator/disconnect', schema('WhatsApp drops the connection', SimulatorDisconnectInput.nullish(), OkResult), async (req) => {
      await act((c) => c.disconnect(req.body?.state ?? 'CONFLICT'), true);
      return { ok: true as const };
    });
    app.post('/api/simulator/phone-logout', schema('The phone removes this linked device', EmptyBody, OkResult), async () => {
      await act((c) => c.phoneLogout(), true);
      return { ok: true as const };
    });
    app.post(
      '/api/simulator/seed',
      schema('Add a large generated account', SimulatorSeedInput, z.object({ ok: z.literal(true), chats: z.number().int().nullable() })),
      async (req) => {
        await act((c) => c.seed({ chats: req.body.chats, messagesPerChat: req.body.messages_per_chat }));
        const snapshot = await act((c) => c.snapshot());
        return { ok: true as const, chats: snapshot?.accountChats ?? null };
      },
    );
  };
}
