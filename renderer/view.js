// @ts-check
/**
 * What the window shows for a status: a pure function, so every state reads the same in the
 * desktop window and the dashboard.
 *
 * @typedef {import('../src/shared/ipc.js').StatusView} StatusView
 * @typedef {'ok' | 'busy' | 'idle' | 'error'} Tone
 * @typedef {{ title: string, text: string, tone: Tone, error: string | null, canLogin: boolean, canLogout: boolean, showLink: boolean }} View
 */

/** @param {StatusView['account']} account */
export function accountLabel(account) {
  if (!account) return '';
  const number = account.wid ? `+${account.wid.replace(/@.*/, '')}` : '';
  if (account.pushname && number) return `${account.pushname} (${number})`;
  return account.pushname ?? number;
}

/**
 * @param {StatusView} s
 * @returns {View}
 */
export function viewFor(s) {
  const error = s.last_error;
  switch (s.state) {
    case 'ready':
      return { title: `Linked${s.account ? ` as ${accountLabel(s.account)}` : ''}`, text: 'WhatsApp is ready. Scripts and AI agents can use it through the API below.', tone: 'ok', error: null, canLogin: false, canLogout: true, showLink: false };
    case 'authenticated':
      return { title: 'Phone linked', text: 'Loading your chats… this takes a few seconds.', tone: 'busy', error: null, canLogin: false, canLogout: true, showLink: false };
    case 'qr':
      return { title: 'Waiting for your phone', text: 'Scan the QR code or request a pairing code to link this computer.', tone: 'busy', error: null, canLogin: false, canLogout: true, showLink: true };
    case 'starting':
      return { title: 'Starting WhatsApp Web…', text: 'The QR code will appear in a few seconds.', tone: 'busy', error: null, canLogin: false, canLogout: true, showLink: true };
    case 'auth_failure':
      return { title: 'Linking failed', text: 'WhatsApp did not accept the link. Log in again to show a new QR code.', tone: 'error', error, canLogin: true, canLogout: false, showLink: true };
    case 'disconnected':
      return { title: 'Disconnected', text: 'WhatsApp lost its connection.', tone: 'error', error, canLogin: true, canLogout: true, showLink: false };
    case 'stopped':
    default:
      return { title: 'Not linked', text: 'Log in to link this computer to your WhatsApp as a linked device.', tone: 'idle', error, canLogin: true, canLogout: false, showLink: true };
  }
}

export const PHONE_MIN_DIGITS = 8;
export const PHONE_MAX_DIGITS = 15;

/**
 * The same rule as the bridge: digits only, 8 to 15 of them with the country code.
 * @param {string} input
 * @returns {{ digits: string } | { error: string }}
 */
export function checkPhone(input) {
  const digits = input.replace(/\D/g, '');
  if (digits.length === 0) return { error: 'Enter your phone number with its country code, e.g. +44 7700 900123.' };
  if (digits.length < PHONE_MIN_DIGITS || digits.length > PHONE_MAX_DIGITS) {
    return { error: `That has ${digits.length} digits; a number with its country code has ${PHONE_MIN_DIGITS} to ${PHONE_MAX_DIGITS}.` };
  }
  if (/[a-z]/i.test(input)) return { error: 'Use digits only (spaces, dashes, “+” and brackets are fine).' };
  return { digits };
}
