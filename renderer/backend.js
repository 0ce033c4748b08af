// @ts-check
import { openEventStream } from './event-stream.js';
/**
 * One UI, two backends: the desktop window talks to the main process through the preload's
 * `window.whatsappDesktop`; the headless bridge's dashboard at `/` talks HTTP to the same
 * bridge (cookie-authenticated, same origin), and follows it through the event stream. Both
 * implement the DesktopApi contract.
 *
 * @typedef {import('../src/shared/ipc.js').DesktopApi} DesktopApi
 * @typedef {import('../src/shared/ipc.js').StatusView} StatusView
 * @typedef {import('../src/shared/ipc.js').DashboardConfig} DashboardConfig
 * @typedef {import('../src/shared/ipc.js').CopyItem} CopyItem
 * @typedef {import('../src/shared/ipc.js').EventView} EventView
 * @typedef {import('../src/shared/ipc.js').IpcError} IpcError
 * @typedef {import('../src/shared/ipc.js').SendView} SendView
 * @typedef {import('../src/shared/ipc.js').PendingApproval} PendingApproval
 */
/**
 * @template T
 * @typedef {import('../src/shared/ipc.js').IpcResult<T>} IpcResult
 */

/** The event stream: status changes and everything else the event log records. */
const EVENTS_URL = '/api/events';
/** A status read that hangs counts as lost after this long. */
const STATUS_TIMEOUT_MS = 5000;
/**
 * The event log records a status change only when the state changes; a reconnect that gives
 * up stays `disconnected` with a new error. So while disconnected the status is re-read this
 * often — the one case where the stream does not say everything the page shows.
 */
export const DISCONNECTED_RECHECK_MS = 5000;
/** How much the panels read (the same bounds as the desktop window's, src/main/desktop-actions.ts). */
const RECENT_SENDS = 50;
/** The log entries the Activity panel starts from (as the window: src/main/desktop-actions.ts RECENT_EVENTS). */
const RECENT_EVENTS = 200;
const RECENT_CHATS = 50;
const QUEUE_PAGE = 100;
/** The Approvals panel lists this many held sends (PENDING_PAGE in src/main/control-actions.ts). */
const PENDING_PAGE = 100;
/** A name lookup that takes longer (WhatsApp still starting) leaves the number alone on screen. */
const NAME_TIMEOUT_MS = 3000;

/**
 * The account the dashboard shows: `/?account=<id>` (absent: the default account). Every call
 * and the event stream name it in `X-Account`; switching accounts loads the page again for
 * the other one, so nothing of one account's panels can linger on another's.
 */
export const ACCOUNT_PARAM = 'account';
const selectedAccount = () => new URLSearchParams(location.search).get(ACCOUNT_PARAM) || null;
/** @returns {Record<string, string>} */
const accountHeader = () => {
  const id = selectedAccount();
  return id ? { 'X-Account': id } : {};
};

/**
 * @typedef {{ id: string, name: string, default: boolean, state: StatusView['state'], me: string | null }} AccountView
 * @typedef {{ selected: string | null, list(): Promise<IpcResult<AccountView[]>>, create(input: { id: string, name?: string }): Promise<IpcResult<AccountView>>, remove(id: string): Promise<IpcResult<true>>, show(account: AccountView): Promise<IpcResult<true>> }} AccountsApi
 */

/** Registry calls go to the default account's app: deleting the shown account is not asked of that account itself. */
const REGISTRY = { account: false };

/** The dashboard's page for an account: the default one at `/`. */
export const accountPage = (/** @type {AccountView} */ a) => (a.default ? '/' : `/?${ACCOUNT_PARAM}=${encodeURIComponent(a.id)}`);

/**
 * The account registry for the Accounts card: in the dashboard over REST (GET/POST/DELETE
 * /api/accounts), showing an account = loading its page; in the desktop window over IPC,
 * showing an account = telling the main process (every call then acts on that account) and
 * reloading. Null in a window whose main process offers no accounts.
 * @returns {AccountsApi | null}
 */
