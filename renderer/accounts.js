// @ts-check
import { accountPage } from './backend.js';
import { confirmDialog } from './confirm.js';
import { $, attempt, busy, button, showError } from './dom.js';
import { phaseFor } from './view.js';

/**
 * The Accounts card (issue 14), in the dashboard and the window: every account with its state,
 * as links that show that account (the dashboard: its page `/?account=<id>`; the window: the
 * main process switches, the page reloads), "Add an account" (its WhatsApp Web starts and
 * the page for it opens at its QR code) and "Remove account" for the shown one when it is not
 * the default, after saying that its data will be deleted. The states of the accounts not
 * shown are read again every few seconds: the page's event stream follows the shown one only.
 *
 * @typedef {import('./backend.js').AccountsApi} AccountsApi
 * @typedef {import('./backend.js').AccountView} AccountView
 */

/** How often the list of accounts (and their states) is read again while the page is visible. */
export const ACCOUNTS_REFRESH_MS = 3000;

/**
 * @param {AccountsApi | null} api  null: no accounts offered (the card stays hidden)
 */
export function setupAccounts(api) {
  if (!api) return { refresh: async () => undefined };
  const card = $('accounts');
  const list = $('accounts-list');
  const remove = button('account-remove');
  /** @type {AccountView[]} */
  let accounts = [];
  let timer = 0;

  /** @param {AccountView} a */
  const isShown = (a) => (api.selected === null ? a.default : a.id === api.selected);

  /** @param {AccountView} a */
  const row = (a) => {
    const li = document.createElement('li');
    li.className = 'account';
    const link = document.createElement('a');
    link.href = accountPage(a);
    link.className = 'account-link';
    // Shown through the backend: the dashboard loads the account's page, the window asks the main process.
    link.addEventListener('click', (e) => {
      if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      void api.show(a).then((r) => (r.ok ? undefined : showError(r.error)));
    });
    if (isShown(a)) link.setAttribute('aria-current', 'page');
    const dot = document.createElement('span');
    const phase = phaseFor({ state: a.state, last_error: null });
    dot.className = `dot ${phase.tone}`;
    dot.setAttribute('aria-hidden', 'true');
    const name = document.createElement('bdi');
    name.className = 'account-name';
    name.textContent = a.name;
    const id = document.createElement('span');
    id.className = 'account-id';
    // The id scripts use, or "default"; not when the name already says it ("Default").
    const tag = a.default ? 'default' : a.id;
    id.textContent = tag === a.name.toLowerCase() ? '' : tag;
    const state = document.createElement('span');
    state.className = 'account-state';
    state.textContent = `${phase.title}${a.me ? ` — +${a.me}` : ''}${isShown(a) ? ' — shown' : ''}`;
    const head = document.createElement('span');
    head.append(name, ...(id.textContent ? [' ', id] : []));
    link.append(dot, head, state);
    li.append(link);
    return li;
  };

  const render = () => {
    card.hidden = false;
    list.replaceChildren(...accounts.map(row));
    const shown = accounts.find(isShown);
    remove.hidden = !shown || shown.default;
    remove.textContent = shown ? `Remove “${shown.name}”…` : '';
  };

  const refresh = async () => {
    clearTimeout(timer);
    const r = await api.list();
    if (r.ok) {
      accounts = r.value;
      // An address for an account that is gone (removed elsewhere) shows the default one instead.
      if (api.selected !== null && !accounts.some((a) => a.id === api.selected)) {
        location.replace('/');
        return;
      }
      render();
    }
    timer = window.setTimeout(() => {
      if (document.visibilityState === 'visible') void refresh();
      else timer = 0;
    }, ACCOUNTS_REFRESH_MS);
  };

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && timer === 0) void refresh();
  });

  remove.addEventListener('click', async () => {
    const shown = accounts.find(isShown);
    if (!shown || shown.default || busy(remove)) return;
    const yes = await confirmDialog({
      title: `Remove the account “${shown.name}”?`,
      text: `This logs ${shown.me ? `+${shown.me}` : 'its phone'} out of this computer and deletes all of its data here: its stored messages, sends, webhooks and events. Client keys limited to it lose it. It cannot be undone; to use it again, add and link it anew.`,
      confirm: 'Remove and delete its data',
      cancel: 'Keep it',
    });
    if (!yes) return;
    const r = await attempt(remove, () => api.remove(shown.id));
    const fallback = accounts.find((a) => a.default);
    if (r.ok && fallback) await api.show(fallback);
    else if (r.ok) location.assign('/');
    else showError(r.error);
  });

  const form = /** @type {HTMLFormElement} */ ($('account-form'));
  const idInput = /** @type {HTMLInputElement} */ ($('account-id'));
  const nameInput = /** @type {HTMLInputElement} */ ($('account-name'));
  const formError = $('account-form-error');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const submit = button('account-submit');
    if (busy(submit)) return;
    const id = idInput.value.trim();
    const name = nameInput.value.trim();
    formError.hidden = true;
    idInput.removeAttribute('aria-invalid');
    const r = await attempt(submit, () => api.create(name ? { id, name } : { id }));
    if (r.ok) {
      // The new account is shown: its WhatsApp Web is starting, the QR code follows.
      const shown = await api.show(r.value);
      if (!shown.ok) showError(shown.error);
      return;
    }
    formError.textContent = r.error.message;
    formError.hidden = false;
    idInput.setAttribute('aria-invalid', 'true');
    idInput.focus();
  });

  return { refresh };
}
