/**
 * The durable store: the only code in the bridge that writes SQL. See README.md beside
 * this file for the engine, durability and locking choices.
 */
export { openStore, IN_MEMORY, STORE_FILE, type Store, type StoreOptions } from './store.js';
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
export { newOutboxId, OUTBOX_ID } from './ids.js';
export { createMediaSpool, insertWithMedia, SPOOL_DIR, type MediaSpool } from './media-spool.js';
