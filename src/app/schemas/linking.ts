import { z } from 'zod';
import { SESSION_STATES } from '../../shared/wire.js';
import { body, phone } from './common.js';
import { HistoryImportStatus } from './reading.js';
import { AccountSchema } from '../../shared/wire.js';

export const PairingCodeInput = z.object(
  {
    phone_number: phone('Your own WhatsApp number, the phone that will link this device'),
  },
  body('phone_number'),
);

export const StatusSchema = z.object({
  state: z.enum(SESSION_STATES).describe('Session lifecycle state'),
  ready: z.boolean().describe('true when messages can be sent and read'),
  authenticated: z.boolean().describe('true once the phone has linked this device (authenticated or ready)'),
  auth_dir: z.string().describe('Where the linked-device session is stored'),
  chrome_executable: z.string().nullable().describe('The browser that runs WhatsApp Web'),
  headless: z.boolean().describe('Whether the browser window is hidden'),
  has_qr: z.boolean().describe('true when a QR code is waiting to be scanned at /qr'),
  last_error: z.string().nullable().describe('The last problem, in words, or null'),
  account_id: z.string().describe('Which account of the bridge this is: its id in the registry (GET /api/accounts), "default" unless the request named another (X-Account, /mcp/<id>)'),
  account: AccountSchema.nullable().describe('The linked WhatsApp account (its number and name) when ready, else null'),
  history_import: HistoryImportStatus.optional().describe('The history import under way, or the last one (absent before any)'),
});

export const PairingCodeResult = z.object({
  already_authenticated: z.boolean(),
  phone_number: z.string().optional().describe('The normalized number the code is for'),
  code: z.string().nullable().describe('Enter this in WhatsApp on the phone; null when already linked'),
  instructions: z.string().optional(),
  status: StatusSchema.optional().describe('Present when already_authenticated is true'),
});

export const QrResult = z.object({
  ok: z.literal(true),
  state: z.enum(SESSION_STATES),
  has_qr: z.boolean(),
  qr: z.string().nullable().describe('The raw string to encode as a QR code, or null'),
  data_url: z.string().nullable().describe('A PNG of the QR code as a data: URL, or null'),
});

export type StatusDto = z.infer<typeof StatusSchema>;
