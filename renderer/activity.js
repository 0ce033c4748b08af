// @ts-check
import { ActivityList, STATE_WORDS, fromEvent, messageItem, numberOf, sendItem } from './activity-view.js';
import { $ } from './dom.js';

/**
 * The Activity panel: what happened on the account, newest first — messages received, our
 * sends and how far they got, failures, and the rest of the event log — filled from what the
 * bridge has at start and then live from its events. Everything other people wrote is shown
 * as text only (textContent, never HTML), each name and text isolated for right-to-left
 * scripts. Screen readers hear a short summary now and then, not every item.
 *
 * @typedef {import('../src/shared/ipc.js').DesktopApi} DesktopApi
 * @typedef {import('../src/shared/ipc.js').StatusView} StatusView
 * @typedef {import('./activity-view.js').Item} Item
 */

/** New items are summed up for screen readers at most this often. */
const ANNOUNCE_MS = 10_000;
/** An event of a chat not in the name list re-reads the list at most this often. */
const CHATS_RELOAD_MS = 15_000;
/** A message we sent arrives as an event without its outbox id: the outbox is re-read this long after (a burst of sends reads it once). */
const SENDS_SETTLE_MS = 1_000;

/**
 * @param {DesktopApi} backend
 * @param {(state: string, lastError: string | null) => string} statusTitle
 * @param {(outboxId: string) => void} openDetails  shows a send's outbox entry
 */