export function accountsBackend() {
  const preload = /** @type {{ whatsappDesktop?: DesktopApi }} */ (/** @type {unknown} */ (window)).whatsappDesktop;
  if (preload) return preload.getAccounts ? windowAccounts(preload) : null;
  return {
    selected: selectedAccount(),
    async list() {
      const r = await call('GET', '/api/accounts', undefined, undefined, REGISTRY);
      return r.ok ? { ok: true, value: r.value.accounts } : r;
    },
    async create(input) {
      const r = await call('POST', '/api/accounts', input, undefined, REGISTRY);
      return r.ok ? { ok: true, value: r.value } : r;
    },
    async remove(id) {
      const r = await call('DELETE', `/api/accounts/${encodeURIComponent(id)}?confirm=${encodeURIComponent(id)}`, undefined, undefined, REGISTRY);
      return r.ok ? { ok: true, value: true } : r;
    },
    async show(account) {
      location.assign(accountPage(account));
      return { ok: true, value: true };
    },
  };
}

/**
 * The window's registry over the preload; `selected` follows what the main process shows.
 * @param {DesktopApi} preload
 * @returns {AccountsApi}
 */
function windowAccounts(preload) {
  const ipc = /** @type {Required<Pick<DesktopApi, 'getAccounts' | 'createAccount' | 'removeAccount' | 'selectAccount'>>} */ (preload);
  /** @type {AccountsApi} */
  const api = {
    selected: null,
    async list() {
      const r = await ipc.getAccounts();
      if (!r.ok) return r;
      const shown = r.value.accounts.find((a) => a.id === r.value.shown);
      api.selected = shown && !shown.default ? shown.id : null;
      return { ok: true, value: r.value.accounts };
    },
    create: (input) => ipc.createAccount(input),
    remove: (id) => ipc.removeAccount(id),
    async show(account) {
      const r = await ipc.selectAccount(account.id);
      // Every panel reads again, for the account now shown: nothing of the other one lingers.
      if (r.ok) location.reload();
      return r;
    },
  };
  return api;
}

/** @returns {DesktopApi} */
export function createBackend() {
  const preload = /** @type {{ whatsappDesktop?: DesktopApi }} */ (/** @type {unknown} */ (window)).whatsappDesktop;
  return preload ?? httpBackend();
}

/** @type {IpcError} */
const OFFLINE = { code: 'OFFLINE', message: 'WhatsApp MCP Desktop is not answering. Is it still running?' };

/**
 * The bridge's refusal in the page's words.
 * @param {number} status
 * @param {string} statusText
 * @param {unknown} json
 * @returns {IpcError}
 */
function refusalError(status, statusText, json) {
  if (status === 401) {
    return { code: 'UNAUTHORIZED', message: 'This page has lost its access token. Open the link the bridge printed at start-up (it ends in ?token=…), or reload this page to paste the token.' };
  }
  const error = json && typeof json === 'object' && 'error' in json ? /** @type {IpcError} */ (json.error) : null;
  return error ?? { code: `HTTP_${status}`, message: `The bridge answered ${status} ${statusText}.` };
}

/**
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @param {AbortSignal} [signal]
 * @param {{ account?: boolean }} [options]  account false: to the default account's app (the registry, the same on every account's)
 * @returns {Promise<IpcResult<any>>}
 */
