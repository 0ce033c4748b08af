// @ts-check
import { numberOf } from './activity-view.js';
import { $, announce, attempt, busy, showError } from './dom.js';
import { minutesSeconds } from './view.js';

/**
 * The Approvals panel, at the top of the page while any send waits: for each, the recipient
 * (name and number), the whole text, the files, which client key asked and why, how long is
 * left, and Approve / Deny. Re-read whenever the log says an approval changed (here, in the
 * tray's notification, in the dashboard, over REST or in the MCP client, or by expiry).
 * Everything an agent wrote is text only, isolated for right-to-left scripts.
 *
 * @typedef {import('../src/shared/ipc.js').DesktopApi} DesktopApi
 * @typedef {import('../src/shared/ipc.js').PendingApproval} PendingApproval
 * @typedef {import('../src/shared/ipc.js').ApprovalDecision} ApprovalDecision
 */

/** How each kind of send is introduced when it is not a plain text. */
const KIND_WORDS = /** @type {Record<string, string>} */ ({
  media: 'Files',
  location: 'A location',
  poll: 'A poll',
  forward: 'A forwarded message',
  reaction: 'A reaction',
});

/** @param {number} bytes */
export function fileSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
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

/**
 * A name in <bdi> and the number left-to-right: "Alice +15550100001", or the number alone.
 * @param {string} chatId
 * @param {string | null} name
 */
export function recipientNodes(chatId, name) {
  /** @type {(string | Node)[]} */
  const nodes = [];
  if (name) {
    const bdi = el('bdi', 'approval-name', name);
    nodes.push(bdi);
  }
  const number = numberOf(chatId);
  const shown = number ?? (chatId.endsWith('@g.us') ? (name ? '' : 'a group') : chatId);
  if (shown) {
    const span = el('span', 'approval-number', shown);
    span.dir = 'ltr';
    nodes.push(...(nodes.length ? [' ', span] : [span]));
  }
  if (chatId.endsWith('@g.us')) nodes.push(' (group)');
  return nodes;
}

/**
 * @param {DesktopApi} backend
 * @param {{ onChange?(count: number): void }} [hooks]
 */
