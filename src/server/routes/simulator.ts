import type { Page } from 'puppeteer-core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, describeError } from '../../core/errors.js';
import { normalizePhone, phoneToChatId } from '../../core/phone.js';
import type { StatusChange } from '../../core/status.js';
import type { WhatsAppSession } from '../../whatsapp/session.js';
import { SimulatorControl } from '../../whatsapp/simulator/index.js';
import { contactReadsChat, linkPhone, receiveIncoming, simulatorError } from '../../whatsapp/simulator/refusals.js';
import { EmptyBody, OkResult } from '../../app/schemas/index.js';
import { SimulatorDisconnectInput, SimulatorIncomingInput, SimulatorIncomingMediaInput, SimulatorReadInput, SimulatorSeedInput } from '../simulator-schemas.js';
import { errors } from './common.js';

/** The session the simulator's page belongs to. */
export type SimulatedSession = Pick<WhatsAppSession, 'snapshot' | 'waitForLinkPrompt' | 'waitUntilReady' | 'on' | 'off'> & { readonly page: Page | null };

/** Resolves when the session leaves the `qr` state (at once if it is not in it). */
function leftQr(session: SimulatedSession): Promise<void> {
  if (session.snapshot().state !== 'qr') return Promise.resolve();
  return new Promise((resolve) => {
    const onStatus = (c: StatusChange): void => {
      if (c.to === 'qr') return;
      session.off('status', onStatus);
      resolve();
    };
    session.on('status', onStatus);
  });
}

/** A 16 MiB file in base64, and the JSON around it. */
const INCOMING_MEDIA_BODY_LIMIT = 23 * 1024 * 1024;

/** whatsapp-web.js closes the page as soon as it sees a disconnect, sometimes before our call returns. */
const PAGE_CLOSED = /Target closed|Session closed|detached|Execution context was destroyed/i;

const IncomingResult = z.object({ ok: z.literal(true), id: z.string().nullable() });
const ReadResult = z.object({
  ok: z.literal(true),
  read: z.number().int().describe('How many of your messages became read (or played); 0 when none was delivered and unread'),
});

/**
 * Demo-mode controls: play the phone and WhatsApp's servers against the simulator. These
 * routes exist only when the bridge runs with --demo, and need the token like all others.
 * Input is checked before the page is asked: bad input is a 400, never the page's refusal.
 */
export function simulatorRoutes(session: SimulatedSession): FastifyPluginAsyncZod {
  const control = (): SimulatorControl => {
    const p = session.page;
    if (!p) throw new AppError('WA_NOT_STARTED', 'The simulator is not running: start it with POST /api/auth/start.');
    return new SimulatorControl(p);
  };
  const act = async <T>(fn: (c: SimulatorControl) => Promise<T>, closesPage = false): Promise<T | undefined> => {
    const c = control();
    try {
      return await fn(c);
    } catch (err) {
      if (closesPage && PAGE_CLOSED.test(describeError(err))) return undefined;
      throw simulatorError(err);
    }
  };

  const schema = <B extends z.ZodType, R extends z.ZodType>(summary: string, body: B, ok: R, ...more: number[]) => ({
    schema: { tags: ['simulator (demo only)'], summary, body, response: { 200: ok, ...errors(400, ...more, 409, 502) } },
  });

  return async (app) => {
    app.post('/api/simulator/link', schema('The phone scans the QR code or enters the pending pairing code', EmptyBody, OkResult), async () => {
      // Right after POST /api/auth/start the QR code is still on its way: the phone scans it once it shows.
      if (session.snapshot().state === 'starting') await session.waitForLinkPrompt();
      const linked = leftQr(session);
      await act(linkPhone);
      // Answer once the link took effect, so the next call of a script finds the account ready.
      await linked;
      await session.waitUntilReady();
      return { ok: true as const };
    });
    app.post('/api/simulator/incoming', schema('A contact writes to you', SimulatorIncomingInput, IncomingResult), async (req) => {
      const from = normalizePhone(req.body.phone_number);
      const sent = await act((c) => receiveIncoming(c, { from, body: req.body.message, ...(req.body.pushname ? { pushname: req.body.pushname } : {}) }));
      return { ok: true as const, id: sent?.id ?? null };
    });
    app.post(
      '/api/simulator/incoming-media',
      { bodyLimit: INCOMING_MEDIA_BODY_LIMIT, ...schema('A contact sends you a file (photo, video, audio, voice note, document)', SimulatorIncomingMediaInput, IncomingResult) },
      async (req) => {
        const { phone_number, data, mimetype, filename, caption, as_voice, pushname } = req.body;
        const from = normalizePhone(phone_number);
        const media = { data, mimetype, ...(filename ? { filename } : {}), ...(as_voice ? { asVoice: true } : {}) };
        const sent = await act((c) => receiveIncoming(c, { from, media, ...(caption ? { body: caption } : {}), ...(pushname ? { pushname } : {}) }));
        return { ok: true as const, id: sent?.id ?? null };
      },
    );
    app.post(
      '/api/simulator/read',
      schema('A contact (in a group: every member) reads your delivered messages', SimulatorReadInput, ReadResult, 404),
      async (req) => {
        const { phone_number, group_id, played } = req.body;
        if ((phone_number === undefined) === (group_id === undefined)) {
          throw new AppError('VALIDATION_ERROR', 'Give exactly one chat: phone_number or group_id', { fields: ['phone_number', 'group_id'] });
        }
        const chatId = phone_number === undefined ? group_id! : phoneToChatId(normalizePhone(phone_number));
        const { read } = await contactReadsChat(control(), chatId, played ? { played } : undefined);
        return { ok: true as const, read };
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
