import { bool, int, json, optText, text, type Row } from './columns.js';
import { guarded } from './errors.js';
import { newWebhookId, newWebhookSecret } from './ids.js';
import type { Db } from './sqlite.js';

/** A receiver of events. Times are milliseconds since the epoch. */
export interface Webhook {
  /** `wh_…` */
  id: string;
  account: string;
  url: string;
  /** The event types it receives; null: all. */
  events: string[] | null;
  /** Only events of this chat; null: every chat (and events without one). */
  chatId: string | null;
  /** The chats `chatId` stands for (it first; a person's phone-number chat and LID chat); null with it. */
  chatIds: string[] | null;
  /** `whsec_…` (Standard Webhooks): signs every delivery. The API shows it once, at creation. */
  secret: string;
  enabled: boolean;
  /** Why it was disabled (by a person, or after repeated failures), for the API to show. */
  disabledReason: string | null;
  /** Failed attempts since the last delivered one (the app disables the webhook past its limit). */
  failureCount: number;
  createdAt: number;
  updatedAt: number;
}

export interface NewWebhook {
  account: string;
  url: string;
  events?: readonly string[] | null;
  chatId?: string | null;
  /** The chats `chatId` stands for; default: just it. */
  chatIds?: readonly string[] | null;
  /** Generated when omitted (a config entry may bring its own). */
  secret?: string;
}

export interface WebhookPatch {
  url?: string;
  events?: readonly string[] | null;
  /** A new filter (its chatIds default to just it). */
  chatId?: string | null;
  /** The chats the filter stands for: with chatId, its chats; alone, the chats of the filter it has. */
  chatIds?: readonly string[] | null;
  /** Enabling clears the reason and the failure count; disabling records `disabledReason`. */
  enabled?: boolean;
  disabledReason?: string | null;
}

export interface WebhooksRepo {
  create(webhook: NewWebhook): Webhook;
  get(id: string): Webhook | null;
  /** Oldest first. */
  list(account: string): Webhook[];
  /** null when there is no such webhook. */
  update(id: string, patch: WebhookPatch): Webhook | null;
  /** Removes it and its delivery log; false when there was none. */
  delete(id: string): boolean;
}

const T = 'webhooks';

export function toWebhook(row: Row, prefix = ''): Webhook {
  const col = (c: string) => `${prefix}${c}`;
  return {
    id: text(row, T, col('id')),
    account: text(row, T, col('account')),
    url: text(row, T, col('url')),
    events: row[col('events')] === null ? null : (json(row, T, col('events')) as string[]),
    chatId: optText(row, T, col('chat_id')),
    chatIds: row[col('chat_ids')] == null ? chatIdsOf(optText(row, T, col('chat_id'))) : (json(row, T, col('chat_ids')) as string[]),
    secret: text(row, T, col('secret')),
    enabled: bool(row, T, col('enabled')),
    disabledReason: optText(row, T, col('disabled_reason')),
    failureCount: int(row, T, col('failure_count')),
    createdAt: int(row, T, col('created_at')),
    updatedAt: int(row, T, col('updated_at')),
  };
}

/** An empty list would silently receive nothing; that is what `enabled: false` is for. */
function eventsJson(events: readonly string[] | null | undefined): string | null {
  if (events == null) return null;
  if (events.length === 0) throw new RangeError('a webhook needs at least one event type, or none given (null) for all');
  return JSON.stringify([...new Set(events)]);
}

/** The chat id first, each once; null without a filter. */
function chatIdsOf(chatId: string | null | undefined, chatIds?: readonly string[] | null): string[] | null {
  return chatId == null ? null : [...new Set([chatId, ...(chatIds ?? [])])];
}

const chatIdsJson = (ids: string[] | null) => (ids === null ? null : JSON.stringify(ids));

export function createWebhooksRepo(db: Db, file: string, now: () => number): WebhooksRepo {
  const insert = db.prepare(`
    INSERT INTO webhooks (id, account, url, events, chat_id, chat_ids, secret, created_at, updated_at)
    VALUES (:id, :account, :url, :events, :chat_id, :chat_ids, :secret, :now, :now) RETURNING *`);
  const byId = db.prepare('SELECT * FROM webhooks WHERE id = ?');
  const byAccount = db.prepare('SELECT * FROM webhooks WHERE account = ? ORDER BY seq');
  // Each field is set only when given (:set_x), so one statement serves every patch.
  const patch = db.prepare(`
    UPDATE webhooks SET
      url             = CASE WHEN :set_url THEN :url ELSE url END,
      events          = CASE WHEN :set_events THEN :events ELSE events END,
      chat_id         = CASE WHEN :set_chat THEN :chat_id ELSE chat_id END,
      chat_ids        = CASE WHEN :set_chat_ids THEN :chat_ids ELSE chat_ids END,
      enabled         = CASE WHEN :set_enabled THEN :enabled ELSE enabled END,
      disabled_reason = CASE WHEN :set_enabled AND :enabled THEN NULL WHEN :set_reason THEN :reason ELSE disabled_reason END,
      failure_count   = CASE WHEN :set_enabled AND :enabled THEN 0 ELSE failure_count END,
      updated_at      = :now
    WHERE id = :id RETURNING *`);
  const remove = db.prepare('DELETE FROM webhooks WHERE id = ?');

  return {
    create: (w) =>
      guarded(file, () => {
        const t = now();
        const row = insert.get({
          id: newWebhookId(t),
          account: w.account,
          url: w.url,
          events: eventsJson(w.events),
          chat_id: w.chatId ?? null,
          chat_ids: chatIdsJson(chatIdsOf(w.chatId, w.chatIds)),
          secret: w.secret ?? newWebhookSecret(),
          now: t,
        });
        if (!row) throw new Error('webhook insert returned no row');
        return toWebhook(row);
      }),

    get: (id) =>
      guarded(file, () => {
        const row = byId.get(id);
        return row ? toWebhook(row) : null;
      }),

    list: (account) => guarded(file, () => byAccount.all(account).map((r) => toWebhook(r))),

    update: (id, p) =>
      guarded(file, () => {
        // A new filter brings its chats; chats alone replace those of the filter it has (its id stays first).
        const chatId = p.chatId !== undefined ? p.chatId : p.chatIds !== undefined ? (byId.get(id)?.chat_id as string | null | undefined) : undefined;
        const row = patch.get({
          id,
          now: now(),
          set_url: p.url !== undefined ? 1 : 0,
          url: p.url ?? null,
          set_events: p.events !== undefined ? 1 : 0,
          events: p.events !== undefined ? eventsJson(p.events) : null,
          set_chat: p.chatId !== undefined ? 1 : 0,
          chat_id: p.chatId ?? null,
          set_chat_ids: chatId !== undefined ? 1 : 0,
          chat_ids: chatIdsJson(chatIdsOf(chatId, p.chatIds)),
          set_enabled: p.enabled !== undefined ? 1 : 0,
          enabled: p.enabled === undefined ? null : p.enabled ? 1 : 0,
          set_reason: p.disabledReason !== undefined ? 1 : 0,
          reason: p.disabledReason ?? null,
        });
        return row ? toWebhook(row) : null;
      }),

    delete: (id) => guarded(file, () => Number(remove.run(id).changes) > 0),
  };
}
