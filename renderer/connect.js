// @ts-check
import { $, showError } from './dom.js';

/**
 * "Connect an AI client": this machine's one-click set-up for each client (issue 15) — the
 * Cursor and VS Code install links, the `claude mcp add` command, Claude Desktop's config
 * JSON. Each starts the stdio entry with `--client <id>`, which gets that client a key of its
 * own on first use: no token is in any of them. In the window, the links go to the main
 * process, which hands them to the OS; in the dashboard they are plain links.
 *
 * @typedef {import('../src/shared/ipc.js').DesktopApi} DesktopApi
 * @typedef {import('../src/shared/ipc.js').DashboardConfig} DashboardConfig
 * @typedef {import('../src/shared/ipc.js').LinkClient} LinkClient
 * @typedef {import('../src/shared/mcp-install.js').InstallOption} InstallOption
 */

/** What each link's button says. */
const LINK_WORDS = /** @type {Record<string, string>} */ ({ cursor: 'Add to Cursor', vscode: 'Install in VS Code' });

/**
 * @param {string} tag
 * @param {string} className
 * @param {(string | Node)[]} children
 */
function el(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children);
  return node;
}

/**
 * The text to copy, in a scrollable <pre> (reachable from the keyboard) with its copy button.
 * @param {InstallOption} o
 */
function copyBlock(o) {
  const pre = el('pre', '', el('code', '', o.text));
  pre.tabIndex = 0;
  pre.setAttribute('aria-label', `${o.title} ${o.link ? 'configuration' : o.client === 'claude-code' ? 'command' : 'configuration'}`);
  const copy = /** @type {HTMLButtonElement} */ (el('button', 'copy', 'Copy'));
  copy.type = 'button';
  copy.dataset.copy = o.client;
  copy.setAttribute('aria-label', `Copy the ${o.title} ${o.client === 'claude-code' ? 'command' : 'configuration'}`);
  return [pre, copy];
}

/** @param {DesktopApi} backend */
export function setupConnect(backend) {
  const list = $('install-list');

  /** @param {InstallOption} o */
  const item = (o) => {
    const li = el('li', 'install');
    li.dataset.client = o.client;
    const title = el('h3', '', o.title);
    title.id = `install-${o.client}`;
    li.setAttribute('aria-labelledby', title.id);
    li.append(title);
    if (o.link) {
      const a = /** @type {HTMLAnchorElement} */ (el('a', 'button-link', LINK_WORDS[o.client] ?? `Add to ${o.title}`));
      a.href = o.link;
      a.dataset.client = o.client;
      const opener = backend.openInstallLink?.bind(backend);
      if (opener) {
        // The window may not navigate anywhere: the main process opens the link with the OS.
        a.addEventListener('click', async (e) => {
          e.preventDefault();
          showError(null);
          const r = await opener(/** @type {LinkClient} */ (o.client));
          if (!r.ok) showError(r.error);
        });
      }
      const where = el('p', 'hint', `${o.title} asks before it adds the server. If nothing opens, ${o.title} is not installed here: use the configuration below.`);
      // The option's own words start with the link ("Open the link: …. Or put the JSON in …"); here only the second half applies.
      const byHand = o.where.replace(/^Open the link:[^.]*\.\s*(Or )?/, '');
      const details = el('details', 'install-manual', el('summary', '', 'Or add it by hand'), el('p', 'hint', byHand.charAt(0).toUpperCase() + byHand.slice(1)), ...copyBlock(o));
      li.append(a, where, details);
    } else {
      li.append(el('p', 'hint', o.where), ...copyBlock(o));
    }
    return li;
  };

  return {
    /** @param {DashboardConfig} config */
    render(config) {
      // The links first: one click; then the command; then the JSON to paste.
      const order = ['cursor', 'vscode', 'claude-code', 'claude-desktop'];
      const options = [...config.install].sort((a, b) => order.indexOf(a.client) - order.indexOf(b.client));
      list.replaceChildren(...options.map(item));
      $('install-none').hidden = options.length > 0;
      // Another account's page: its set-ups reach that account only (/mcp/<id>, --account <id>).
      const account = /\/mcp\/([^/?#]+)$/.exec(config.mcp_url)?.[1] ?? null;
      const note = $('connect-account');
      note.hidden = account === null;
      note.textContent = account === null ? '' : `These set-ups are for the account “${account}” only (${config.mcp_url}): a client added with them can act on no other account.`;
    },
  };
}
