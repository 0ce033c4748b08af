// @ts-check
import { createBackend } from './backend.js';
import { checkPhone, viewFor } from './view.js';

/**
 * @typedef {import('../src/shared/ipc.js').StatusView} StatusView
 * @typedef {import('../src/shared/ipc.js').CopyItem} CopyItem
 * @typedef {import('../src/shared/ipc.js').DashboardConfig} DashboardConfig
 * @typedef {import('../src/shared/ipc.js').IpcError} IpcError
 */

const QR_REFRESH_MS = 4000;
const COPIED_MS = 2000;

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
/** @param {string} id */
const button = (id) => /** @type {HTMLButtonElement} */ ($(id));

const backend = createBackend();
/** @type {StatusView | null} */
let status = null;
let qrTimer = 0;
let tokenShown = false;
/** @type {DashboardConfig | null} */
let config = null;
/** Snippet <code> elements and their full text: the token in them is masked like the token row. */
const snippetCodes = new Map();

/** @param {IpcError | null} error */
function showError(error) {
  const box = $('action-error');
  box.hidden = !error;
  box.textContent = error ? error.message : '';
}

/** @param {string} text */
function announce(text) {
  $('announcer').textContent = text;
}

/** @param {StatusView} s */
function render(s) {
  const previous = status?.state;
  status = s;
  const v = viewFor(s);
  document.body.dataset.state = s.state;
  $('status-dot').className = `dot ${v.tone}`;
  $('status-title').textContent = v.title;
  $('status-text').textContent = v.text;
  $('status-error').hidden = !v.error;
  $('status-error').textContent = v.error ?? '';
  button('login').hidden = !v.canLogin;
  button('logout').hidden = !v.canLogout;
  $('link').hidden = !v.showLink;
  $('qr-placeholder').innerHTML = s.state === 'starting' ? 'Starting… the code appears in a few seconds.' : 'Press <strong>Log in</strong> to show a QR code.';
  if (s.state !== 'qr' && previous === 'qr') hidePairingResult();
  void refreshQr();
}