export function setupActivity(backend, statusTitle, openDetails) {
  const model = new ActivityList();
  const list = $('activity-list');
  const filter = /** @type {HTMLSelectElement} */ ($('activity-chat'));
  const byClient = /** @type {HTMLSelectElement} */ ($('activity-client'));
  /** @type {Map<string, string>} client key id -> its name */
  const keyNames = new Map();
  /** @param {Item} it */
  const hiddenByFilters = (it) => (Boolean(filter.value) && it.chatId !== filter.value) || (Boolean(byClient.value) && it.client !== byClient.value);
  /** @type {Map<string, HTMLLIElement>} */
  const rows = new Map();
  /** @type {Map<string, string>} chat id -> its name */
  const names = new Map();
  /** Chats the last list had, named or not: only an event of another chat reads the list again. */
  const listed = new Set();
  let ready = false;
  let chatsLoadedAt = 0;
  let pending = { in: 0, failed: 0 };
  let announceTimer = 0;
  let sendsTimer = 0;

  /** @param {string | null} id */
  const nameOf = (id) => (id ? (names.get(id) ?? null) : null);

  /**
   * "Alice +15550100001", "+15550100001", "Family" or "an unknown contact", as nodes: a name in
   * <bdi>, the number left-to-right.
   * @param {string | null} id
   */
  const who = (id) => {
    const nodes = [];
    const name = nameOf(id);
    const number = numberOf(id);
    if (name) {
      const bdi = document.createElement('bdi');
      bdi.className = 'activity-name';
      bdi.textContent = name;
      nodes.push(bdi);
    }
    if (number && number.replace('+', '') !== name?.replace(/\D/g, '')) {
      const span = document.createElement('span');
      span.dir = 'ltr';
      span.className = 'activity-number';
      span.textContent = number;
      nodes.push(...(nodes.length ? [' ', span] : [span]));
    }
    if (!nodes.length) nodes.push(id?.endsWith('@g.us') ? 'a group' : 'an unknown contact');
    return nodes;
  };

  /** @param {number} at */
  const timeOf = (at) => {
    const time = document.createElement('time');
    const when = new Date(at);
    time.dateTime = when.toISOString();
    const today = when.toDateString() === new Date().toDateString();
    time.textContent = today ? when.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : when.toLocaleString([], { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
    return time;
  };

  /**
   * @param {Item} it
   * @param {HTMLLIElement} li
   */
  const paint = (it, li) => {
    li.className = `activity-item ${it.kind}`;
    li.dataset.chat = it.chatId ?? '';
    const what = document.createElement('span');
    what.className = 'activity-what';
    const subject = it.author ?? (it.kind === 'status' ? null : it.chatId);
    what.append(it.action);
    if (subject) what.append(' ', ...who(subject));
    if (it.author && it.chatId) what.append(' in ', ...who(it.chatId));
    const head = document.createElement('p');
    head.className = 'activity-head';
    head.append(what, timeOf(it.at));
    const parts = [head];
    if (it.text) {
      const text = document.createElement('p');
      text.className = 'activity-text';
      text.dir = 'auto';
      text.textContent = it.text;
      parts.push(text);
    }
    const state = [it.state ? STATE_WORDS[it.state] ?? it.state : '', it.detail ?? '', it.backfilled ? 'Arrived while the bridge was off' : ''].filter(Boolean).join(' — ');
    if (state || it.outboxId) {
      const foot = document.createElement('div');
      foot.className = 'activity-foot';
      const p = document.createElement('p');
      p.className = 'activity-state';
      p.textContent = state;
      foot.append(p);
      // A send or an approval opens its outbox entry.
      if (it.outboxId) {
        const details = document.createElement('button');
        details.type = 'button';
        details.className = 'activity-details link-button';
        details.dataset.outbox = it.outboxId;
        details.textContent = 'Details';
        details.setAttribute('aria-label', `Details — ${what.textContent}`);
        foot.append(details);
      }
      parts.push(foot);
    }
    li.replaceChildren(...parts);
    li.hidden = hiddenByFilters(it);
  };

  const refreshEmpty = () => {
    const shown = [...rows.values()].some((li) => !li.hidden);
    const empty = $('activity-empty');
    empty.hidden = shown;
    empty.textContent = byClient.value ? 'Nothing by this client yet.' : filter.value ? 'Nothing in this chat yet.' : 'Nothing yet. Messages received and sent show here as they happen.';
  };

  let filterShows = '';
  /** The filter offers the chats in the list; rebuilt only when they change (an open menu stays open). */
  const refreshFilter = () => {
    refreshClients();
    const chats = new Map();
    for (const it of model.items.values()) if (it.chatId) chats.set(it.chatId, nameOf(it.chatId) ?? numberOf(it.chatId) ?? (it.chatId.endsWith('@g.us') ? 'A group' : 'Unknown contact'));
    const chosen = filter.value;
    const sorted = [...chats].sort((a, b) => a[1].localeCompare(b[1]));
    const shows = JSON.stringify([chosen, sorted]);
    if (shows === filterShows) return;
    filterShows = shows;
    const options = [new Option('All chats', ''), ...sorted.map(([id, label]) => new Option(label, id))];
    if (chosen && !chats.has(chosen)) options.push(new Option(chosen, chosen));
    filter.replaceChildren(...options);
    filter.value = chosen;
  };

  let clientsShown = '';
  /** The client filter: you (the token and this window), then each key that asked for something here, by name. */
  const refreshClients = () => {
    const ids = new Set();
    for (const it of model.items.values()) if (it.client && it.client !== 'owner') ids.add(it.client);
    const chosen = byClient.value;
    const keys = [...ids].map((id) => [id, keyNames.get(id) ?? 'A client key']).sort((a, b) => a[1].localeCompare(b[1]));
    const shows = JSON.stringify([chosen, keys]);
    if (shows === clientsShown) return;
    clientsShown = shows;
    const options = [new Option('All clients', ''), new Option('You (API token, this window)', 'owner'), ...keys.map(([id, name]) => new Option(name, id))];
    if (chosen && chosen !== 'owner' && !ids.has(chosen)) options.push(new Option(keyNames.get(chosen) ?? 'A client key', chosen));
    byClient.replaceChildren(...options);
    byClient.value = chosen;
  };
  /** @param {Item} it */
  const place = (it) => {
    let li = rows.get(it.key);
    if (!li) {
      li = document.createElement('li');
      rows.set(it.key, li);
    }
    paint(it, li);
    // In the model's order: before the row of the next item that has one.
    const order = model.list();
    const after = order.slice(order.findIndex((other) => other.key === it.key) + 1).find((other) => rows.has(other.key));
    const next = after ? rows.get(after.key) : null;
    if (li.nextSibling !== next || li.parentNode !== list) list.insertBefore(li, next ?? null);
  };

  /** @param {string[]} keys */
  const drop = (keys) => {
    for (const key of keys) {
      rows.get(key)?.remove();
      rows.delete(key);
    }
  };

  /**
   * @param {Item} it
   * @param {boolean} live  heard as it happened (not loaded at start): may be announced
   */
  const add = (it, live) => {
    const { changed, removed } = model.add(it);
    drop(removed);
    if (changed) place(changed);
    if (live && changed === it && !it.backfilled) {
      if (it.kind === 'in') pending.in++;
      if (it.kind === 'failed') pending.failed++;
      scheduleAnnounce();
    }
    if (it.chatId && !listed.has(it.chatId)) void loadChats(false);
  };

  const scheduleAnnounce = () => {
    if (announceTimer || (!pending.in && !pending.failed)) return;
    announceTimer = window.setTimeout(() => {
      announceTimer = 0;
      const words = [pending.in ? `${pending.in} new message${pending.in > 1 ? 's' : ''}` : '', pending.failed ? `${pending.failed} failed send${pending.failed > 1 ? 's' : ''}` : ''].filter(Boolean);
      pending = { in: 0, failed: 0 };
      if (words.length) $('activity-live').textContent = `Activity: ${words.join(', ')}.`;
    }, ANNOUNCE_MS);
  };

  const repaint = () => {
    for (const it of model.items.values()) {
      const li = rows.get(it.key);
      if (li) paint(it, li);
    }
    refreshFilter();
    refreshEmpty();
  };

  /** Chat names (and their last messages) while WhatsApp is ready. @param {boolean} force */
  const loadChats = async (force) => {
    if (!ready || (!force && Date.now() - chatsLoadedAt < CHATS_RELOAD_MS)) return;
    chatsLoadedAt = Date.now();
    const r = await backend.getChats();
    if (!r.ok) return;
    for (const chat of r.value) {
      if (!chat.id) continue;
      listed.add(chat.id);
      if (chat.name) names.set(chat.id, chat.name);
      const m = chat.last_message;
      if (m?.timestamp) add(messageItem(chat.id, m, m.timestamp * 1000), false);
    }
    repaint();
  };

  /** The outbox's latest sends and (in the desktop window) the log's latest events. */
  const reload = async () => {
    const r = await backend.getActivity();
    if (!r.ok) return;
    for (const e of r.value.events) onEvent(e, false);
    for (const s of r.value.sends) add(sendItem(s), false);
    refreshFilter();
    refreshEmpty();
  };

  /**
   * @param {import('../src/shared/ipc.js').EventView} e
   * @param {boolean} live
   */
  const onEvent = (e, live) => {
    const change = fromEvent(e, statusTitle);
    if (!change) return;
    if ('ack' in change) {
      const moved = model.ack(change.ack.key, change.ack.state);
      if (moved) {
        place(moved);
        if (live && moved.kind === 'failed') {
          pending.failed++;
          scheduleAnnounce();
        }
      }
    } else add(change.add, live);
  };

  /** The outbox's latest sends again: a message of ours seen live gets its outbox entry (and its Details). */
  const reloadSends = () => {
    clearTimeout(sendsTimer);
    sendsTimer = window.setTimeout(async () => {
      const r = await backend.getActivity();
      if (!r.ok) return;
      for (const s of r.value.sends) add(sendItem(s), false);
      refreshFilter();
      refreshEmpty();
    }, SENDS_SETTLE_MS);
  };

  backend.onEvent((e) => {
    onEvent(e, true);
    if (e.data.type === 'message_create' && e.data.message.from_me) reloadSends();
    refreshFilter();
    refreshEmpty();
  });
  list.addEventListener('click', (e) => {
    const btn = /** @type {HTMLElement} */ (e.target).closest?.('button.activity-details');
    if (btn instanceof HTMLButtonElement && btn.dataset.outbox) openDetails(btn.dataset.outbox);
  });
  const applyFilters = () => {
    for (const it of model.items.values()) {
      const li = rows.get(it.key);
      if (li) li.hidden = hiddenByFilters(it);
    }
    refreshEmpty();
  };
  filter.addEventListener('change', applyFilters);
  byClient.addEventListener('change', applyFilters);

  const loadKeyNames = async () => {
    const r = await backend.getKeys();
    if (!r.ok) return;
    for (const k of r.value) keyNames.set(k.id, k.name);
    clientsShown = '';
    refreshClients();
  };
  void loadKeyNames();
  refreshEmpty();

  return {
    reload,
    /** @param {StatusView} s */
    statusChanged(s) {
      const was = ready;
      ready = s.ready;
      if (ready && !was) void loadChats(true);
    },
  };
}
