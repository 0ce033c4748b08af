// @ts-check
/**
 * Small DOM helpers shared by the window's modules.
 *
 * @typedef {import('../src/shared/ipc.js').IpcError} IpcError
 */
/**
 * @template T
 * @typedef {import('../src/shared/ipc.js').IpcResult<T>} IpcResult
 */

/** @param {string} id */
export const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
/** @param {string} id */
export const button = (id) => /** @type {HTMLButtonElement} */ ($(id));

/** Says `text` to screen readers (the page's one polite live region). */
export function announce(/** @type {string} */ text) {
  $('announcer').textContent = text;
}

/** The alert under the status card: the last failed action's error, in the bridge's words. */
export function showError(/** @type {IpcError | null} */ error) {
  const box = $('action-error');
  box.hidden = !error;
  box.textContent = error ? error.message : '';
}

/** true while the button's action runs (a second press is ignored). */
export const busy = (/** @type {HTMLButtonElement} */ btn) => btn.getAttribute('aria-busy') === 'true';

/**
 * Runs an action with its button marked busy; the answer is returned as is. Not `disabled`:
 * a disabled button loses keyboard focus to <body>.
 * @template T
 * @param {HTMLButtonElement} btn
 * @param {() => Promise<IpcResult<T>>} action
 * @returns {Promise<IpcResult<T>>}
 */
export async function attempt(btn, action) {
  btn.setAttribute('aria-busy', 'true');
  btn.setAttribute('aria-disabled', 'true');
  showError(null);
  try {
    return await action();
  } finally {
    btn.removeAttribute('aria-busy');
    btn.removeAttribute('aria-disabled');
  }
}

/**
 * Runs an action with its button marked busy; errors land in the alert box.
 * @template T
 * @param {HTMLButtonElement} btn
 * @param {() => Promise<IpcResult<T>>} action
 * @returns {Promise<T | null>}
 */
export async function run(btn, action) {
  const r = await attempt(btn, action);
  if (r.ok) return r.value;
  showError(r.error);
  return null;
}

const COPIED_MS = 2000;

/** A copy button says "Copied" for a moment, and screen readers hear it. */
export function confirmCopied(/** @type {HTMLButtonElement} */ btn) {
  const label = btn.dataset.label ?? btn.textContent ?? 'Copy';
  btn.dataset.label = label;
  btn.textContent = 'Copied';
  btn.classList.add('copied');
  announce('Copied to the clipboard.');
  setTimeout(() => {
    btn.textContent = label;
    btn.classList.remove('copied');
  }, COPIED_MS);
}
