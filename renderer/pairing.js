// @ts-check
import { writeClipboard } from './backend.js';
import { $, announce, busy, button, confirmCopied, run, showError } from './dom.js';
import { checkPhone, minutesSeconds, pairingGroups } from './view.js';

/**
 * @typedef {import('../src/shared/ipc.js').DesktopApi} DesktopApi
 */

/**
 * How long a pairing code is shown as valid: whatsapp-web.js asks WhatsApp for a new code
 * every 3 minutes (requestPairingCode's intervalMs), and the page never sees the new one.
 */
export const PAIRING_CODE_VALID_MS = 180_000;

/**
 * "Link with your phone number": the form, then the code in WhatsApp's 4+4 grouping with a
 * copy button and its expiry. While a code is in use WhatsApp Web stops rotating the QR
 * code, so `onActive(true)` tells the page to take the (dead) QR code off screen.
 * @param {DesktopApi} backend
 * @param {(active: boolean) => void} onActive
 */
export function setupPairing(backend, onActive) {
  const input = /** @type {HTMLInputElement} */ ($('phone'));
  let code = '';
  let digits = '';
  let expiresAt = 0;
  let ticker = 0;

  const phoneError = (/** @type {string} */ message) => {
    const el = $('phone-error');
    el.textContent = message;
    el.hidden = !message;
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  };

  const showCode = (/** @type {string} */ value) => {
    const groups = pairingGroups(value);
    const el = $('pair-code');
    el.replaceChildren();
    if (!groups) {
      el.textContent = value;
      return;
    }
    const sep = document.createElement('span');
    sep.className = 'pair-sep';
    sep.textContent = '-';
    el.append(groups[0], sep, groups[1]);
  };

  const tick = () => {
    const left = expiresAt - Date.now();
    const expired = left <= 0;
    $('pair-code').classList.toggle('expired', expired);
    button('pair-renew').hidden = !expired;
    button('pair-copy').hidden = expired;
    $('pair-expiry').textContent = expired ? 'This code has expired. Get a new one to link with your number.' : `Expires in ${minutesSeconds(left)}.`;
    if (expired) {
      clearInterval(ticker);
      announce('The pairing code has expired.');
    }
  };

  const request = async (/** @type {HTMLButtonElement} */ btn) => {
    if (busy(btn)) return false;
    const label = btn.textContent;
    btn.textContent = 'Requesting a code…';
    const result = await run(btn, () => backend.requestPairingCode(digits));
    btn.textContent = label;
    if (!result) return false;
    if (result.already_authenticated || !result.code) {
      announce('This computer is already linked.');
      return false;
    }
    code = result.code;
    // The number as the person wrote it ("+44 7700 900123"), when it is the one the code is for.
    const typed = input.value.replace(/[^\d\s-]/g, '').trim().replace(/\s+/g, ' ');
    const number = result.phone_number ?? digits;
    $('pair-phone').textContent = `+${typed.replace(/\D/g, '') === number ? typed : number}`;
    showCode(code);
    $('pair-form').hidden = true;
    $('pair-result').hidden = false;
    $('pair-title').textContent = 'Link with your phone number';
    onActive(true);
    expiresAt = Date.now() + PAIRING_CODE_VALID_MS;
    clearInterval(ticker);
    ticker = window.setInterval(tick, 1000);
    tick();
    announce(`Pairing code ${code.replace(/[^0-9A-Za-z]/g, '').split('').join(' ')}`);
    return true;
  };

  $('pair-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const checked = checkPhone(input.value);
    if ('error' in checked) {
      phoneError(checked.error);
      input.focus();
      return;
    }
    phoneError('');
    digits = checked.digits;
    if (await request(button('pair-submit'))) button('pair-copy').focus();
  });
  input.addEventListener('input', () => phoneError(''));

  button('pair-renew').addEventListener('click', async () => {
    if (await request(button('pair-renew'))) button('pair-copy').focus();
  });

  button('pair-copy').addEventListener('click', async () => {
    const btn = button('pair-copy');
    const ok = await writeClipboard(code.replace(/[^0-9A-Za-z]/g, ''));
    if (ok) confirmCopied(btn);
    else showError({ code: 'CLIPBOARD', message: 'Copying was not allowed here; type the code from the screen instead.' });
  });

  const reset = () => {
    clearInterval(ticker);
    code = '';
    $('pair-result').hidden = true;
    $('pair-form').hidden = false;
    $('pair-title').textContent = 'Or link with your phone number';
    onActive(false);
  };

  button('pair-again').addEventListener('click', () => {
    reset();
    input.focus();
  });

  return { reset };
}
