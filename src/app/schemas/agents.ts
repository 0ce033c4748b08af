import { z } from 'zod';

/** The kill switch's state (issue 12). */
export const AgentsResult = z.object({
  ok: z.literal(true),
  paused: z.boolean().describe('true: every send by a client key is held in the outbox until resumed'),
  since: z.string().nullable().describe('ISO 8601: when the switch was last flipped'),
  by: z.string().nullable().describe('Who flipped it: "owner", "window" or a client key\'s name'),
  held: z.number().int().describe('Sends by client keys waiting in the queue'),
  awaiting_approval: z.number().int().describe('Sends waiting for a person to approve them (GET /api/outbox?status=awaiting_approval)'),
});
