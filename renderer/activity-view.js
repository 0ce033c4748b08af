// @ts-check
/**
 * The Activity panel's model, without the DOM: what an event of the log, a send of the
 * outbox or a chat's last message reads as, and a bounded list that merges them (a send and
 * the message it became are one item; acks move its status forward).
 *
 * @typedef {import('../src/shared/ipc.js').EventView} EventView
 * @typedef {import('../src/shared/ipc.js').SendView} SendView
 * @typedef {import('../src/shared/wire.js').MessageDto} MessageDto
 * @typedef {import('../src/shared/wire.js').ChatDto} ChatDto
 */

/** Items kept; older ones fall off the end. */
export const ACTIVITY_LIMIT = 200;

/**
 * @typedef {'in' | 'out' | 'failed' | 'event' | 'status'} ItemKind
 * @typedef {object} Item
 * @property {string} key       the message id when there is one (so a send, its message and its acks meet), else the event or outbox id
 * @property {ItemKind} kind
 * @property {number} at        ms
 * @property {string | null} chatId
 * @property {string | null} author  who wrote it in a group chat
 * @property {string} action    what happened, before the name: "From", "To", "Not sent to", "Reaction from"…
 * @property {string} text      the first line (untrusted: shown as text only)
 * @property {string | null} state  a send's status: queued … read, failed
 * @property {string | null} detail why it failed
 * @property {boolean} backfilled
 * @property {string | null} replaces  the key this item had before (a send's outbox id, once it has a message id)
 * @property {string | null} outboxId  the outbox entry behind it (a send, an approval), for its details
 * @property {string | null} client  who asked for a send or an approval: a client key's id, or "owner" (the token, the window); null when not known (an incoming message, a message sent from the phone)
 */

/** A send's status in words (outbox statuses and WhatsApp's acks). */
export const STATE_WORDS = /** @type {Record<string, string>} */ ({
  awaiting_approval: 'Waiting for approval',
  queued: 'Queued',
  sending: 'Sending…',
  pending: 'Sending…',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  played: 'Played',
  failed: 'Failed',
  error: 'Failed',
  canceled: 'Canceled',
});

/** How far a send got: a later ack never moves it back (acks can arrive out of order). */
const PROGRESS = /** @type {Record<string, number>} */ ({ awaiting_approval: 0, queued: 1, sending: 2, pending: 2, sent: 3, delivered: 4, read: 5, played: 6, failed: 7, error: 7, canceled: 7 });

/**
 * The first non-empty line, shortened: enough to recognise a message, never a wall of text.
 * @param {string | null | undefined} text
 * @param {number} [max]
 */
export function firstLine(text, max = 140) {
  const line = (text ?? '').split(/\r?\n/).find((l) => l.trim() !== '')?.trim() ?? '';
  const chars = [...line];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : line;
}

/**
 * A phone number for a "…@c.us" id ("+15550100001"); null for groups and LIDs, which are not numbers.
 * @param {string | null | undefined} id
 */
export function numberOf(id) {
  const m = /^(\d{5,20})@c\.us$/.exec(id ?? '');
  return m ? `+${m[1]}` : null;
}

/** @param {MessageDto} m */
function messageText(m) {
  if (m.revoked) return '(deleted)';
  const text = firstLine(m.body);
  if (text) return text;
  if (m.has_media) return `(${m.media?.filename ?? m.type ?? 'file'})`;
  return m.type && m.type !== 'chat' ? `(${m.type})` : '';
}

/**
 * @param {Partial<Item> & Pick<Item, 'key' | 'kind' | 'at' | 'chatId' | 'action'>} fields
 * @returns {Item}
 */
const item = (fields) => ({ author: null, text: '', state: null, detail: null, backfilled: false, replaces: null, outboxId: null, client: null, ...fields });

/**
 * A message as an item: ours ("To …", with its ack) or someone else's ("From …").
 * @param {string | null} chatId
 * @param {MessageDto} m
 * @param {number} at
 * @param {boolean} [backfilled]
 */
export function messageItem(chatId, m, at, backfilled = false) {
  const isGroup = (chatId ?? '').endsWith('@g.us');
  return item({
    key: m.id ?? `msg:${chatId}:${at}`,
    kind: m.from_me ? 'out' : 'in',
    at,
    chatId,
    author: !m.from_me && isGroup ? (m.sender_phone ?? m.author ?? m.from) : null,
    action: m.from_me ? 'To' : 'From',
    text: messageText(m),
    state: m.from_me ? (m.ack ?? 'sent') : null,
    backfilled,
  });
}

/**
 * A send of the outbox as an item: keyed by its message id once WhatsApp took it.
 * @param {SendView} s
 */
export function sendItem(s) {
  const failed = s.status === 'failed';
  return item({
    key: s.message_id ?? s.id,
    kind: failed ? 'failed' : 'out',
    at: Date.parse(s.updated_at),
    chatId: s.chat_id,
    action: failed ? 'Not sent to' : 'To',
    text: firstLine(s.text),
    state: s.status,
    detail: failed ? (s.error?.message ?? null) : null,
    replaces: s.message_id ? s.id : null,
    outboxId: s.id,
    client: s.client_id ?? 'owner',
  });
}

/** What became of a held send, before the recipient's name. */
const APPROVAL_WORDS = /** @type {Record<string, string>} */ ({
  pending: 'Waiting for your approval: to',
  approved: 'Approved: to',
  denied: 'Denied: to',
  expired: 'Not approved in time: to',
  canceled: 'Withdrawn before approval: to',
});

