import type { Scope } from '../../app/context.js';

/**
 * The scope each MCP tool needs, as its REST route does (issue 12). A key sees and can
 * call only the tools its scopes cover: the others are not registered on its session, so
 * they are absent from tools/list and a call gets "tool not found". A tool missing here is
 * hidden from every key (fail closed); a test checks that every tool is listed.
 */
export const TOOL_SCOPES: Readonly<Record<string, Scope>> = {
  whatsapp_status: 'read',
  whatsapp_start_auth: 'link',
  whatsapp_pairing_code: 'link',
  whatsapp_logout: 'link',
  whatsapp_send_message: 'send',
  whatsapp_send_media: 'send',
  whatsapp_send_location: 'send',
  whatsapp_send_poll: 'send',
  whatsapp_react: 'send',
  whatsapp_delete_message: 'send',
  whatsapp_forward_message: 'send',
  whatsapp_mark_read: 'send',
  whatsapp_list_chats: 'read',
  whatsapp_read_messages: 'read',
  whatsapp_get_chat_messages: 'read',
  whatsapp_download_media: 'read',
  whatsapp_list_groups: 'read',
  whatsapp_search_contacts: 'read',
  whatsapp_get_send_status: 'read',
  whatsapp_list_sends: 'read',
  whatsapp_list_unread: 'read',
  whatsapp_search_messages: 'read',
  whatsapp_wait_for_messages: 'read',
  // Fills the local store from WhatsApp; sends and changes nothing there.
  whatsapp_import_history: 'read',
};

/** The chat resources (whatsapp://chats…) are reads. */
export const RESOURCES_SCOPE: Scope = 'read';
