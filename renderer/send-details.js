// @ts-check
import { STATE_WORDS, numberOf } from './activity-view.js';
import { $, button, showError } from './dom.js';

/**
 * One send's details, opened from Activity: where it is in the outbox (status, error), the
 * approval (why it was held, who asked, who decided), what it says, and the entry as the
 * outbox has it (JSON). Read fresh from the bridge each time it opens; text only.
 *
 * @typedef {import('../src/shared/ipc.js').DesktopApi} DesktopApi
 * @typedef {import('../src/shared/ipc.js').SendView} SendView
 */

/** @param {string | null} iso */
const time = (iso) => (iso ? new Date(iso).toLocaleString([], { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit' }) : '');

/**
 * The rows of the details list: [label, value] pairs, values as text; empty values left out.
 * @param {SendView} s
 * @returns {[string, string][]}
 */
export function detailRows(s) {
  const a = s.approval;
  /** @type {[string, string | null | undefined][]} */
  const rows = [
    ['Status', STATE_WORDS[s.status] ?? s.status],
    ['To', numberOf(s.chat_id) ?? s.chat_id],
    ['Kind', s.kind],
    ['Text', s.text],
    ['Error', s.error ? `${s.error.code}: ${s.error.message}` : null],
    ['Asked by', a?.requested_by],
    ['Held because', a?.reason_text],
    ['Decision', a?.decision ? `${a.decision}${a.decided_by ? ` by ${a.decided_by}` : ''}${a.decided_at ? `, ${time(a.decided_at)}` : ''}` : a ? 'waiting' : null],
    ['Expires', a?.expires_at ? time(a.expires_at) : null],
    ['Files', a?.files.length ? a.files.map((f) => f.filename ?? 'a file').join(', ') : null],
    ['Created', time(s.created_at)],
    ['Sent', time(s.sent_at)],
    ['Attempts', String(s.attempts)],
    ['Outbox id', s.id],
  ];
  return /** @type {[string, string][]} */ (rows.filter(([, v]) => v !== null && v !== undefined && v !== ''));
}

/** @param {DesktopApi} backend */
export function setupSendDetails(backend) {
  const dialog = /** @type {HTMLDialogElement} */ ($('send-details'));
  /** @type {HTMLElement | null} */
  let opener = null;

  button('send-details-close').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    opener?.focus();
    opener = null;
  });

  return {
    /** @param {string} outboxId */
    async open(outboxId) {
      opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      const r = await backend.getSend(outboxId);
      if (!r.ok) {
        showError(r.error);
        return;
      }
      const fields = $('send-details-fields');
      fields.replaceChildren(
        ...detailRows(r.value).map(([label, value]) => {
          const row = document.createElement('div');
          row.className = 'row';
          const dt = document.createElement('dt');
          dt.textContent = label;
          const dd = document.createElement('dd');
          dd.textContent = value;
          if (label === 'Text') dd.dir = 'auto';
          row.append(dt, dd);
          return row;
        }),
      );
      $('send-details-json').textContent = JSON.stringify(r.value, null, 2);
      if (!dialog.open) dialog.showModal();
      button('send-details-close').focus();
    },
  };
}
