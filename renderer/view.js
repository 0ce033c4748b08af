// @ts-check
/**
 * What the window shows for a status, from the one table of states (src/shared/states.ts,
 * served as ui/states.js): pure functions, so every state reads the same in the desktop
 * window, the dashboard and the /qr page.
 *
 * @typedef {import('../src/shared/ipc.js').StatusView} StatusView
 * @typedef {import('../src/shared/states.js').Phase} Phase
 * @typedef {import('../src/shared/states.js').PhaseId} PhaseId
 */
import { API_HINT, PHASES } from './states.js';

/**
 * The phase a status reads as: the first row for its state whose pattern (if any) matches
 * `last_error` — the same rule as phaseFor() in src/shared/states.ts.
 * @param {{ state: StatusView['state'] | null, last_error: string | null }} s
 * @returns {Phase}
 */
export function phaseFor(s) {
  const error = s.last_error ?? '';
  const phase = PHASES.find((p) => p.state === s.state && (p.when === undefined || new RegExp(p.when, 'i').test(error)));
  return /** @type {Phase} */ (phase ?? phaseById('offline'));
}

/** @param {PhaseId} id */
export function phaseById(id) {
  return /** @type {Phase} */ (PHASES.find((p) => p.id === id));
}

/**
 * `last_error` for a person: without the sentences that tell scripts which route to call
 * (the page has the button) — the same rule as errorForPeople() in src/shared/states.ts.
 * @param {string | null} error
 */
export function errorForPeople(error) {
  if (!error) return '';
  const hint = new RegExp(API_HINT);
  return error
    .split(/(?<=[.!?])\s+/)
    .filter((sentence) => !hint.test(sentence))
    .join(' ');
}

/**
 * The heading as DOM nodes: a name is isolated (`<bdi>`) and the number kept left-to-right,
 * so "عائشة (+966501234567)" does not turn into "(966501234567+) عائشة".
 * @param {Phase} phase
 * @param {StatusView['account']} account
 * @returns {(string | HTMLElement)[]}
 */
export function titleNodes(phase, account) {
  const digits = account?.wid.replace(/@.*/, '') ?? '';
  const name = account?.pushname || null;
  const number = digits ? `+${digits}` : null;
  if (!phase.titleWithAccount || (!name && !number)) return [phase.title];
  const who = [];
  if (name) {
    const bdi = document.createElement('bdi');
    bdi.className = 'account-name';
    bdi.textContent = name;
    who.push(bdi);
  }
  if (number) {
    const span = document.createElement('span');
    span.dir = 'ltr';
    span.className = 'account-number';
    span.textContent = number;
    who.push(...(name ? [' (', span, ')'] : [span]));
  }
  const [before = '', after = ''] = phase.titleWithAccount.split('{who}');
  return [before, ...who, after].filter((n) => n !== '');
}

/**
 * A pairing code in WhatsApp's grouping, two blocks of four ("ABCD-EFGH").
 * @param {string} code
 * @returns {[string, string] | null}
 */
export function pairingGroups(code) {
  const clean = code.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  return clean.length === 8 ? [clean.slice(0, 4), clean.slice(4)] : null;
}

/** @param {number} ms */
export function minutesSeconds(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
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
