import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { ACTIONS, API_HINT, PHASES } from '../../../shared/states.js';

/** The MCP App views (the MCP Apps extension, `ui://` resources rendered by the client in a sandboxed frame). */
export const LINK_VIEW = 'ui://whatsapp/link';
export const SEND_PREVIEW_VIEW = 'ui://whatsapp/send-preview';

/**
 * Where the link view finds the QR code in a whatsapp_status / whatsapp_start_auth result:
 * `_meta`, which the client hands to the view and not to the model, so the text and the
 * structured result stay what every other client gets.
 */
export const QR_META_KEY = 'whatsapp-mcp-desktop/qr';

export type ViewName = 'link' | 'send-preview';

/**
 * The view's own policy, on top of whatever the client imposes: nothing is fetched, framed or
 * posted anywhere; the page talks to the client by postMessage only, and the QR code is a data: URL.
 */
export const VIEW_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const TITLES: Readonly<Record<ViewName, string>> = { link: 'Link WhatsApp', 'send-preview': 'WhatsApp message' };

/** The view sources (markup, styles, scripts) sit next to this module in src/ and, copied by the build, in dist/. */
const source = (file: string): string => readFileSync(fileURLToPath(new URL(`./views/${file}`, import.meta.url)), 'utf8');

/**
 * The extension's view-side `App` class, bundled with its dependencies by its authors. It ends
 * in one ES `export{a as App,…}`; the view needs it inline (a `ui://` page loads nothing), so
 * the bundle runs inside a function that returns those bindings.
 */
function appBundle(): string {
  const file = createRequire(import.meta.url).resolve('@modelcontextprotocol/ext-apps/app-with-deps');
  const code = readFileSync(file, 'utf8');
  const exported = /export\s*\{([^}]*)\};?\s*$/.exec(code);
  if (!exported) throw new Error(`${file} no longer ends in one export list: update src/server/mcp/app/views.ts`);
  const bindings = exported[1]!
    .split(',')
    .map((part) => part.trim().split(/\s+as\s+/))
    .filter(([local]) => local)
    .map(([local, name]) => `${JSON.stringify(name ?? local)}: ${local}`);
  return `const ExtApps = (() => {\n${code.slice(0, exported.index)}\nreturn { ${bindings.join(', ')} };\n})();`;
}

/** JSON that is safe inside a <script> element: no "</script>" or "<!--" can close or bend it. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

/** What a view knows before any tool result arrives: for the link view, the state table the window and the tray read. */
function viewData(name: ViewName): unknown {
  return name === 'link' ? { phases: PHASES, actions: ACTIONS, apiHint: API_HINT, qrMetaKey: QR_META_KEY } : {};
}

function render(name: ViewName): string {
  const script = [appBundle(), source('common.js'), source(`${name}.js`)].join('\n');
  if (/<\/script|<!--/i.test(script)) throw new Error(`the ${name} view's script holds "</script" or "<!--", which would end it early`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${VIEW_CSP}">
<title>${TITLES[name]}</title>
<style>
${source('view.css')}
</style>
</head>
<body>
${source(`${name}.html`)}
<script type="application/json" id="view-data">${scriptJson(viewData(name))}</script>
<script type="module">
${script}
</script>
</body>
</html>
`;
}

const cache = new Map<ViewName, string>();

/** The complete, self-contained HTML of a view (read once, then served from memory). */
export function viewHtml(name: ViewName): string {
  let html = cache.get(name);
  if (!html) {
    html = render(name);
    cache.set(name, html);
  }
  return html;
}
