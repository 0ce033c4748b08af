// The link view (ui://whatsapp/link): where linking stands, in the words of the state table
// the window and the tray use; the live QR code; and the pairing-code form. It is shown with
// whatsapp_status and whatsapp_start_auth, and calls those and whatsapp_pairing_code itself.

const { phases: PHASES, actions: ACTIONS, apiHint: API_HINT, qrMetaKey: QR_META_KEY } = VIEW_DATA;
/** Phases in which something changes by itself: the view keeps asking. */
const MOVING = new Set(['starting', 'qr', 'authenticated', 'reconnecting']);
const QR_PNG = /^data:image\/png;base64,[A-Za-z0-9+/=]+$/;

let current = null;
/** Set while a pairing code is on screen: WhatsApp Web stops rotating the QR code then. */
let pairing = false;

/** The phase a status reads as (the same rule as src/shared/states.ts phaseFor). */
function phaseFor(s) {
  const error = s.last_error || '';
  return PHASES.find((p) => p.state === s.state && (p.when === undefined || new RegExp(p.when, 'i').test(error))) || PHASES[0];
}

/** The status's error without the sentences meant for scripts ("POST /api/…", "(MCP: …)"). */
function errorForPeople(error) {
  if (!error) return '';
  const hint = new RegExp(API_HINT);
  return error.split(/(?<=[.!?])\s+/).filter((s) => !hint.test(s)).join(' ');
}

function who(account) {
  if (!account) return null;
  const digits = String(account.wid || '').replace(/@.*/, '');
  const name = account.pushname || null;
  const number = digits ? `+${digits}` : null;
  return name && number ? `${name} (${number})` : name || number;
}

/** The pending QR code the server put in the result for this view, when it is a PNG data: URL. */
function qrOf(result) {
  const meta = result._meta && result._meta[QR_META_KEY];
  const url = meta && typeof meta.data_url === 'string' ? meta.data_url : null;
  return url && QR_PNG.test(url) ? url : null;
}

/** The first "start" action the phase offers (log in, try again, reconnect, link again…). */
function startAction(phase) {
  for (const id of [phase.primary, phase.secondary]) {
    if (id && ACTIONS[id] && ACTIONS[id].does === 'start') return ACTIONS[id];
  }
  return null;
}

function render(status, qr) {
  current = status;
  const phase = phaseFor(status);
  const account = who(status.account);
  setText('title', phase.titleWithAccount && account ? phase.titleWithAccount.replace('{who}', account) : phase.title);
  setText('sentence', phase.sentence);
  $('dot').dataset.tone = phase.tone;
  document.body.dataset.state = status.state;

  const error = phase.showError ? errorForPeople(status.last_error) : '';
  setText('error', error);
  show('error', Boolean(error));

  const linking = phase.showLink && !status.authenticated;
  show('link-area', linking);
  if (!linking) {
    pairing = false;
    show('pair-result', false);
    show('pair-form', true);
  }
  const img = /** @type {HTMLImageElement} */ ($('qr'));
  const showQr = status.state === 'qr' && Boolean(qr) && !pairing;
  if (showQr && img.src !== qr) img.src = qr;
  show('qr', showQr);
  show('qr-area', !pairing);
  show('qr-steps', !pairing);
  setText(
    'qr-wait',
    status.state === 'qr' && !qr
      ? 'This client was not given the QR code (linking needs a client key with the "link" scope). Use the WhatsApp MCP Desktop window or its link page, or the pairing code.'
      : 'The QR code appears here in a few seconds.',
  );
  show('qr-wait', !showQr);

  const action = startAction(phase);
  const primary = /** @type {HTMLButtonElement} */ ($('primary'));
  primary.hidden = !action;
  if (action) primary.textContent = action.label;

  if (MOVING.has(phase.id)) polling.start();
  else polling.stop();
  show('check', false);
  show('note', false);
}

function renderResult(result) {
  if (result.isError) {
    setText('error', errorWords(resultText(result)));
    show('error', true);
    return;
  }
  const status = resultData(result);
  if (status && typeof status.state === 'string') render(status, qrOf(result));
}

async function refresh() {
  const result = await callTool(app, 'whatsapp_status');
  renderResult(result);
  return current !== null && MOVING.has(phaseFor(current).id);
}

const polling = poller(refresh, () => {
  setText('note', 'Stopped checking. Press "Check again" to see where linking stands.');
  show('note', true);
  show('check', true);
});

function groups(code) {
  const clean = String(code).replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  return clean.length === 8 ? [clean.slice(0, 4), clean.slice(4)] : null;
}

function showPairingCode(code, number) {
  const el = $('pair-code');
  el.replaceChildren();
  const parts = groups(code);
  if (parts) {
    const sep = document.createElement('span');
    sep.className = 'pair-sep';
    sep.textContent = '-';
    el.append(parts[0], sep, parts[1]);
  } else {
    el.textContent = code;
  }
  setText('pair-phone', number ? `+${number}` : '');
  pairing = true;
  show('pair-form', false);
  show('pair-result', true);
  show('qr-area', false);
  show('qr-steps', false);
}

async function busy(button, label, fn) {
  if (button.disabled) return;
  const before = button.textContent;
  button.disabled = true;
  button.textContent = label;
  try {
    await fn();
  } finally {
    button.disabled = false;
    button.textContent = before;
  }
}

$('primary').addEventListener('click', () =>
  busy(/** @type {HTMLButtonElement} */ ($('primary')), 'Starting…', async () => {
    try {
      renderResult(await callTool(app, 'whatsapp_start_auth'));
      polling.start();
    } catch (err) {
      setText('error', errorWords(err));
      show('error', true);
    }
  }),
);

$('check').addEventListener('click', () =>
  busy(/** @type {HTMLButtonElement} */ ($('check')), 'Checking…', async () => {
    try {
      await refresh();
    } catch (err) {
      setText('error', errorWords(err));
      show('error', true);
    }
  }),
);

$('pair-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = /** @type {HTMLInputElement} */ ($('phone'));
  const phone = input.value.trim();
  if (!phone) {
    setText('phone-error', 'Enter your phone number with its country code, e.g. +44 7700 900123.');
    show('phone-error', true);
    input.focus();
    return;
  }
  show('phone-error', false);
  return busy(/** @type {HTMLButtonElement} */ ($('pair-submit')), 'Requesting a code…', async () => {
    try {
      const answer = resultData(await callTool(app, 'whatsapp_pairing_code', { phone_number: phone }));
      if (answer && answer.code) showPairingCode(answer.code, answer.phone_number);
      else if (answer && answer.status) render(answer.status, null);
      polling.start();
    } catch (err) {
      // The server's own words: an invalid number says what to fix.
      setText('phone-error', errorWords(err));
      show('phone-error', true);
    }
  });
});

const { app, ready } = connectView('whatsapp-link', {
  onResult: (result) => {
    renderResult(result);
    // A result shown again later (a reopened chat) may be old: ask once for the state now.
    refresh().catch(() => undefined);
  },
  onTeardown: () => polling.stop(),
});
ready.catch(connectFailed);
