import { z } from 'zod';
import { AUDIT_CLIENT_KINDS, AUDIT_TRANSPORTS } from '../../store/audit.js';
import { KEY_ID } from '../../store/ids.js';
import { limit } from './common.js';

export const AuditQuery = z.object({
  client_id: z.string().regex(KEY_ID, 'client_id takes a key id ("key_…")').optional().describe('Only what this client key did'),
  action: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,63}$/, 'action is a name like "send_message" or "create_key"')
    .optional()
    .describe('Only this action, e.g. send_message, create_key, revoke_key'),
  since: z.iso.datetime({ offset: true, error: 'since must be an ISO 8601 time, e.g. "2026-01-31T12:00:00Z"' }).optional().describe('Only entries at or after this time (ISO 8601)'),
  before: z.coerce.number({ error: 'before takes the next_before of the previous page' }).int().min(1).optional().describe('Page back: next_before of the previous page'),
  limit: limit(50).describe('How many, newest first: 1-100, default 50'),
});

export const AuditEntrySchema = z.object({
  id: z.number().int().describe('Increasing; the cursor for before='),
  at: z.string().describe('ISO 8601'),
  account: z.string().describe('The WhatsApp account the action was for'),
  client_kind: z.enum(AUDIT_CLIENT_KINDS).describe('owner (the API token), key (a client key), window (the desktop app)'),
  client_id: z.string().nullable().describe('The key id; null for the owner and the window'),
  client_name: z.string().nullable().describe('The key name at the time'),
  transport: z.enum(AUDIT_TRANSPORTS),
  action: z.string().describe('e.g. send_message, create_key'),
  target: z.string().nullable().describe('A chat id, key id, outbox id… what the action was about'),
  outcome: z.string().describe('"ok" or the error code it ended with'),
  code: z.string().nullable(),
  outbox_id: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
});

export const AuditListResult = z.object({ ok: z.literal(true), count: z.number().int(), entries: z.array(AuditEntrySchema), next_before: z.number().int().nullable() });

export type AuditQuery = z.infer<typeof AuditQuery>;
export type AuditEntryView = z.infer<typeof AuditEntrySchema>;
