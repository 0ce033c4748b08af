// @ts-check
import { writeClipboard } from './backend.js';
import { confirmDialog } from './confirm.js';
import { $, announce, attempt, busy, button, confirmCopied, run, showError } from './dom.js';

/**
 * The Clients panel: the client keys (what each may do, whom it may write to, what you
 * approve, when it was last used), Revoke (asked first), Create (the API's safe defaults
 * preselected; the new key shown once, with copy) and the "Pause agents" switch. Keys change
 * without an event in the log (a client connecting creates its own), so the list is re-read
 * after each change here, when the page becomes visible, and every half minute.
 *
 * @typedef {import('../src/shared/ipc.js').DesktopApi} DesktopApi
 * @typedef {import('../src/shared/ipc.js').ClientKeyView} ClientKeyView
 * @typedef {import('../src/shared/ipc.js').NewClientKey} NewClientKey
 * @typedef {import('../src/shared/ipc.js').AgentsView} AgentsView
 */

const REFRESH_MS = 30_000;

export const SCOPE_WORDS = /** @type {Record<ClientKeyView['scopes'][number], string>} */ ({ read: 'read', send: 'send', link: 'link', admin: 'admin' });

/** @param {ClientKeyView} k */
export function recipientsWords(k) {
  switch (k.recipients) {
    case 'reply_only':
      return `chats that wrote in the last ${k.reply_window_hours} h`;
    case 'contacts':
      return 'your contacts and groups';
    case 'allowlist':
      return `${k.allowlist.length} listed chat${k.allowlist.length === 1 ? '' : 's'}`;
    default:
      return 'anyone';
  }
}

/** @param {ClientKeyView} k */
export function approveWords(k) {
  const quarantine = 'sends to another chat after it read other people’s messages';
  if (k.approve === 'always') return 'every send';
  if (k.approve === 'new_recipients') return k.quarantine ? `the first send to each chat, and ${quarantine}` : 'the first send to each chat';
  return k.quarantine ? `only ${quarantine}` : 'nothing';
}

/** @param {string | null} iso */
function when(iso) {
  if (!iso) return 'never';
  const at = new Date(iso);
  const today = at.toDateString() === new Date().toDateString();
  return today ? `today ${at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}` : at.toLocaleDateString([], { day: 'numeric', month: 'short', year: 'numeric' });
}

/**
 * @param {string} tag
 * @param {string} className
 * @param {(string | Node)[]} children
 */
function el(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children);
  return node;
}

