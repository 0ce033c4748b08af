// @ts-check
/**
 * Keeps the /qr page current without reloading it: the status through the event stream, as
 * the dashboard follows it, and the QR code replaced as soon as WhatsApp rotates it (a new
 * code is not an event of the log, so the image is re-read every second while one is shown).
 * The page is complete without this script; it only keeps it fresh.
 */
import { ACCOUNT_PARAM, createBackend } from './backend.js';
import { $ } from './dom.js';
import { paintStatus } from './status-card.js';
import { errorForPeople, phaseById, phaseFor } from './view.js';

/** How often the code is checked while one is shown; WhatsApp rotates it about every 20 s. */
const QR_POLL_MS = 1000;
const PAGE = 'Link WhatsApp';

const backend = createBackend();
let inQr = document.body.dataset.state === 'qr';
let timer = 0;

async function refreshQr() {
  clearTimeout(timer);
  if (!inQr) return;
  const r = await backend.getQr();
  const img = /** @type {HTMLImageElement} */ ($('qr'));
  if (r.ok && r.value && img.src !== r.value) img.src = r.value;
  img.hidden = !(r.ok && r.value);
  timer = window.setTimeout(refreshQr, QR_POLL_MS);
}

backend.onStatus(
  (s) => {
    inQr = s.state === 'qr';
    paintStatus(phaseFor(s), { account: s.account, error: errorForPeople(s.last_error), page: PAGE });
    $('qr-area').hidden = !inQr;
    void refreshQr();
// /qr?account=<id> is that account's link page; its dashboard is /?account=<id>.
const account = new URLSearchParams(location.search).get(ACCOUNT_PARAM);
if (account) $('dashboard-link').setAttribute('href', `/?${ACCOUNT_PARAM}=${encodeURIComponent(account)}`);
  },
  (error) => {
    inQr = false;
    paintStatus(phaseById('offline'), { error: error.code === 'OFFLINE' ? '' : error.message, page: PAGE });
    $('qr-area').hidden = true;
  },
);
void refreshQr();
// /qr?account=<id> is that account's link page; its dashboard is /?account=<id>.
const account = new URLSearchParams(location.search).get(ACCOUNT_PARAM);
if (account) $('dashboard-link').setAttribute('href', `/?${ACCOUNT_PARAM}=${encodeURIComponent(account)}`);
