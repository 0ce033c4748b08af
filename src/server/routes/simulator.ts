import type { FastifyPluginAsync } from 'fastify';
import type { Page } from 'puppeteer-core';
import { z } from 'zod';
import { AppError, describeError } from '../../core/errors.js';
import { normalizePhone } from '../../core/phone.js';
import { SimulatorControl } from '../../whatsapp/simulator/index.js';
import { MESSAGE_MAX_CHARS } from '../schemas.js';
import { parseInput } from '../validate.js';

export const SimulatorIncomingInput = z.object({
  phone_number: z.string({ error: 'phone_number must be a string, e.g. "+15551234567"' }).max(64).describe('The contact who writes to you'),
  message: z
    .string({ error: 'message must be a string' })
    .min(1, 'message must not be empty')
    .max(MESSAGE_MAX_CHARS, `message must be at most ${MESSAGE_MAX_CHARS} characters`)
    .describe('What they write'),
  pushname: z.string().max(100).optional().describe('Their display name'),
});

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

const EmptyBody = z.object({}).strict();

/** whatsapp-web.js closes the page as soon as it sees a disconnect, sometimes before our call returns. */
const PAGE_CLOSED = /Target closed|Session closed|detached|Execution context was destroyed/i;

/**
 * Demo-mode controls: play the phone and WhatsApp's servers against the simulator. These
 * routes exist only when the bridge runs with --demo, and need the token like all others.
 */
export function simulatorRoutes(page: () => Page | null): FastifyPluginAsync {
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

  return async (app) => {
    app.post('/api/simulator/link', async (req) => {
      parseInput(EmptyBody, req.body);
      await act((c) => c.link());
      return { ok: true };
    });
    app.post('/api/simulator/incoming', async (req) => {
      const input = parseInput(SimulatorIncomingInput, req.body);
      const from = normalizePhone(input.phone_number);
      const sent = await act((c) => c.incoming({ from, body: input.message, ...(input.pushname ? { pushname: input.pushname } : {}) }));
      return { ok: true, id: sent?.id ?? null };
    });
    app.post('/api/simulator/disconnect', async (req) => {
      const { state } = parseInput(SimulatorDisconnectInput, req.body);
      await act((c) => c.disconnect(state), true);
      return { ok: true };
    });
    app.post('/api/simulator/phone-logout', async (req) => {
      parseInput(EmptyBody, req.body);
      await act((c) => c.phoneLogout(), true);
      return { ok: true };
    });
    app.post('/api/simulator/seed', async (req) => {
      const input = parseInput(SimulatorSeedInput, req.body);
      await act((c) => c.seed({ chats: input.chats, messagesPerChat: input.messages_per_chat }));
      const snapshot = await act((c) => c.snapshot());
      return { ok: true, chats: snapshot?.accountChats ?? null };
    });
  };
}
