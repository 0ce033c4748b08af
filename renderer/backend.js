// @ts-check
/**
 * One UI, two backends: the desktop window talks to the main process through the preload's
 * `window.whatsappDesktop`; the headless bridge's dashboard at `/` talks HTTP to the same
 * bridge (cookie-authenticated, same origin). Both implement the DesktopApi contract.
 *
 * @typedef {import('../src/shared/ipc.js').DesktopApi} DesktopApi
 * @typedef {import('../src/shared/ipc.js').StatusView} StatusView
 * @typedef {import('../src/shared/ipc.js').DashboardConfig} DashboardConfig
 * @typedef {import('../src/shared/ipc.js').CopyItem} CopyItem
 */
/**
 * @template T
 * @typedef {import('../src/shared/ipc.js').IpcResult<T>} IpcResult
 */

export const POLL_MS = 1500;

/** @returns {DesktopApi} */
export function createBackend() {
  const preload = /** @type {{ whatsappDesktop?: DesktopApi }} */ (/** @type {unknown} */ (window)).whatsappDesktop;
  return preload ?? httpBackend();
}

/** A status read that hangs counts as lost after this long (the poll runs every POLL_MS). */
const STATUS_TIMEOUT_MS = 5000;

/**
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @param {AbortSignal} [signal]
 * @returns {Promise<IpcResult<any>>}
 */
async function call(method, path, body, signal) {
  let res;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch {
    return { ok: false, error: { code: 'OFFLINE', message: 'WhatsApp MCP Desktop is not answering. Is it still running?' } };
  }
  const json = await res.json().catch(() => null);
  if (res.ok) return { ok: true, value: json };
  if (res.status === 401) {
    return { ok: false, error: { code: 'UNAUTHORIZED', message: 'This page has lost its access token. Open the link the bridge printed at start-up (it ends in ?token=…), or reload this page to paste the token.' } };
  }
  const error = json && typeof json === 'object' && 'error' in json ? json.error : null;
  return { ok: false, error: error ?? { code: `HTTP_${res.status}`, message: `The bridge answered ${res.status} ${res.statusText}.` } };
}

/** @returns {DesktopApi} */
function httpBackend() {
  /** @type {DashboardConfig | null} */
  let config = null;
  /** @type {DesktopApi} */
  const api = {
    getStatus: () => call('GET', '/api/status', undefined, AbortSignal.timeout(STATUS_TIMEOUT_MS)),
    async getQr() {
      const r = await call('GET', '/api/qr');
      return r.ok ? { ok: true, value: r.value.data_url ?? null } : r;
    },
    async getConfig() {
      const r = await call('GET', '/api/dashboard/config');
      if (r.ok) config = r.value;
      return r;
    },
    startAuth: () => call('POST', '/api/auth/start', {}),
    requestPairingCode: (phoneNumber) => call('POST', '/api/pairing-code', { phone_number: phoneNumber }),
    async logout() {
      const r = await call('POST', '/api/logout', {});
      return r.ok ? api.getStatus() : r;
    },
    async copy(item) {
      if (!config) await api.getConfig();
      const text = config ? textFor(config, item) : null;
      if (text === null) return { ok: false, error: { code: 'NOT_FOUND', message: 'Nothing to copy yet.' } };
      return (await writeClipboard(text)) ? { ok: true, value: true } : { ok: false, error: { code: 'CLIPBOARD', message: 'The browser did not allow copying; select the text and copy it by hand.' } };
    },
    async simulatePhoneLink() {
      const r = await call('POST', '/api/simulator/link', {});
      return r.ok ? { ok: true, value: true } : r;
    },
    onStatus(listener, onLost) {
      let last = '';
      let stopped = false;
      const tick = async () => {
        const r = await api.getStatus();
        if (stopped) return;
        if (r.ok) {
          const seen = JSON.stringify(r.value);
          if (seen !== last) {
            last = seen;
            listener(r.value);
          }
        } else {
          // Failed polls must show: an open page would otherwise keep saying "Linked" after the bridge stopped.
          last = '';
          onLost?.(r.error);
        }
        timer = setTimeout(tick, POLL_MS);
      };
      let timer = setTimeout(tick, POLL_MS);
      return () => {
        stopped = true;
        clearTimeout(timer);
      };
    },
  };
  return api;
}

/**
 * @param {DashboardConfig} config
 * @param {CopyItem} item
 * @returns {string | null}
 */
export function textFor(config, item) {
  if (item === 'token') return config.token;
  if (item === 'api_url') return config.api_url;
  if (item === 'mcp_url') return config.mcp_url;
  return config.snippets.find((s) => s.id === item)?.text ?? null;
}

/**
 * Copies in the page itself (the pairing code, which the main process does not hold).
 * @param {string} text
 */
export async function writeClipboard(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Plain http on a LAN name is not a secure context: fall back to the old selection copy.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}