async function refreshQr() {
  clearTimeout(qrTimer);
  const img = /** @type {HTMLImageElement} */ ($('qr'));
  const inQr = status?.state === 'qr';
  button('demo-link').hidden = !(config?.demo && inQr);
  if (!inQr) {
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
  // The code rotates every ~20 s; the status push only says "still qr".
  qrTimer = window.setTimeout(refreshQr, QR_REFRESH_MS);
}

/**
 * Runs an action with its button disabled; errors land in the alert box.
 * @template T
 * @param {HTMLButtonElement} btn
 * @param {() => Promise<import('../src/shared/ipc.js').IpcResult<T>>} action
 * @returns {Promise<T | null>}
 */
async function run(btn, action) {
  btn.disabled = true;
  btn.setAttribute('aria-busy', 'true');
  showError(null);
  try {
    const r = await action();
    if (!r.ok) {
      showError(r.error);
      return null;
    }
    return r.value;
  } finally {
    btn.disabled = false;
    btn.removeAttribute('aria-busy');
  }
}

function hidePairingResult() {
  $('pair-result').hidden = true;
  $('pair-form').hidden = false;
}

/** @param {string} message */
function phoneError(message) {
  const input = /** @type {HTMLInputElement} */ ($('phone'));
  const el = $('phone-error');
  el.textContent = message;
  el.hidden = !message;
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

async function onPair(/** @type {SubmitEvent} */ event) {
  event.preventDefault();
  const input = /** @type {HTMLInputElement} */ ($('phone'));
  const checked = checkPhone(input.value);
  if ('error' in checked) {
    phoneError(checked.error);
    input.focus();
    return;
  }
  phoneError('');
  const btn = button('pair-submit');
  const label = btn.textContent;
  btn.textContent = 'Requesting a code…';
  const result = await run(btn, () => backend.requestPairingCode(checked.digits));
  btn.textContent = label;
  if (!result) return;
  if (result.already_authenticated || !result.code) {
    announce('This computer is already linked.');
    return;
  }
  $('pair-phone').textContent = `+${result.phone_number ?? checked.digits}`;
  $('pair-code').textContent = result.code;
  $('pair-form').hidden = true;
  $('pair-result').hidden = false;
  announce(`Pairing code ${result.code.split('').join(' ')}`);
  button('pair-again').focus();
}

/** @param {HTMLButtonElement} btn */
async function onCopy(btn) {
  const item = /** @type {CopyItem} */ (btn.dataset.copy);
  const ok = await run(btn, () => backend.copy(item));
  if (!ok) return;
  const label = btn.textContent;
  btn.textContent = 'Copied';
  btn.classList.add('copied');
  announce('Copied to the clipboard.');
  setTimeout(() => {
    btn.textContent = label;
    btn.classList.remove('copied');
  }, COPIED_MS);
}

/** @param {DashboardConfig} c */
function renderConfig(c) {
  config = c;
  $('api-url').textContent = c.api_url;
  $('mcp-url').textContent = c.mcp_url;
  $('demo-badge').hidden = !c.demo;
  const list = $('snippets');
  snippetCodes.clear();
  list.replaceChildren(
    ...c.snippets.map((s, i) => {
      const details = document.createElement('details');
      details.open = i === 0;
      const summary = document.createElement('summary');
      summary.textContent = s.title;
      const where = document.createElement('p');
      where.className = 'hint';
      where.textContent = s.where;
      const pre = document.createElement('pre');
      const code = document.createElement('code');
      snippetCodes.set(code, s.text);
      pre.append(code);
      const copy = document.createElement('button');
      copy.type = 'button';
      copy.className = 'copy';
      copy.dataset.copy = s.id;
      copy.textContent = 'Copy';
      copy.setAttribute('aria-label', `Copy the ${s.title} configuration`);
      details.append(summary, where, pre, copy);
      return details;
    }),
  );
  renderToken();
  void refreshQr();
}

function renderToken() {
  if (!config) return;
  const mask = '•'.repeat(16);
  $('token').textContent = tokenShown ? config.token : mask;
  for (const [code, text] of snippetCodes) code.textContent = tokenShown ? text : text.split(config.token).join(mask);
  const toggle = button('token-toggle');
  toggle.textContent = tokenShown ? 'Hide' : 'Show';
  toggle.setAttribute('aria-pressed', String(tokenShown));
}

function wire() {
  button('login').addEventListener('click', async (e) => {
    const s = await run(/** @type {HTMLButtonElement} */ (e.currentTarget), () => backend.startAuth());
    if (s) render(s);
  });
  button('logout').addEventListener('click', async (e) => {
    const s = await run(/** @type {HTMLButtonElement} */ (e.currentTarget), () => backend.logout());
    if (s) render(s);
  });
  button('demo-link').addEventListener('click', (e) => void run(/** @type {HTMLButtonElement} */ (e.currentTarget), () => backend.simulatePhoneLink()));
  $('pair-form').addEventListener('submit', (e) => void onPair(/** @type {SubmitEvent} */ (e)));
  $('phone').addEventListener('input', () => phoneError(''));
  button('pair-again').addEventListener('click', () => {
    hidePairingResult();
    $('phone').focus();
  });
  button('token-toggle').addEventListener('click', () => {
    tokenShown = !tokenShown;
    renderToken();
  });
  document.addEventListener('click', (e) => {
    const target = /** @type {HTMLElement} */ (e.target);
    const btn = target.closest?.('button.copy');
    if (btn instanceof HTMLButtonElement) void onCopy(btn);
  });
}

/** The tray's "Link with phone number…" opens the window at #pair. */
function focusFromHash() {
  if (location.hash === '#pair' && !$('link').hidden) $('phone').focus();
}

async function boot() {
  wire();
  window.addEventListener('hashchange', focusFromHash);
  backend.onStatus(render);
  const [s, c] = await Promise.all([backend.getStatus(), backend.getConfig()]);
  if (c.ok) renderConfig(c.value);
  if (s.ok) render(s.value);
  else showError(s.error);
  if (!c.ok && s.ok) showError(c.error);
  focusFromHash();
}

void boot();
