import { AppError } from '../core/errors.js';
import type { Delivery, Store, Webhook } from '../store/index.js';
import { newDeliveryId } from '../store/ids.js';
import type { CreateWebhookInput, DeliveryView, UpdateWebhookInput, WebhookView } from './schemas/webhooks.js';
import type { WebhookDispatcher } from './webhook-dispatcher.js';
import { postWebhook, type PostOutcome } from './webhook-post.js';

const iso = (ms: number) => new Date(ms).toISOString();

export function webhookView(w: Webhook): WebhookView {
  return {
    id: w.id,
    url: w.url,
    events: w.events,
    chat_id: w.chatId,
    chat_ids: w.chatIds,
    enabled: w.enabled,
    disabled_reason: w.disabledReason,
    failure_count: w.failureCount,
    created_at: iso(w.createdAt),
    updated_at: iso(w.updatedAt),
  };
}

export function deliveryView(d: Delivery): DeliveryView {
  return {
    id: d.id,
    event_cursor: d.eventSeq,
    chat_id: d.chatId,
    status: d.status,
    attempts: d.attempts,
    next_attempt_at: iso(d.nextAttemptAt),
    last_status_code: d.lastStatusCode,
    last_error: d.lastError,
    created_at: iso(d.createdAt),
    delivered_at: d.deliveredAt === null ? null : iso(d.deliveredAt),
  };
}

/** http(s) only, and no user:password (it would sit in the store and the logs in clear). */
function checkedUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('VALIDATION_ERROR', `url "${raw}" is not a URL: give an absolute http:// or https:// address`, { fields: ['url'] });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError('VALIDATION_ERROR', `url must be http:// or https://, not ${url.protocol}`, { fields: ['url'] });
  }
  if (url.username || url.password) {
    throw new AppError('VALIDATION_ERROR', 'url must not carry a user name or password: verify the signature on the receiver instead', { fields: ['url'] });
  }
  return url.href;
}

/**
 * Webhooks: receivers of the event log, each with a secret that signs every delivery. The
 * secret is shown once, when the webhook is created. Deliveries are queued by the store as
 * events are recorded and sent by the dispatcher.
 *
 * A chat filter follows a person, as SSE's does: a person's phone-number chat and LID chat
 * are one, so `chat_id` stands for both (`chat_ids`), found by `sameChat` when it is set and
 * again each time WhatsApp becomes ready (`followPeople`), which may know more by then.
 */
export class Webhooks {
  constructor(
    private readonly account: string,
    private readonly store: Store,
    private readonly dispatcher: WebhookDispatcher,
    /** The chats one chat id stands for (Search.bothIds): itself first. */
    private readonly sameChat: (chatId: string) => Promise<string[]> = async (chatId) => [chatId],
  ) {}

  async create(input: CreateWebhookInput): Promise<WebhookView & { secret: string }> {
    const url = checkedUrl(input.url);
    const chatId = input.chat_id ?? null;
    const chatIds = chatId === null ? null : await this.sameChat(chatId);
    const w = this.store.webhooks.create({ account: this.account, url, events: input.events ?? null, chatId, chatIds });
    return { ...webhookView(w), secret: w.secret };
  }

  list(): WebhookView[] {
    return this.store.webhooks.list(this.account).map(webhookView);
  }

  get(id: string): WebhookView {
    return webhookView(this.find(id));
  }

  /** Enabling clears the reason it was disabled; what waited for it goes out at once. */
  async update(id: string, patch: UpdateWebhookInput): Promise<WebhookView> {
    this.find(id);
    const url = patch.url !== undefined ? checkedUrl(patch.url) : undefined;
    const chats = patch.chat_id === undefined ? {} : { chatId: patch.chat_id, chatIds: patch.chat_id === null ? null : await this.sameChat(patch.chat_id) };
    const updated = this.store.webhooks.update(id, {
      ...(url !== undefined ? { url } : {}),
      ...(patch.events !== undefined ? { events: patch.events } : {}),
      ...chats,
      ...(patch.enabled !== undefined ? { enabled: patch.enabled, ...(patch.enabled ? {} : { disabledReason: 'Disabled by request.' }) } : {}),
    });
    if (!updated) throw notFound(id);
    if (patch.enabled) this.dispatcher.kick();
    return webhookView(updated);
  }

  /** Whether any of the account's webhooks has a chat filter (whose chats followPeople looks up). */
  filtersChats(): boolean {
    return this.store.webhooks.list(this.account).some((w) => w.chatId !== null);
  }

  /**
   * The chats each filter follows, looked up again: a person's other chat that was not known
   * when the filter was set (before linking, say) is followed from now on. Chats already
   * followed stay followed.
   */
  async followPeople(): Promise<void> {
    for (const w of this.store.webhooks.list(this.account)) {
      if (w.chatId === null) continue;
      const found = await this.sameChat(w.chatId);
      // The filter may have changed meanwhile: add to the one it has now, if it is the same.
      const now = this.store.webhooks.get(w.id);
      if (!now || now.chatId !== w.chatId) continue;
      const held = now.chatIds ?? [w.chatId];
      const more = found.filter((id) => !held.includes(id));
      if (more.length) this.store.webhooks.update(w.id, { chatIds: [...held, ...more] });
    }
  }

  /** Removes it with its delivery log. */
  delete(id: string): void {
    if (!this.store.webhooks.delete(id)) throw notFound(id);
  }

  deliveries(id: string, page: { limit: number; before?: string }): { deliveries: DeliveryView[]; nextBefore: string | null } {
    this.find(id);
    const result = this.store.deliveries.list(id, page);
    return { deliveries: result.deliveries.map(deliveryView), nextBefore: result.nextBefore };
  }

  /** A signed `webhook.test` event, sent now and outside the queue (a disabled webhook too): the receiver's answer. */
  async test(id: string): Promise<PostOutcome> {
    const w = this.find(id);
    const now = Date.now();
    const body = JSON.stringify({ type: 'webhook.test', account: this.account, chat_id: null, at: iso(now), data: { webhook_id: w.id } });
    return postWebhook({ url: w.url, secret: w.secret, id: newDeliveryId(now), body, now });
  }

  private find(id: string): Webhook {
    const w = this.store.webhooks.get(id);
    if (!w || w.account !== this.account) throw notFound(id);
    return w;
  }
}

const notFound = (id: string) => new AppError('WEBHOOK_NOT_FOUND', `No webhook ${id}: list the webhooks to see their ids.`);