export function setupApprovals(backend, hooks = {}) {
  const section = $('approvals');
  const list = $('approvals-list');
  /** @type {PendingApproval[]} */
  let pending = [];
  let reading = 0;
  let tick = 0;
  /** An id the page was opened at (#approval-<id>) whose item is not on screen yet. */
  let wanted = /** @type {string | null} */ (null);

  const countdowns = () => {
    const now = Date.now();
    for (const time of list.querySelectorAll('time[data-expires]')) {
      const at = Date.parse(/** @type {HTMLElement} */ (time).dataset.expires ?? '');
      time.textContent = at > now ? `${minutesSeconds(at - now)} left` : 'Expiring…';
    }
  };

  /** @param {PendingApproval} p */
  const item = (p) => {
    const { send } = p;
    const a = send.approval;
    const li = el('li', 'approval');
    // Not "approval-<id>", the window's #hash for it (see focusFromHash in app.js).
    li.id = `pending-${send.id}`;
    li.dataset.id = send.id;
    li.setAttribute('aria-labelledby', `pending-${send.id}-to`);
    const to = el('p', 'approval-to', el('span', 'approval-label', 'To '), ...recipientNodes(send.chat_id, p.recipient_name));
    to.id = `pending-${send.id}-to`;
    const head = el('div', 'approval-head', to);
    if (a?.expires_at) {
      const time = /** @type {HTMLTimeElement} */ (el('time', 'approval-expiry'));
      time.dateTime = a.expires_at;
      time.dataset.expires = a.expires_at;
      head.append(time);
    }
    li.append(head);
    const kind = KIND_WORDS[send.kind];
    if (kind && send.kind !== 'media') li.append(el('p', 'approval-kind', `${kind}:`));
    if (send.text) {
      const text = el('p', 'approval-text', send.text);
      text.dir = 'auto';
      li.append(text);
    } else if (!a?.files.length) li.append(el('p', 'approval-kind muted', '(no text)'));
    if (a?.files.length) {
      li.append(el('p', 'approval-kind', a.files.length === 1 ? 'A file:' : `${a.files.length} files:`));
      const files = el('ul', 'approval-files');
      for (const f of a.files) {
        const name = el('bdi', '', f.filename ?? 'a file without a name');
        files.append(el('li', '', name, ` — ${fileSize(f.size)}, ${f.mimetype}`));
      }
      li.append(files);
    }
    const who = el('p', 'approval-why', 'Asked by ', el('bdi', 'approval-client', a?.requested_by ?? 'a client key'), a ? `, held because ${a.reason_text}.` : '.');
    li.append(who);
    const approve = /** @type {HTMLButtonElement} */ (el('button', 'primary', 'Approve'));
    const deny = /** @type {HTMLButtonElement} */ (el('button', 'danger', 'Deny'));
    for (const [btn, decision] of /** @type {const} */ ([
      [approve, 'approve'],
      [deny, 'deny'],
    ])) {
      btn.type = 'button';
      btn.dataset.decision = decision;
      btn.setAttribute('aria-describedby', to.id);
    }
    li.append(el('div', 'actions', approve, deny));
    return li;
  };

  const paint = () => {
    const focusedId = /** @type {HTMLElement | null} */ (document.activeElement)?.closest?.('li.approval')?.id ?? null;
    const focusedDecision = /** @type {HTMLElement | null} */ (document.activeElement)?.dataset?.decision ?? null;
    list.replaceChildren(...pending.map(item));
    section.hidden = pending.length === 0;
    $('approvals-title').textContent = pending.length > 1 ? `${pending.length} sends waiting for your approval` : 'Waiting for your approval';
    countdowns();
    clearInterval(tick);
    if (pending.length) tick = window.setInterval(countdowns, 1000);
    // A repaint keeps keyboard focus where it was.
    if (focusedId && focusedDecision) /** @type {HTMLElement | null} */ (document.querySelector(`#${CSS.escape(focusedId)} [data-decision="${focusedDecision}"]`))?.focus();
    if (wanted) focusItem(wanted);
    hooks.onChange?.(pending.length);
  };

  /** @param {string} id */
  const focusItem = (id) => {
    const btn = /** @type {HTMLElement | null} */ (document.querySelector(`#pending-${CSS.escape(id)} [data-decision="approve"]`));
    if (!btn) return false;
    wanted = null;
    btn.scrollIntoView({ block: 'center' });
    btn.focus();
    return true;
  };

  const reload = async () => {
    const mine = ++reading;
    const r = await backend.getApprovals();
    if (mine !== reading || !r.ok) return;
    pending = r.value;
    paint();
  };

  /**
   * @param {HTMLButtonElement} btn
   */
  const decide = async (btn) => {
    const li = /** @type {HTMLElement} */ (btn.closest('li.approval'));
    const id = li.dataset.id ?? '';
    const decision = /** @type {ApprovalDecision} */ (btn.dataset.decision);
    if (busy(btn)) return;
    const index = pending.findIndex((p) => p.send.id === id);
    const r = await attempt(btn, () => backend.decideApproval(id, decision));
    if (!r.ok) {
      showError(r.error);
      void reload();
      return;
    }
    const who = pending[index];
    pending = pending.filter((p) => p.send.id !== id);
    paint();
    const name = who?.recipient_name ?? numberOf(who?.send.chat_id) ?? 'the recipient';
    announce(decision === 'approve' ? `Approved: sending to ${name}.` : `Denied: nothing is sent to ${name}.`);
    // Focus moves to the next send waiting, or to the status heading once none waits.
    const next = /** @type {HTMLElement | null} */ (list.querySelectorAll('[data-decision="approve"]')[Math.min(index, pending.length - 1)] ?? null);
    (next ?? $('status-title')).focus();
  };

  list.addEventListener('click', (e) => {
    const btn = /** @type {HTMLElement} */ (e.target).closest?.('button[data-decision]');
    if (btn instanceof HTMLButtonElement) void decide(btn);
  });

  backend.onEvent((e) => {
    if (e.type === 'approval') void reload();
  });

  return {
    reload,
    /** Shows one approval (the tray's notification opens the window at it), or the panel. @param {string | null} id */
    show(id) {
      if (id && !focusItem(id)) wanted = id;
      else if (!id && !section.hidden) $('approvals-title').focus();
    },
  };
}
