/**
 * The durable store: the only code in the bridge that writes SQL. See README.md beside
 * this file for the engine, durability and locking choices.
 */
export { openStore, IN_MEMORY, STORE_FILE, type Repos, type Store, type StoreOptions } from './store.js';
export { StoreError, isStoreError, type StoreErrorCode } from './errors.js';
export { SCHEMA_VERSION } from './migrations.js';
export {
  DEFAULT_ACCOUNT,
  IDEMPOTENCY_RETENTION_MS,
  MAX_LIST_LIMIT,
  type InsertResult,
  type ListQuery,
  type OutboxPage,
  type OutboxRepo,
  type TransitionFields,
} from './outbox.js';
export type { NewOutboxEntry, OutboxEntry } from './outbox-rows.js';
export {
  OUTBOX_STATUSES,
  SETTLED_STATUSES,
  TRANSITIONS,
  ackStatus,
  canTransition,
  isOutboxStatus,
  isSettled,
  type InitialStatus,
  type OutboxAck,
  type OutboxStatus,
} from './outbox-states.js';
export { newOutboxId, newWebhookSecret, DELIVERY_ID, EVENT_ID, KEY_ID, OUTBOX_ID, WEBHOOK_ID, WEBHOOK_SECRET } from './ids.js';
export { MAX_EVENTS_PAGE, type EventFilter, type EventsRepo, type NewEvent, type StoredEvent } from './events.js';
export { MAX_MESSAGES_PAGE, type ChatIds, type MessagePage, type MessagesRepo, type UpsertResult } from './messages.js';
export type { FirstImport, FirstImportRepo } from './messages-import.js';
export {
  MAX_EDITS,
  MESSAGE_SOURCES,
  type IncomingMessage,
  type MessageEdit,
  type MessageMedia,
  type MessageSource,
  type StoredMessage,
} from './messages-rows.js';
export { laterAck } from './messages-merge.js';
export { isSearchCursor, MAX_SEARCH_LIMIT, RANK_WINDOW, SCAN_BUDGET, type SearchHit, type SearchPage, type SearchQuery } from './search.js';
export { type NewWebhook, type Webhook, type WebhookPatch, type WebhooksRepo } from './webhooks.js';
export {
  DELIVERY_STATUSES,
  MAX_DELIVERIES_PAGE,
  type DeliveriesRepo,
  type Delivery,
  type DeliveryStatus,
  type DueDelivery,
} from './deliveries.js';
export type { SettingsRepo } from './settings.js';
export type { SendHistory } from './outbox-history.js';
export type { Recorder, RecordIncomingResult, RecordOptions, RecordResult } from './record.js';
export { createMediaSpool, insertWithMedia, SPOOL_DIR, type MediaSpool } from './media-spool.js';
export { type ClientKeyRow, type KeysRepo, type NewClientKey } from './keys.js';
export { AUDIT_CLIENT_KINDS, AUDIT_TRANSPORTS, MAX_AUDIT_PAGE, type AuditEntry, type AuditQuery, type AuditRepo, type NewAuditEntry } from './audit.js';
export type { AccountRow, AccountsRepo } from './accounts.js';