async function call(method, path, body, signal, options = {}) {
  let res;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { ...(options.account === false ? {} : accountHeader()), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch {
    return { ok: false, error: OFFLINE };
  }
  const json = await res.json().catch(() => null);
  if (res.ok) return { ok: true, value: json };
  return { ok: false, error: refusalError(res.status, res.statusText, json) };
}

/**
 * One event stream per page, opened while anyone listens: status listeners hear (re)connects,
 * `status` events and failures; event listeners hear every event of the log.
 */
function liveFeed() {
  /** @type {Set<{ open(): void, changed(): void, down(error: IpcError): void }>} */
  const statusListeners = new Set();
  /** @type {Set<(event: EventView) => void>} */
  const eventListeners = new Set();
  /** @type {{ close(): void } | null} */
  let stream = null;

  const retain = () => {
    stream ??= openEventStream(EVENTS_URL, accountHeader(), {
      onOpen: () => statusListeners.forEach((l) => l.open()),
      onDown: (r) => statusListeners.forEach((l) => l.down(r.status === null ? OFFLINE : refusalError(r.status, '', r.body))),
      onFrame: (frame) => {
        let event;
        try {
          event = /** @type {EventView} */ (JSON.parse(frame.data));
        } catch {
          return;
        }
        if (!event || typeof event !== 'object' || typeof event.cursor !== 'number') return;
        if (event.type === 'status') statusListeners.forEach((l) => l.changed());
        eventListeners.forEach((l) => l(event));
      },
    });
  };
  const release = () => {
    if (statusListeners.size || eventListeners.size) return;
    stream?.close();
    stream = null;
  };
  return {
    /** @param {{ open(): void, changed(): void, down(error: IpcError): void }} listener */
    status(listener) {
      statusListeners.add(listener);
      retain();
      return () => {
        statusListeners.delete(listener);
        release();
      };
    },
    /** @param {(event: EventView) => void} listener */
    events(listener) {
      eventListeners.add(listener);
      retain();
      return () => {
        eventListeners.delete(listener);
        release();
      };
    },
  };
}

/**
 * Recipient names for the Approvals panel over REST: a person's from the contacts, a group's
 * from the chat list; remembered once found. Asked with a short timeout, since WhatsApp may
 * still be starting (the REST reads wait for it).
 */
function nameLookup() {
  /** @type {Map<string, string>} */
  const known = new Map();
  /** @param {string} chatId */
  const lookup = async (chatId) => {
    const signal = AbortSignal.timeout(NAME_TIMEOUT_MS);
    if (chatId.endsWith('@g.us')) {
      const r = await call('GET', `/api/chats?limit=${RECENT_CHATS}`, undefined, signal);
      return r.ok ? (/** @type {{ id: string, name: string | null }[]} */ (r.value.chats).find((c) => c.id === chatId)?.name ?? null) : null;
    }
    const digits = chatId.replace(/@.*/, '');
    const r = await call('GET', `/api/contacts?query=${encodeURIComponent(digits)}&limit=20`, undefined, signal);
    if (!r.ok) return null;
    const found = /** @type {{ id: string, name: string | null, pushname: string | null }[]} */ (r.value.contacts).find((c) => c.id === chatId);
    return found?.name ?? found?.pushname ?? null;
  };
  /** @param {string} chatId */
  return async (chatId) => {
    const name = known.get(chatId) ?? (await lookup(chatId));
    if (name) known.set(chatId, name);
    return name;
  };
}

/** @returns {DesktopApi} */
function httpBackend() {
  /** @type {DashboardConfig | null} */
  let config = null;
  const feed = liveFeed();
  const nameOf = nameLookup();
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
    // The status is read when the stream (re)connects and when it reports a change of state: no polling.
    onStatus(listener, onLost) {
      let last = '';
      let lost = false;
      let stopped = false;
      let reading = 0;
      let recheck = 0;
      const refresh = async () => {
        const mine = ++reading;
        clearTimeout(recheck);
        const r = await api.getStatus();
        if (stopped || mine !== reading) return;
        if (!r.ok) {
          lost = true;
          last = '';
          onLost?.(r.error);
          return;
        }
        const seen = JSON.stringify(r.value);
        if (seen !== last || lost) {
          last = seen;
          lost = false;
          listener(r.value);
        }
        if (r.value.state === 'disconnected') recheck = window.setTimeout(refresh, DISCONNECTED_RECHECK_MS);
      };
      const unsubscribe = feed.status({
        open: () => void refresh(),
        changed: () => void refresh(),
        down: (error) => {
          ++reading;
          clearTimeout(recheck);
          lost = true;
          last = '';
          onLost?.(error);
        },
      });
      return () => {
        stopped = true;
        clearTimeout(recheck);
        unsubscribe();
      };
    },
    onEvent: (listener) => feed.events(listener),
    async getActivity() {
      // The log's newest entries (as the window gets them: oldest first) and the latest sends.
      const [log, sends] = await Promise.all([call('GET', `/api/events/log?limit=${RECENT_EVENTS}`), call('GET', `/api/outbox?limit=${RECENT_SENDS}`)]);
      if (!sends.ok) return sends;
      return { ok: true, value: { events: log.ok ? [...log.value.events].reverse() : [], sends: sends.value.entries } };
    },
    async getChats() {
      const r = await call('GET', `/api/chats?limit=${RECENT_CHATS}`);
      return r.ok ? { ok: true, value: r.value.chats } : r;
    },
    async getHealth() {
      const [queued, hooks] = await Promise.all([call('GET', `/api/outbox?status=queued&limit=${QUEUE_PAGE}`), call('GET', '/api/webhooks')]);
      if (!queued.ok) return queued;
      if (!hooks.ok) return hooks;
      return {
        ok: true,
        value: {
          // The REST API does not say since when the bridge runs.
          uptime_s: null,
          queued: { count: queued.value.count, more: queued.value.next_before !== null },
          webhooks: hooks.value.webhooks,
        },
      };
    },
    async getApprovals() {
      const r = await call('GET', `/api/outbox?status=awaiting_approval&limit=${PENDING_PAGE}`);
      if (!r.ok) return r;
      /** @type {SendView[]} */
      const sends = [...r.value.entries].reverse();
      const chats = [...new Set(sends.map((s) => s.chat_id))];
      const names = new Map(await Promise.all(chats.map(async (id) => /** @type {const} */ ([id, await nameOf(id)]))));
      return { ok: true, value: sends.map((send) => ({ send, recipient_name: names.get(send.chat_id) ?? null })) };
    },
    async decideApproval(id, decision) {
      const r = await call('POST', `/api/outbox/${encodeURIComponent(id)}/${decision}`, {});
      return r.ok ? { ok: true, value: r.value.entry } : r;
    },
    async getSend(id) {
      const r = await call('GET', `/api/outbox/${encodeURIComponent(id)}`);
      return r.ok ? { ok: true, value: r.value.entry } : r;
    },
    async getKeys() {
      const r = await call('GET', '/api/keys');
      return r.ok ? { ok: true, value: r.value.keys } : r;
    },
    async createKey(input) {
      const r = await call('POST', '/api/keys', input);
      if (!r.ok) return r;
      const { ok: _ok, ...created } = r.value;
      return { ok: true, value: created };
    },
    async revokeKey(id) {
      const r = await call('DELETE', `/api/keys/${encodeURIComponent(id)}`);
      if (!r.ok) return r;
      const { ok: _ok, ...key } = r.value;
      return { ok: true, value: key };
    },
    getAgents: () => agents(call('GET', '/api/agents')),
    setAgentsPaused: (paused) => agents(call('POST', paused ? '/api/agents/pause' : '/api/agents/resume', {})),
  };
  return api;
}

/**
 * @param {Promise<IpcResult<any>>} answer
 * @returns {Promise<IpcResult<import('../src/shared/ipc.js').AgentsView>>}
 */
async function agents(answer) {
  const r = await answer;
  if (!r.ok) return r;
  const { paused, since, by, held, awaiting_approval } = r.value;
  return { ok: true, value: { paused, since, by, held, awaiting_approval } };
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
  return config.install.find((o) => o.client === item)?.text ?? null;
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
