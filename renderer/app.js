// @ts-check
import { setupAccounts } from './accounts.js';
import { setupActivity } from './activity.js';
import { setupApprovals } from './approvals.js';
import { accountsBackend, createBackend } from './backend.js';
import { setupClients } from './clients.js';
import { setupConnect } from './connect.js';
import { confirmDialog } from './confirm.js';
import { $, announce, attempt, busy, button, confirmCopied, run, showError } from './dom.js';
import { setupHealth } from './health.js';
import { setupPairing } from './pairing.js';
import { setupSendDetails } from './send-details.js';
import { ACTIONS, UNLINK_CONFIRM } from './states.js';
import { paintStatus } from './status-card.js';
import { errorForPeople, phaseById, phaseFor } from './view.js';

/**
 * @typedef {import('../src/shared/ipc.js').StatusView} StatusView
 * @typedef {import('../src/shared/ipc.js').CopyItem} CopyItem
 * @typedef {import('../src/shared/ipc.js').DashboardConfig} DashboardConfig
 * @typedef {import('../src/shared/ipc.js').IpcError} IpcError
 * @typedef {import('../src/shared/states.js').Phase} Phase
 * @typedef {import('../src/shared/states.js').ActionId} ActionId
 */

/** The QR code rotates about every 20 s; the status only says "still qr", so the image is polled. */
const QR_REFRESH_MS = 1500;

const backend = createBackend();
/** @type {StatusView | null} */
let status = null;
/** true while the status cannot be read (the dashboard's bridge stopped answering). */
let lost = false;
let qrTimer = 0;
let tokenShown = false;
/** true while a pairing code is in use: WhatsApp Web stops rotating the QR code meanwhile. */
let pairingActive = false;
/** @type {DashboardConfig | null} */
let config = null;

const pairing = setupPairing(backend, (active) => {
  pairingActive = active;
  void refreshQr();
});
const details = setupSendDetails(backend);
const activity = setupActivity(backend, (state, lastError) => phaseFor({ state: /** @type {StatusView['state']} */ (state), last_error: lastError }).title, (id) => void details.open(id));
const health = setupHealth(backend);
const clients = setupClients(backend);
const approvals = setupApprovals(backend, { onChange: () => void clients.agentsMayHaveChanged() });
const connect = setupConnect(backend);
const accounts = setupAccounts(accountsBackend());

/**
 * Puts a phase on screen. When that hides the focused control (Log in, Cancel, Simulate…),
 * focus moves to the new main action, or else to the status heading, never to <body>.
 * @param {Phase} phase
 * @param {{ account?: StatusView['account'], error?: string }} [extra]
 */
function showPhase(phase, extra = {}) {
  const focused = document.activeElement;
  paintStatus(phase, extra);
  actionButton('primary', phase.primary);
  actionButton('secondary', phase.secondary);
  $('link').hidden = !phase.showLink;
  const placeholder = $('qr-placeholder');
  const start = phase.primary ? ACTIONS[phase.primary] : null;
  if (phase.state === 'starting' || phase.state === 'qr') placeholder.textContent = 'Starting… the code appears in a few seconds.';
  else if (start?.does === 'start') {
    const strong = document.createElement('strong');
    strong.textContent = start.label;
    placeholder.replaceChildren('Press ', strong, ' to show a QR code.');
  } else placeholder.textContent = 'The QR code shows here while linking.';
  if (focused instanceof HTMLElement && focused !== document.body && !focused.checkVisibility()) {
    const primary = button('primary');
    (primary.hidden ? $('status-title') : primary).focus();
  }
}

/**
 * @param {'primary' | 'secondary'} id
 * @param {ActionId | null} action
 */
function actionButton(id, action) {
  const btn = button(id);
  btn.hidden = !action;
  btn.dataset.action = action ?? '';
  btn.textContent = action ? ACTIONS[action].label : '';
}

/** @param {StatusView} s */
function render(s) {
  const previous = status?.state;
  status = s;
  const recovered = lost;
  lost = false;
  const phase = phaseFor(s);
  showPhase(phase, { account: s.account, error: errorForPeople(s.last_error) });
  if (s.state !== 'qr' && previous === 'qr') pairing.reset();
  void refreshQr();
  health.showStatus(phase, s);
  activity.statusChanged(s);
  if (recovered) void Promise.all([activity.reload(), approvals.reload(), clients.reload()]);
}

/** The bridge stopped answering (or the page lost its token): say so instead of the last status. */
function renderLost(/** @type {IpcError} */ error) {
  if (!lost) announce('Connection lost.');
  lost = true;
  const phase = phaseById('offline');
  showPhase(phase, { error: error.code === 'OFFLINE' ? '' : error.message });
  void refreshQr();
  health.showLost(phase);
}

