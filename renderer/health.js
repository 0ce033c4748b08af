// @ts-check
import { $ } from './dom.js';
import { errorForPeople } from './view.js';

/**
 * The Health panel: the session's state (and since when, once a change was seen), how long
 * the bridge has run where the backend says, the last error, sends waiting in the outbox, and
 * webhooks that fail or were disabled (with the reason). The outbox and the webhooks change
 * without an event in the log, so they are re-read shortly after each event, after a
 * reconnect, and every half minute while the page is visible.
 *
 * @typedef {import('../src/shared/ipc.js').DesktopApi} DesktopApi
 * @typedef {import('../src/shared/ipc.js').HealthView} HealthView
 * @typedef {import('../src/shared/ipc.js').StatusView} StatusView
 * @typedef {import('../src/shared/states.js').Phase} Phase
 */

const REFRESH_MS = 30_000;
/** Events come in bursts (a message, then its acks): one re-read after the burst. */
const SETTLE_MS = 1_000;

/** @param {number} seconds */
export function duration(seconds) {
  const m = Math.floor(seconds / 60);
  if (m < 1) return 'less than a minute';
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** @param {number} at */
const clock = (at) => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** @param {DesktopApi} backend */
export function setupHealth(backend) {
  /** ms of the last change of state this page saw, or null */
  let since = /** @type {number | null} */ (null);
  /** ms at which the bridge started, where the backend says */
  let startedAt = /** @type {number | null} */ (null);
  let lost = false;
  let settle = 0;
  let tick = 0;

  const showUptime = () => {
    $('health-uptime-row').hidden = startedAt === null;
    if (startedAt !== null) $('health-uptime').textContent = duration((Date.now() - startedAt) / 1000);
  };

  /** @param {HealthView} h */
  const paint = (h) => {
    startedAt = h.uptime_s === null ? null : Date.now() - h.uptime_s * 1000;
    showUptime();
    const q = h.queued;
    $('health-outbox').textContent = q.count === 0 ? 'Nothing waiting to send' : `${q.count}${q.more ? '+' : ''} send${q.count === 1 && !q.more ? '' : 's'} waiting to go out`;
    const hooks = $('health-webhooks');
    const troubled = h.webhooks.filter((w) => !w.enabled || w.failure_count > 0);
    if (!h.webhooks.length) {
      hooks.textContent = 'None set up';
      return;
    }
    const summary = document.createElement('p');
    summary.textContent = troubled.length ? `${h.webhooks.length - troubled.length} of ${h.webhooks.length} delivering` : `${h.webhooks.length === 1 ? 'The webhook is' : `All ${h.webhooks.length} are`} delivering`;
    const problems = document.createElement('ul');
    problems.className = 'health-problems';
    for (const w of troubled) {
      const li = document.createElement('li');
      const url = document.createElement('code');
      url.textContent = w.url;
      const why = document.createElement('span');
      why.className = w.enabled ? 'health-warn' : 'health-bad';
      // The bridge's reasons start with "Disabled" ("Disabled by request.", "Disabled: delivery … failed 12 times …").
      const reason = w.disabled_reason ?? 'Disabled.';
      why.textContent = w.enabled ? `failing: ${w.failure_count} failed attempt${w.failure_count === 1 ? '' : 's'} since the last delivery` : /^disabled/i.test(reason) ? reason : `Disabled: ${reason}`;
      li.append(url, ' ', why);
      problems.append(li);
    }
    hooks.replaceChildren(summary, ...(troubled.length ? [problems] : []));
  };

  const refresh = async () => {
    clearTimeout(settle);
    clearTimeout(tick);
    tick = window.setTimeout(() => void refresh(), REFRESH_MS);
    if (lost || document.visibilityState === 'hidden') return;
    const r = await backend.getHealth();
    if (r.ok && !lost) paint(r.value);
  };

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void refresh();
  });

  return {
    refresh,
    /** An event arrived: the outbox or the webhooks may have moved. */
    soon() {
      clearTimeout(settle);
      settle = window.setTimeout(() => void refresh(), SETTLE_MS);
    },
    /** @param {number} at  when the state last changed */
    stateChangedAt(at) {
      since = at;
    },
    /**
     * @param {Phase} phase
     * @param {StatusView} s
     */
    showStatus(phase, s) {
      const wasLost = lost;
      lost = false;
      $('health-state').textContent = since === null ? phase.title : `${phase.title}, since ${clock(since)}`;
      // An error the status card already shows is not repeated here.
      const error = errorForPeople(s.last_error);
      $('health-error-row').hidden = phase.showError && Boolean(error);
      $('health-error').textContent = error || 'None';
      if (wasLost) void refresh();
    },
    /** @param {Phase} phase */
    showLost(phase) {
      lost = true;
      $('health-state').textContent = phase.title;
      $('health-error-row').hidden = true;
      $('health-outbox').textContent = 'Unknown while the bridge is not answering';
      $('health-webhooks').textContent = 'Unknown while the bridge is not answering';
    },
  };
}
