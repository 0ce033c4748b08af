import type { Page } from 'puppeteer-core';
import { describeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { GroupState, WaEvent } from '../shared/events.js';
import { withTimeout } from './browser-binding.js';
import { ackName, chatIdOf, idOf, identityOf, senderOf, toMessageDto, type Identities, type Identity, type MessageLike } from './dto.js';
import * as pageScripts from './page-scripts.js';
import { isSystemMessage } from './system-messages.js';

/**
 * whatsapp-web.js's client events as the port's `event` channel: plain data, in the order
 * the client emitted them, never a throw. whatsapp-web.js hooks WhatsApp Web's own models
 * (Client.attachEventListeners): the Msg collection's `add` (message, message_create, group
 * notifications), `change:ack`, `change:type` (revoked), `change:body` / `change:caption`
 * (edits), the reaction and poll-vote tables, and the call collection.
 */

/** What the client hands its listeners, as far as the mapping reads it. */
interface ReactionLike {
  msgId?: unknown;
  senderId?: unknown;
  reaction?: unknown;
  timestamp?: unknown;
}
interface PollVoteLike {
  voter?: unknown;
  selectedOptions?: { name?: unknown; localId?: unknown }[] | null;
  interractedAtTs?: unknown;
  parentMsgKey?: unknown;
  parentMessage?: MessageLike | null;
}
interface GroupNotificationLike {
  chatId?: unknown;
  author?: unknown;
  recipientIds?: unknown[] | null;
  type?: unknown;
  timestamp?: unknown;
}
interface CallLike {
  id?: unknown;
  from?: unknown;
  isVideo?: unknown;
  isGroup?: unknown;
  timestamp?: unknown;
}

export interface EventSource {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each event has its own arguments
  on(event: string, listener: (...args: any[]) => void): unknown;
}

export interface EventSink {
  /** false once the client is retired: its late events are dropped. */
  current(): boolean;
  emit(event: WaEvent): void;
  page(): Page | null;
  people: IdentityLookup;
  log: Logger;
}

type Build = () => WaEvent | null | Promise<WaEvent | null>;

/** Subscribes to the client's events; each becomes a WaEvent, emitted in the order they came. */
export function forwardEvents(client: EventSource, sink: EventSink): void {
  let tail: Promise<void> = Promise.resolve();
  const on = <A extends unknown[]>(name: string, build: (...args: A) => Build | null) => {
    client.on(name, ((...args: A) => {
      if (!sink.current()) return;
      let run: Build | null;
      try {
        run = build(...args);
      } catch (err) {
        sink.log.warn({ err: describeError(err), event: name }, 'could not report a WhatsApp event');
        return;
      }
      if (!run) return;
      // An event that needs the page (a sender's other id) must not be overtaken by the next one.
      tail = tail.then(async () => {
        try {
          const event = await run();
          if (!event) sink.log.debug({ event: name }, 'a WhatsApp event without the fields it needs was dropped');
          else if (sink.current()) sink.emit(event);
        } catch (err) {
          sink.log.warn({ err: describeError(err), event: name }, 'could not report a WhatsApp event');
        }
      });
    }) as (...args: unknown[]) => void);
  };

  const messageEvent = (type: 'message' | 'message_create') => (msg: MessageLike) => {
    // A system notice (system-messages.ts) is not a message anyone wrote.
    if (isSystemMessage(msg?.type)) {
      sink.log.debug({ event: type, type: msg.type }, 'a WhatsApp system notice is not reported as a message');
      return null;
    }
    return messageEventOf(type, msg);
  };
  const messageEventOf = (type: 'message' | 'message_create', msg: MessageLike) => async (): Promise<WaEvent | null> => {
    const chatId = chatIdOf(msg);
    if (!chatId || !msg.id?._serialized) return null;
    const message = toMessageDto(msg, await sink.people.lookup([senderOf(msg)]));
    return { type, chat_id: chatId, timestamp: message.timestamp, message };
  };
  on('message', messageEvent('message'));
  // whatsapp-web.js emits message_create for every new message; received ones are `message`.
  on('message_create', (msg: MessageLike) => (msg.fromMe || msg.id?.fromMe ? messageEvent('message_create')(msg) : null));

  on('message_ack', (msg: MessageLike, ack: number) => () => {
    const id = msg.id?._serialized;
    const chatId = chatIdOf(msg);
    const name = ackName(ack);
    return id && chatId && name ? { type: 'message_ack', chat_id: chatId, timestamp: null, message_id: id, ack: name } : null;
  });

  on('message_revoke_everyone', (msg: MessageLike) => () => {
    const id = msg.id?._serialized;
    const chatId = chatIdOf(msg);
    if (!id || !chatId) return null;
    const subtype = msg._data?.subtype;
    const revokedBy = subtype === 'sender_revoke' ? 'sender' : subtype === 'admin_revoke' ? 'admin' : null;
    return { type: 'message_revoke_everyone', chat_id: chatId, timestamp: null, message_id: id, revoked_by: revokedBy, by: revokedBy === 'sender' ? senderOf(msg) : null };
  });

  on('message_reaction', (reaction: ReactionLike) => async () => {
    const id = idOf(reaction.msgId);
    const chatId = idOf((reaction.msgId as { remote?: unknown } | null)?.remote) ?? id?.split('_')[1] ?? null;
    const sender = idOf(reaction.senderId);
    if (!id || !chatId || !sender) return null;
    const who = await person(sink.people, sender);
    const emoji = typeof reaction.reaction === 'string' ? reaction.reaction : '';
    return { type: 'message_reaction', chat_id: chatId, timestamp: seconds(reaction.timestamp), message_id: id, sender, sender_phone: who.phone, sender_lid: who.lid, emoji };
  });

  on('message_edit', (msg: MessageLike, body: unknown, previous: unknown) => () => {
    const id = msg.id?._serialized;
    const chatId = chatIdOf(msg);
    if (!id || !chatId) return null;
    const editedAt = msg.latestEditSenderTimestampMs ?? msg._data?.latestEditSenderTimestampMs;
    return {
      type: 'message_edit',
      chat_id: chatId,
      timestamp: typeof editedAt === 'number' ? seconds(editedAt / 1000) : null,
      message_id: id,
      body: typeof body === 'string' ? body : '',
      previous_body: typeof previous === 'string' ? previous : '',
    };
  });

  on('vote_update', (vote: PollVoteLike) => async () => {
    const pollId = idOf(vote.parentMsgKey) ?? vote.parentMessage?.id?._serialized ?? null;
    const chatId = idOf((vote.parentMsgKey as { remote?: unknown } | null)?.remote) ?? (vote.parentMessage ? chatIdOf(vote.parentMessage) : null);
    const voter = idOf(vote.voter);
    if (!pollId || !chatId || !voter) return null;
    const who = await person(sink.people, voter);
    const selected = (Array.isArray(vote.selectedOptions) ? vote.selectedOptions : []).map((o) => ({
      name: typeof o?.name === 'string' ? o.name : null,
      local_id: typeof o?.localId === 'number' ? o.localId : -1,
    }));
    const at = typeof vote.interractedAtTs === 'number' ? seconds(vote.interractedAtTs / 1000) : null;
    return { type: 'vote_update', chat_id: chatId, timestamp: at, poll_id: pollId, voter, voter_phone: who.phone, voter_lid: who.lid, selected_options: selected };
  });

  const membership = (type: 'group_join' | 'group_leave') => (n: GroupNotificationLike) => (): WaEvent | null => {
    const chatId = idOf(n.chatId);
    if (!chatId) return null;
    const participants = (Array.isArray(n.recipientIds) ? n.recipientIds : []).map(idOf).filter((id): id is string => id !== null);
    return { type, chat_id: chatId, timestamp: seconds(n.timestamp), participants, by: idOf(n.author), how: typeof n.type === 'string' ? n.type : '' };
  };
  on('group_join', membership('group_join'));
  on('group_leave', membership('group_leave'));

  on('group_update', (n: GroupNotificationLike) => async () => {
    const chatId = idOf(n.chatId);
    if (!chatId) return null;
    const group = await groupState(sink, chatId);
    return { type: 'group_update', chat_id: chatId, timestamp: seconds(n.timestamp), change: typeof n.type === 'string' ? n.type : '', by: idOf(n.author), group };
  });

  on('call', (call: CallLike) => () => {
    const from = idOf(call.from);
    if (!from) return null;
    const id = typeof call.id === 'string' || typeof call.id === 'number' ? String(call.id) : null;
    return { type: 'call', chat_id: from, timestamp: seconds(call.timestamp), call_id: id, from, is_video: Boolean(call.isVideo), is_group: Boolean(call.isGroup) };
  });
}

async function person(people: IdentityLookup, id: string): Promise<Identity> {
  return identityOf(id, await people.lookup([id]));
}

async function groupState(sink: EventSink, chatId: string): Promise<GroupState | null> {
  const page = sink.page();
  if (!page) return null;
  try {
    return await withTimeout(page.evaluate(pageScripts.groupState, chatId), PAGE_LOOKUP_MS);
  } catch (err) {
    sink.log.debug({ err: describeError(err) }, 'could not read the group after its update');
    return null;
  }
}

function seconds(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : null;
}

/** A page lookup that takes longer than this is skipped: events must keep flowing. */
const PAGE_LOOKUP_MS = 2_000;
/** How long an id whose other id WhatsApp Web did not know is not asked for again. */
const UNPAIRED_TTL_MS = 30_000;

/**
 * The other id of a person (phone number ↔ LID) as WhatsApp Web knows it, the way
 * whatsapp-web.js's getContactLidAndPhone finds it (WAWebApiContact), without asking
 * WhatsApp's servers. Known pairs are kept for the life of the page; an id without a known
 * partner is asked again a little later, since WhatsApp Web may learn it.
 */
export class IdentityLookup {
  private readonly known = new Map<string, { identity: Identity; until: number }>();

  constructor(
    private readonly page: () => Page | null,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async lookup(ids: readonly (string | null | undefined)[]): Promise<Identities> {
    const result = new Map<string, Identity>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      if (!id || !/@(c\.us|lid)$/.test(id)) continue;
      const hit = this.known.get(id);
      if (hit && hit.until > this.now()) result.set(id, hit.identity);
      else missing.push(id);
    }
    const page = this.page();
    if (!missing.length || !page) return result;
    try {
      const found = await withTimeout(page.evaluate(pageScripts.identities, missing), PAGE_LOOKUP_MS);
      for (const id of missing) {
        const identity = found[id] ?? identityOf(id);
        result.set(id, identity);
        this.known.set(id, { identity, until: identity.phone && identity.lid ? Infinity : this.now() + UNPAIRED_TTL_MS });
      }
    } catch (err) {
      this.log.debug({ err: describeError(err) }, 'could not look up the other ids of senders');
    }
    return result;
  }
}