/**
 * What an event of the log adds to the list: an item, or (for an ack) a status update of the
 * message it is about. `statusTitle` words a session state (the table of states).
 * @param {EventView} e
 * @param {(state: string, lastError: string | null) => string} statusTitle
 * @returns {{ add: Item } | { ack: { key: string, state: string } } | null}
 */
export function fromEvent(e, statusTitle) {
  const at = Date.parse(e.at);
  const base = { key: e.id, kind: /** @type {ItemKind} */ ('event'), at, chatId: e.chat_id, backfilled: e.backfilled };
  const d = e.data;
  switch (d.type) {
    case 'message':
    case 'message_create':
      return { add: messageItem(e.chat_id, d.message, at, e.backfilled) };
    case 'message_ack':
      return { ack: { key: d.message_id, state: d.ack } };
    case 'status':
      return { add: item({ ...base, kind: 'status', chatId: null, action: `WhatsApp: ${statusTitle(d.state, d.last_error)}` }) };
    case 'message_reaction':
      return { add: item({ ...base, author: d.sender_phone ?? d.sender, action: d.emoji ? 'Reaction from' : 'Reaction removed by', text: d.emoji }) };
    case 'message_edit':
      return { add: item({ ...base, action: 'Edited in', text: firstLine(d.body) }) };
    case 'message_revoke_everyone':
      return { add: item({ ...base, action: 'Deleted for everyone in', text: '' }) };
    case 'vote_update':
      return { add: item({ ...base, author: d.voter_phone ?? d.voter, action: 'Poll vote from', text: d.selected_options.map((o) => o.name ?? '?').join(', ') }) };
    case 'call':
      return { add: item({ ...base, action: d.is_video ? 'Video call from' : 'Call from', text: '' }) };
    case 'group_join':
      return { add: item({ ...base, action: 'Joined', text: d.participants.map((p) => numberOf(p) ?? p).join(', ') }) };
    case 'group_leave':
      return { add: item({ ...base, action: 'Left', text: d.participants.map((p) => numberOf(p) ?? p).join(', ') }) };
    case 'group_update':
      return { add: item({ ...base, action: 'Group changed:', text: d.change }) };
    case 'approval':
      return { add: item({ ...base, chatId: d.chat_id, action: APPROVAL_WORDS[d.state] ?? `Approval ${d.state}: to`, detail: d.client ? `Asked by ${d.client}` : null, outboxId: d.outbox_id, client: d.client_id ?? 'owner' }) };
    default:
      return null;
  }
}

/**
 * The items, newest first, at most `limit`. Returns what changed so the DOM does only that.
 */
export class ActivityList {
  /** @param {number} [limit] */
  constructor(limit = ACTIVITY_LIMIT) {
    this.limit = limit;
    /** @type {Map<string, Item>} */
    this.items = new Map();
  }

  /** Newest first; of two at the same time, the one added later first (the sort is stable). */
  list() {
    return [...this.items.values()].reverse().sort((a, b) => b.at - a.at);
  }

  /**
   * Adds an item or merges it into the one with its key (a send seen again, now with a later
   * status). A message of ours that matches a send still without a message id (same chat,
   * same first line) takes that send's place.
   * @param {Item} next
   * @returns {{ changed: Item | null, removed: string[] }}
   */
  add(next) {
    /** @type {string[]} */
    const removed = [];
    if (next.replaces && next.replaces !== next.key && this.items.delete(next.replaces)) removed.push(next.replaces);
    const known = this.items.get(next.key);
    if (known) return { changed: this.merge(known, next), removed };
    if (next.kind === 'out') {
      const pending = [...this.items.values()].find((i) => i.kind === 'out' && i.key.startsWith('ob_') && i.chatId === next.chatId && i.text === next.text);
      if (pending) {
        this.items.delete(pending.key);
        removed.push(pending.key);
        next = { ...next, outboxId: next.outboxId ?? pending.outboxId, client: next.client ?? pending.client };
      }
    }
    this.items.set(next.key, next);
    if (this.items.size > this.limit) {
      const oldest = this.list().slice(this.limit);
      for (const o of oldest) {
        this.items.delete(o.key);
        removed.push(o.key);
      }
    }
    return { changed: this.items.has(next.key) ? next : null, removed };
  }

  /**
   * @param {string} key
   * @param {string} state
   * @returns {Item | null} the item it moved forward, if any
   */
  ack(key, state) {
    const known = this.items.get(key);
    if (!known || known.kind === 'in') return null;
    return this.merge(known, { ...known, state, kind: state === 'error' ? 'failed' : known.kind, action: state === 'error' ? 'Not sent to' : known.action });
  }

  /**
   * @param {Item} known
   * @param {Item} next
   * @returns {Item | null}
   */
  merge(known, next) {
    const outboxId = known.outboxId ?? next.outboxId;
    const client = known.client ?? next.client;
    const forward = (PROGRESS[next.state ?? ''] ?? -1) > (PROGRESS[known.state ?? ''] ?? -1);
    if (!forward) {
      // The outbox entry of a message seen first as an event: no newer status, but now its details can open.
      if (outboxId === known.outboxId && client === known.client) return null;
      const linked = { ...known, outboxId, client };
      this.items.set(known.key, linked);
      return linked;
    }
    const merged = { ...known, state: next.state, kind: next.kind, action: next.action, detail: next.detail ?? known.detail, outboxId, client };
    this.items.set(known.key, merged);
    return merged;
  }
}
