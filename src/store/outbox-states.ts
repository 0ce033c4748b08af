/**
 * The outbox's state machine, as data: the store refuses any other move, and the app layer
 * and the tests read the same table. No I/O here.
 *
 *   awaiting_approval ─► queued ─► sending ─► sent ─► delivered ─► read
 *          │               │         │  ▲       │
 *          └──► canceled ◄─┘         │  └ queued (not sent after all: retry)
 *                                    └──► failed ◄── (sent: WhatsApp's error ack)
 */
export const OUTBOX_STATUSES = ['awaiting_approval', 'queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'canceled'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** Where a new entry starts: queued, or held for a person's approval. */
export type InitialStatus = Extract<OutboxStatus, 'queued' | 'awaiting_approval'>;

export const TRANSITIONS: Readonly<Record<OutboxStatus, readonly OutboxStatus[]>> = {
  awaiting_approval: ['queued', 'canceled', 'failed'],
  queued: ['sending', 'canceled', 'failed'],
  // delivered/read straight from sending: an ack can overtake the "sent" bookkeeping.
  sending: ['sent', 'delivered', 'read', 'failed', 'queued'],
  sent: ['delivered', 'read', 'failed'],
  delivered: ['read'],
  read: [],
  failed: [],
  canceled: [],
};

export function canTransition(from: OutboxStatus, to: OutboxStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isOutboxStatus(value: unknown): value is OutboxStatus {
  return typeof value === 'string' && (OUTBOX_STATUSES as readonly string[]).includes(value);
}

/**
 * Settled: WhatsApp has the message, or it will never be sent. Its media bytes can be
 * dropped and, after the retention time, its idempotency key forgotten. Entries that are
 * not settled keep both, however old.
 */
export const SETTLED_STATUSES: readonly OutboxStatus[] = ['sent', 'delivered', 'read', 'failed', 'canceled'];

export function isSettled(status: OutboxStatus): boolean {
  return SETTLED_STATUSES.includes(status);
}

/**
 * Delivery receipts as the store takes them (whatsapp-web.js `message_ack` 1–4, named so
 * the store knows nothing of that library). `played` (a voice note listened to) counts as
 * read. Errors are not acks here: the app layer moves the entry to `failed` with a code.
 */
export type OutboxAck = 'sent' | 'delivered' | 'read' | 'played';

const ACK_STATUS: Readonly<Record<OutboxAck, OutboxStatus>> = { sent: 'sent', delivered: 'delivered', read: 'read', played: 'read' };
const PROGRESS: readonly OutboxStatus[] = ['sending', 'sent', 'delivered', 'read'];

export function ackStatus(ack: OutboxAck): OutboxStatus {
  return ACK_STATUS[ack];
}

/**
 * The statuses an ack may advance from: only forwards, so a late or repeated receipt
 * (delivered after read) changes nothing.
 */
export function ackSources(ack: OutboxAck): OutboxStatus[] {
  const to = ACK_STATUS[ack];
  return PROGRESS.slice(0, PROGRESS.indexOf(to)).filter((from) => canTransition(from, to));
}
