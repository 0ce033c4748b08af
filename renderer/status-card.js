// @ts-check
import { $ } from './dom.js';
import { titleNodes } from './view.js';

/**
 * @typedef {import('../src/shared/ipc.js').StatusView} StatusView
 * @typedef {import('../src/shared/states.js').Phase} Phase
 */

/**
 * The status card's words, dot and the browser tab's title for a phase; the window and the
 * /qr page share it (same element ids).
 * @param {Phase} phase
 * @param {{ account?: StatusView['account'], error?: string, page?: string }} [extra]
 */
export function paintStatus(phase, extra = {}) {
  document.body.dataset.state = phase.id;
  document.title = [phase.title, extra.page, 'WhatsApp MCP Desktop'].filter(Boolean).join(' — ');
  $('status-dot').className = `dot ${phase.tone}`;
  $('status-title').replaceChildren(...titleNodes(phase, extra.account ?? null));
  $('status-text').textContent = phase.sentence;
  const error = phase.showError ? (extra.error ?? '') : '';
  $('status-error').hidden = !error;
  $('status-error').textContent = error;
}
