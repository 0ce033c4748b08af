// @ts-check
import { $, button } from './dom.js';

/**
 * Asks before something that cannot be undone from here (unlinking the account), in a modal
 * `<dialog>`: focus starts on the safe choice, Escape cancels, and focus returns to the
 * button that asked.
 * @param {{ title: string, text: string, confirm: string, cancel: string }} words
 * @returns {Promise<boolean>}
 */
export function confirmDialog(words) {
  const dialog = /** @type {HTMLDialogElement} */ ($('confirm'));
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  $('confirm-title').textContent = words.title;
  $('confirm-text').textContent = words.text;
  button('confirm-ok').textContent = words.confirm;
  button('confirm-cancel').textContent = words.cancel;
  return new Promise((resolve) => {
    const done = (/** @type {boolean} */ yes) => {
      button('confirm-ok').removeEventListener('click', onOk);
      button('confirm-cancel').removeEventListener('click', onCancel);
      dialog.removeEventListener('close', onClose);
      if (dialog.open) dialog.close();
      opener?.focus();
      resolve(yes);
    };
    const onOk = () => done(true);
    const onCancel = () => done(false);
    const onClose = () => done(false);
    button('confirm-ok').addEventListener('click', onOk);
    button('confirm-cancel').addEventListener('click', onCancel);
    dialog.addEventListener('close', onClose);
    dialog.showModal();
    button('confirm-cancel').focus();
  });
}
