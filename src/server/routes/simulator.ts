import type { Page } from 'puppeteer-core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, describeError } from '../../core/errors.js';
import { normalizePhone, phoneToChatId } from '../../core/phone.js';
import type { StatusChange } from '../../core/status.js';
import type { WhatsAppSession } from '../../whatsapp/session.js';
import { deliverWhileClosed, SimulatorControl, type SimulatedPhone } from '../../whatsapp/simulator/index.js';
import { contactReadsChat, linkPhone, receiveIncoming, simulatorError } from '../../whatsapp/simulator/refusals.js';
import { EmptyBody, OkResult } from '../../app/schemas/index.js';
import {
  SimulatorCallInput,
  SimulatorDisconnectInput,
  SimulatorEditInput,
  SimulatorGroupJoinInput,
  SimulatorGroupLeaveInput,
  SimulatorGroupUpdateInput,
  SimulatorIncomingInput,
  SimulatorIncomingMediaInput,
  SimulatorPhoneSendInput,
  SimulatorReadInput,
  SimulatorReactInput,
  SimulatorRevokeInput,
  SimulatorSeedInput,
  SimulatorVoteInput,
} from '../simulator-schemas.js';
import { errors } from './common.js';

/** The session the simulator's page belongs to. */
export type SimulatedSession = Pick<WhatsAppSession, 'snapshot' | 'waitForLinkPrompt' | 'waitUntilReady' | 'hasSavedSession' | 'on' | 'off'> & {
  readonly page: Page | null;
};

export interface SimulatorRouteOptions {
  /** The simulator page's cache dir: what reaches the account while no page is open is written there. */
  cacheDir?: string;
  /** The simulated phone that links when the QR code is scanned (default: 15550100100, "Sim Phone"); one per account. */
  phone?: SimulatedPhone;
}

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
export function simulatorRoutes(session: SimulatedSession, options: SimulatorRouteOptions = {}): FastifyPluginAsyncZod {
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

  const schema = <B extends z.ZodType, R extends z.ZodType>(summary: string, body: B, ok: R) => ({
    config: { scope: 'owner' as const },
    schema: { tags: ['simulator (demo only)'], summary, body, response: { 200: ok, ...errors(400, 404, 409, 410, 502) } },
  });

  return async (app) => {
    app.post('/api/simulator/link', schema('The phone scans the QR code or enters the pending pairing code', EmptyBody, OkResult), async () => {
      // Right after POST /api/auth/start the QR code is still on its way: the phone scans it once it shows.
      if (session.snapshot().state === 'starting') await session.waitForLinkPrompt();
      const linked = leftQr(session);
      await act((c) => linkPhone(c, options.phone));
      // Answer once the link took effect, so the next call of a script finds the account ready.
      await linked;
      await session.waitUntilReady();
      return { ok: true as const };
    });
    app.post('/api/simulator/incoming', schema('A contact writes to you', SimulatorIncomingInput, IncomingResult), async (req) => {
      const from = normalizePhone(req.body.phone_number);
      const input = { from, body: req.body.message, ...(req.body.pushname ? { pushname: req.body.pushname } : {}) };
      // No WhatsApp Web open, but a linked account: WhatsApp's servers keep it for the next load.
      if (!session.page && options.cacheDir && session.hasSavedSession()) {
        return { ok: true as const, id: (await deliverWhileClosed(options.cacheDir, input)).id };
      }
      const sent = await act((c) => receiveIncoming(c, input));
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
      schema('A contact (in a group: every member) reads your delivered messages', SimulatorReadInput, ReadResult),
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
    app.post('/api/simulator/phone-send', schema('Your phone sends a message (a message of yours from another device)', SimulatorPhoneSendInput, IncomingResult), async (req) => {
      const to = req.body.group_id ?? normalizePhone(req.body.phone_number);
      const sent = await act((c) => c.phoneSend({ to, body: req.body.message }));
      return { ok: true as const, id: sent?.id ?? null };
    });
    app.post('/api/simulator/edit', schema('A contact edits a message they sent', SimulatorEditInput, OkResult), async (req) => {
      await act((c) => c.edit({ id: req.body.message_id, body: req.body.message }));
      return { ok: true as const };
    });
    app.post('/api/simulator/revoke', schema('A contact (or a group admin) deletes a message for everyone', SimulatorRevokeInput, OkResult), async (req) => {
      const by = req.body.by_phone_number === undefined ? {} : { by: normalizePhone(req.body.by_phone_number, 'by_phone_number') };
      await act((c) => c.revoke({ id: req.body.message_id, ...by }));
      return { ok: true as const };
    });
    app.post('/api/simulator/react', schema('A contact reacts to a message', SimulatorReactInput, OkResult), async (req) => {
      const from = normalizePhone(req.body.phone_number);
      await act((c) => c.react({ id: req.body.message_id, from, emoji: req.body.emoji }));
      return { ok: true as const };
    });
    app.post('/api/simulator/vote', schema('A member votes in a poll', SimulatorVoteInput, OkResult), async (req) => {
      const from = normalizePhone(req.body.phone_number);
      await act((c) => c.vote({ id: req.body.message_id, from, options: req.body.options }));
      return { ok: true as const };
    });
    const members = (body: { group_id: string; phone_numbers: string[]; by_phone_number?: string | undefined }) => ({
      group: body.group_id,
      participants: body.phone_numbers.map((p) => normalizePhone(p, 'phone_numbers')),
      ...(body.by_phone_number === undefined ? {} : { by: normalizePhone(body.by_phone_number, 'by_phone_number') }),
    });
    app.post('/api/simulator/group-join', schema('People join a group (added by an admin, or with the invite link)', SimulatorGroupJoinInput, OkResult), async (req) => {
      await act((c) => c.groupJoin(members(req.body)));
      return { ok: true as const };
    });
    app.post('/api/simulator/group-leave', schema('People leave a group (or an admin removes them)', SimulatorGroupLeaveInput, OkResult), async (req) => {
      await act((c) => c.groupLeave(members(req.body)));
      return { ok: true as const };
    });
    app.post('/api/simulator/group-update', schema("A member changes the group's subject, description, picture or settings", SimulatorGroupUpdateInput, OkResult), async (req) => {
      const { group_id, by_phone_number, ...changes } = req.body;
      await act((c) => c.groupUpdate({ group: group_id, by: normalizePhone(by_phone_number, 'by_phone_number'), ...changes }));
      return { ok: true as const };
    });
    app.post('/api/simulator/call', schema('A contact calls you', SimulatorCallInput, IncomingResult), async (req) => {
      const from = normalizePhone(req.body.phone_number);
      const call = await act((c) => c.incomingCall({ from, ...(req.body.video ? { video: true } : {}), ...(req.body.group ? { group: true } : {}) }));
      return { ok: true as const, id: call?.id ?? null };
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