/** @param {DesktopApi} backend */
export function setupClients(backend) {
  const list = $('keys-list');
  const form = /** @type {HTMLFormElement} */ ($('key-form'));
  const pauseSwitch = /** @type {HTMLInputElement} */ ($('agents-paused'));
  let tick = 0;
  let createdKey = '';

  /** @param {ClientKeyView} k */
  const item = (k) => {
    const li = el('li', `key${k.revoked_at ? ' revoked' : ''}`);
    li.dataset.id = k.id;
    const name = el('bdi', 'key-name', k.name);
    name.id = `key-${k.id}-name`;
    const head = el('div', 'key-head', el('p', 'key-title', name, ' ', el('code', 'key-prefix', `${k.key_prefix}…`)));
    if (k.revoked_at) head.append(el('span', 'key-badge', 'Revoked'));
    else {
      const revoke = /** @type {HTMLButtonElement} */ (el('button', 'key-revoke', 'Revoke…'));
      revoke.type = 'button';
      revoke.setAttribute('aria-describedby', name.id);
      head.append(revoke);
    }
    const facts = el(
      'dl',
      'key-facts',
      el('dt', '', 'May'),
      el('dd', '', k.scopes.map((s) => SCOPE_WORDS[s]).join(', ')),
      el('dt', '', 'Writes to'),
      el('dd', '', recipientsWords(k)),
      el('dt', '', 'You approve'),
      el('dd', '', approveWords(k)),
      el('dt', '', k.revoked_at ? 'Revoked' : 'Last used'),
      el('dd', '', when(k.revoked_at ?? k.last_used_at)),
    );
    li.append(head, facts);
    return li;
  };

  const reload = async () => {
    clearTimeout(tick);
    tick = window.setTimeout(() => void reload(), REFRESH_MS);
    if (document.visibilityState === 'hidden') return;
    const [keys, agents] = await Promise.all([backend.getKeys(), backend.getAgents()]);
    if (keys.ok) {
      // Active keys first, newest first; revoked ones after them.
      const sorted = [...keys.value].sort((a, b) => Number(Boolean(a.revoked_at)) - Number(Boolean(b.revoked_at)) || b.created_at.localeCompare(a.created_at));
      const focused = /** @type {HTMLElement | null} */ (document.activeElement)?.closest?.('li.key');
      const focusedId = focused instanceof HTMLElement ? focused.dataset.id : null;
      list.replaceChildren(...sorted.map(item));
      $('keys-empty').hidden = sorted.length > 0;
      if (focusedId) /** @type {HTMLElement | null} */ (list.querySelector(`li[data-id="${CSS.escape(focusedId)}"] button`))?.focus();
    }
    if (agents.ok) paintAgents(agents.value);
  };

  /** @param {AgentsView} a */
  const paintAgents = (a) => {
    pauseSwitch.checked = a.paused;
    const waiting = a.held ? ` ${a.held} send${a.held === 1 ? '' : 's'} held until you resume.` : '';
    $('agents-note').textContent = a.paused
      ? `Agents are paused: every send by a client key waits, none is dropped.${waiting}`
      : 'Agents may send, within each key’s limits. Pausing holds every send by a client key until you resume; you keep sending.';
  };

  const revoke = async (/** @type {HTMLButtonElement} */ btn) => {
    const li = /** @type {HTMLElement} */ (btn.closest('li.key'));
    const name = li.querySelector('.key-name')?.textContent ?? 'this key';
    if (busy(btn)) return;
    const yes = await confirmDialog({
      title: `Revoke “${name}”?`,
      text: 'It stops working at once, and its open connections are closed. This cannot be undone: a client that should work again needs a new key.',
      confirm: 'Revoke',
      cancel: 'Keep it',
    });
    if (!yes) return;
    const r = await run(btn, () => backend.revokeKey(li.dataset.id ?? ''));
    if (r) {
      announce(`${r.name} revoked.`);
      await reload();
      $('clients-title').focus();
    }
  };

  /** @returns {NewClientKey | null} */
  const readForm = () => {
    const data = new FormData(form);
    const name = String(data.get('name') ?? '').trim();
    const nameError = $('key-name-error');
    const nameInput = /** @type {HTMLInputElement} */ ($('key-name'));
    nameError.hidden = Boolean(name);
    nameError.textContent = name ? '' : 'Give the key a name: who will use it, e.g. “Backup script”.';
    nameInput.setAttribute('aria-invalid', String(!name));
    if (!name) {
      nameInput.focus();
      return null;
    }
    const recipients = /** @type {NewClientKey['recipients']} */ (String(data.get('recipients')));
    const allowlist = String(data.get('allowlist') ?? '')
      .split(/[\n,;]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    return {
      name,
      scopes: /** @type {ClientKeyView['scopes']} */ (data.getAll('scopes').map(String)),
      recipients,
      ...(recipients === 'allowlist' ? { allowlist } : {}),
      approve: /** @type {NewClientKey['approve']} */ (String(data.get('approve'))),
      quarantine: data.get('quarantine') === 'on',
    };
  };

  const create = async () => {
    const submit = button('key-submit');
    if (busy(submit)) return;
    const input = readForm();
    if (!input) return;
    const error = $('key-form-error');
    error.hidden = true;
    const r = await attempt(submit, () => backend.createKey(input));
    if (!r.ok) {
      error.hidden = false;
      error.textContent = r.error.message;
      return;
    }
    form.reset();
    $('key-allowlist-field').hidden = true;
    /** @type {HTMLDetailsElement} */ ($('key-create')).open = false;
    createdKey = r.value.key;
    $('key-created-title').replaceChildren('The key for ', el('bdi', '', r.value.name));
    $('key-created-value').textContent = createdKey;
    $('key-created').hidden = false;
    $('key-created').focus();
    await reload();
  };

  list.addEventListener('click', (e) => {
    const btn = /** @type {HTMLElement} */ (e.target).closest?.('button.key-revoke');
    if (btn instanceof HTMLButtonElement) void revoke(btn);
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void create();
  });
  form.addEventListener('change', () => {
    $('key-allowlist-field').hidden = new FormData(form).get('recipients') !== 'allowlist';
  });
  button('key-created-copy').addEventListener('click', async () => {
    const btn = button('key-created-copy');
    if (await writeClipboard(createdKey)) confirmCopied(btn);
    else showError({ code: 'CLIPBOARD', message: 'Copying was not allowed here; select the key and copy it by hand.' });
  });
  button('key-created-done').addEventListener('click', () => {
    // Gone from the page for good: the bridge keeps only its hash.
    createdKey = '';
    $('key-created-value').textContent = '';
    $('key-created').hidden = true;
    $('clients-title').focus();
  });
  pauseSwitch.addEventListener('change', async () => {
    const paused = pauseSwitch.checked;
    showError(null);
    const r = await backend.setAgentsPaused(paused);
    if (r.ok) {
      paintAgents(r.value);
      announce(paused ? 'Agents paused.' : 'Agents resumed.');
    } else {
      pauseSwitch.checked = !paused;
      showError(r.error);
    }
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void reload();
  });

  return {
    reload,
    /** An event arrived that may change what waits (approvals, held sends). */
    agentsMayHaveChanged: async () => {
      const r = await backend.getAgents();
      if (r.ok) paintAgents(r.value);
    },
  };
}
