/**
 * WhatsApp Web keeps system notices in a chat's message list, and whatsapp-web.js emits
 * `message` / `message_create` for every new one except group notifications (`gp2`, which
 * it reports as group_join / group_leave / group_update). Nobody wrote them, so they are
 * neither messages received nor messages of ours: the adapter drops them from the event
 * channel and from chat reads (WhatsApp Web's own `isNotification` covers most, not all).
 *
 * | type | what it is | where it shows instead |
 * | --- | --- | --- |
 * | `e2e_notification` | "messages are end-to-end encrypted", "security code changed" | nowhere |
 * | `notification`, `notification_template` | other notices: a number changed, disappearing messages turned on, a business account | nowhere |
 * | `call_log` | a call's record in the chat ("Missed voice call") | the `call` event while WhatsApp Web is connected; a call missed while it was not is not reported |
 * | `protocol` | protocol messages (a deletion, an ephemeral setting, key or history-sync shares) | `message_revoke_everyone` for deletions |
 * | `gp2` | group notifications | `group_join`, `group_leave`, `group_update` |
 * | `broadcast_notification` | broadcast list notices | nowhere |
 * | `ciphertext` | a message not decrypted yet ("Waiting for this message") | `message` once it is decrypted (whatsapp-web.js emits it then); kept out of reads so its empty copy is never what gets stored |
 */
export const SYSTEM_MESSAGE_TYPES: readonly string[] = [
  'e2e_notification',
  'notification',
  'notification_template',
  'call_log',
  'protocol',
  'gp2',
  'broadcast_notification',
  'ciphertext',
];

const SYSTEM = new Set(SYSTEM_MESSAGE_TYPES);

/** Whether a message of this WhatsApp Web type is a system notice rather than something someone wrote. */
export function isSystemMessage(type: string | null | undefined): boolean {
  return typeof type === 'string' && SYSTEM.has(type);
}
