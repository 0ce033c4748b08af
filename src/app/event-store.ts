import type { IncomingMessage, Store, StoredEvent } from '../store/index.js';
import type { MessageDto } from '../whatsapp/session.js';
import type { RecordedMessages } from './catch-up.js';
import type { EventStore, EventType, LoggedEvent, NewEvent } from './events.js';

/** A stored event as every consumer sees it (SSE, webhook bodies, MCP). */
/** A wire message as the store takes it: the message, plus what it says about its chat and people. */
export function toIncoming(m: MessageDto, chatId: string | null): IncomingMessage {
  return {
    message: m,
    ...(chatId ? { chatId } : {}),
    senderPhone: m.sender_phone,
    senderLid: m.sender_lid,
    quotedId: m.quoted_message_id,
    mentions: m.mentioned_ids,
    media: m.media,
    revoked: m.revoked,
  };
}

export function loggedEvent(e: StoredEvent): LoggedEvent {
  return {
    cursor: e.seq,
    id: e.id,
    type: e.type as EventType,
    account: e.account,
    chat_id: e.chatId,
    at: new Date(e.at).toISOString(),
    backfilled: e.backfilled,
    data: e.payload as LoggedEvent['data'],
  };
}

/**
 * The event log on the store: an event and what it changes of a stored message (the message
 * itself, its ack, an edit, a revoke) in one transaction, with the webhook deliveries it
 * queues, so a crash never leaves one without the other.
 */
export function storeEventLog(store: Store): EventStore & RecordedMessages {
  return {
    record(account, event: NewEvent, carried) {
      const entry = { type: event.type, chatId: event.chatId, at: event.at, backfilled: event.backfilled, payload: event.data };
      if (carried) {
        const m = carried.message;
        const result = store.recordIncoming(account, entry, toIncoming(m, event.chatId), { source: carried.source, ifNew: event.backfilled });
        return result.event ? loggedEvent(result.event) : null;
      }
      const data = event.data;
      return loggedEvent(
        store.transaction(() => {
          if (data.type === 'message_ack') store.messages.updateAck(account, data.message_id, data.ack);
          else if (data.type === 'message_edit') store.messages.edit(account, data.message_id, { body: data.body, at: event.at });
          else if (data.type === 'message_revoke_everyone') store.messages.revoke(account, data.message_id, event.at);
          return store.record(account, entry).event;
        }),
      );
    },
    after: (account, cursor, query) => store.events.after(account, cursor, query).map(loggedEvent),
    before: (account, cursor, query) => store.events.before(account, cursor, query).map(loggedEvent),
    latestCursor: (account) => store.events.latestCursor(account),
    has: (account, id) => store.messages.get(account, id) !== null,
    newestTimestamp: (account, chatId) => store.messages.newestInChat(account, chatId)?.timestamp ?? null,
    newestOverall: (account) => store.messages.newestTimestamp(account),
  };
}
