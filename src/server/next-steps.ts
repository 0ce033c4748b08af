import type { AppError } from '../core/errors.js';
import type { NextStep } from '../core/next-steps.js';

/** Each next step as a REST caller takes it. */
const REST: Readonly<Record<NextStep, string>> = {
  start_auth: 'POST /api/auth/start',
  link: 'scan the QR code at /qr with your phone (WhatsApp → Linked devices → Link a device), or POST /api/pairing-code',
  status: 'GET /api/status',
  list_chats: 'GET /api/chats',
  list_groups: 'GET /api/groups',
  chat_messages: 'GET /api/chats/{chat_id}/messages',
  outbox: 'GET /api/outbox/{outbox_id}',
};

/** Each next step as an MCP client takes it. */
const MCP: Readonly<Record<NextStep, string>> = {
  start_auth: 'call whatsapp_start_auth',
  link: 'ask the user to scan the QR code (whatsapp_start_auth) or call whatsapp_pairing_code',
  status: 'call whatsapp_status',
  list_chats: 'call whatsapp_list_chats',
  list_groups: 'call whatsapp_list_groups',
  chat_messages: 'call whatsapp_get_chat_messages',
  outbox: 'call whatsapp_get_send_status',
};

function worded(err: AppError, table: Readonly<Record<NextStep, string>>): string {
  const next = err.details?.next as NextStep | undefined;
  return next && table[next] ? `${err.message} Next: ${table[next]}.` : err.message;
}

export const restMessage = (err: AppError): string => worded(err, REST);
export const mcpMessage = (err: AppError): string => worded(err, MCP);