async function refreshQr() {
  clearTimeout(qrTimer);
  const img = /** @type {HTMLImageElement} */ ($('qr'));
  const inQr = !lost && status?.state === 'qr';
  $('qr-panel').hidden = pairingActive;
  const demo = button('demo-link');
  demo.hidden = !(config?.demo && inQr);
  demo.textContent = pairingActive ? 'Simulate the phone entering the code (demo)' : 'Simulate the phone scanning (demo)';
  $('qr-hint').hidden = !inQr;
  if (!inQr || pairingActive) {
    img.hidden = true;
    $('qr-placeholder').hidden = false;
    return;
  }
  const r = await backend.getQr();
  if (r.ok && r.value) {
    if (img.src !== r.value) img.src = r.value;
    img.hidden = false;
    $('qr-placeholder').hidden = true;
  }
  qrTimer = window.setTimeout(refreshQr, QR_REFRESH_MS);
}

/** The status card's buttons do what the phase's table row says; unlinking asks first. */
async function onAction(/** @type {HTMLButtonElement} */ btn) {
  const id = /** @type {ActionId | ''} */ (btn.dataset.action);
  if (!id || busy(btn)) return;
  const action = ACTIONS[id];
  if (action.confirm && !(await confirmDialog(UNLINK_CONFIRM))) return;
  const r = await attempt(btn, () => (action.does === 'start' ? backend.startAuth() : backend.logout()));
  if (r.ok) {
    render(r.value);
    return;
  }
  // A start that fails leaves its reason in the status (e.g. no Chrome): the card shows it once, the alert would repeat it.
  const latest = await backend.getStatus();
  if (latest.ok) render(latest.value);
  const shown = latest.ok ? (latest.value.last_error ?? '') : '';
  if (!shown || !(shown.includes(r.error.message) || r.error.message.includes(shown))) showError(r.error);
}

/** @param {HTMLButtonElement} btn */
async function onCopy(btn) {
  const item = /** @type {CopyItem} */ (btn.dataset.copy);
  if (busy(btn)) return;
  if (await run(btn, () => backend.copy(item))) confirmCopied(btn);
}

/** @param {DashboardConfig} c */
function renderConfig(c) {
  config = c;
  $('api-url').textContent = c.api_url;
  $('mcp-url').textContent = c.mcp_url;
  $('demo-badge').hidden = !c.demo;
  connect.render(c);
  renderToken();
  void refreshQr();
}

function renderToken() {
  if (!config) return;
  const mask = '•'.repeat(16);
  $('token').textContent = tokenShown ? config.token : mask;
  const toggle = button('token-toggle');
  toggle.textContent = tokenShown ? 'Hide' : 'Show';
  toggle.setAttribute('aria-pressed', String(tokenShown));
}

function wire() {
  for (const id of ['primary', 'secondary']) button(id).addEventListener('click', (e) => void onAction(/** @type {HTMLButtonElement} */ (e.currentTarget)));
  button('demo-link').addEventListener('click', () => {
    const btn = button('demo-link');
    if (!busy(btn)) void run(btn, () => backend.simulatePhoneLink());
  });
  button('token-toggle').addEventListener('click', () => {
    tokenShown = !tokenShown;
    renderToken();
  });
  document.addEventListener('click', (e) => {
    const target = /** @type {HTMLElement} */ (e.target);
    const btn = target.closest?.('button.copy');
    if (btn instanceof HTMLButtonElement && btn.dataset.copy) void onCopy(btn);
  });
}

/**
 * The tray opens the window at #pair ("Link with phone number…"), #waiting-approvals ("2
 * sends waiting for approval") or #approval-<outbox id> (a click on an approval's
 * notification). Neither of the last two is an element's id: the browser would scroll to
 * that element and take the focus away from the control focused here.
 */
function focusFromHash() {
  const hash = location.hash.slice(1);
  if (hash === 'pair' && !$('link').hidden) $('phone').focus();
  else if (hash === 'waiting-approvals') approvals.show(null);
  else if (hash.startsWith('approval-')) approvals.show(hash.slice('approval-'.length));
}

async function boot() {
  wire();
  window.addEventListener('hashchange', focusFromHash);
  backend.onStatus(
    (s) => {
      if (lost) announce('Connected again.');
      render(s);
    },
    renderLost,
  );
  backend.onEvent((e) => {
    if (e.type === 'status') health.stateChangedAt(Date.parse(e.at));
    health.soon();
  });
  const [s, c] = await Promise.all([backend.getStatus(), backend.getConfig()]);
  if (c.ok) renderConfig(c.value);
  if (s.ok) render(s.value);
  else renderLost(s.error);
  if (!c.ok && s.ok) showError(c.error);
  await Promise.all([approvals.reload(), accounts.refresh()]);
  focusFromHash();
  await Promise.all([activity.reload(), health.refresh(), clients.reload()]);
}

void boot();
