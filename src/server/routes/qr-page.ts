import type { FastifyPluginAsync } from 'fastify';
import { qrImage } from '../../app/qr.js';
import type { StatusDto } from '../../app/schemas/index.js';
import type { Linking } from '../../app/linking.js';
import { errorForPeople, phaseFor, phaseTitle } from '../../shared/states.js';
import { DASHBOARD_CSP } from './dashboard.js';

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** The state in plain words, from the one table of states, with the bridge's reason when it adds something. */
export function stateSentence(s: StatusDto): string {
  const phase = phaseFor(s);
  const error = phase.showError ? errorForPeople(s.last_error) : '';
  return error ? `${phase.sentence} ${error}` : phase.sentence;
}

/**
 * The link page a person opens from the printed link: the QR code large, in the same words
 * as the window. It is complete as served (no script needed to read it); `ui/qr-page.js`
 * then keeps it current in place, replacing the code as soon as WhatsApp rotates it.
 */
export async function renderQrPage(s: StatusDto, qr: string | null): Promise<string> {
  const phase = phaseFor(s);
  const title = phaseTitle(phase, s.account);
  const image = qr ? await qrImage(qr) : '';
  const inQr = s.state === 'qr';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(phase.title)} — Link WhatsApp — WhatsApp MCP Desktop</title>
<link rel="icon" href="/ui/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/ui/styles.css">
<script type="module" src="/ui/qr-page.js"></script>
</head>
<body data-state="${phase.id}">
<header class="top"><p class="brand">WhatsApp MCP Desktop</p></header>
<main id="main" class="qr-page">
<h1>Link WhatsApp</h1>
<section class="card status-card" aria-labelledby="status-title">
  <div class="status-line">
    <span id="status-dot" class="dot ${phase.tone}" aria-hidden="true"></span>
    <h2 id="status-title">${escapeHtml(title)}</h2>
  </div>
  <p id="status-text" role="status">${escapeHtml(phase.sentence)}</p>
  <p id="status-error" class="detail"${phase.showError && s.last_error ? '' : ' hidden'}>${escapeHtml(phase.showError ? errorForPeople(s.last_error) : '')}</p>
  <div id="qr-area"${inQr ? '' : ' hidden'}>
    <ol class="steps">
      <li>Open WhatsApp on your phone.</li>
      <li>Tap <strong>Menu ⋮</strong> on Android or <strong>Settings</strong> on iPhone, then <strong>Linked devices → Link a device</strong>.</li>
      <li>Point the phone at this code.</li>
    </ol>
    <div class="qr-box qr-box-large">
      <img id="qr" src="${image}" width="296" height="296" alt="QR code to link WhatsApp. It changes every few seconds."${image ? '' : ' hidden'}>
    </div>
    <p class="hint">The code changes about every 20 seconds; each new one replaces it here by itself.</p>
  </div>
</section>
<p><a id="dashboard-link" href="/">Open the dashboard</a> to log in or out, link with your phone number instead, and set up scripts and AI agents.</p>
</main>
</body>
</html>`;
}

export const qrPageRoutes: FastifyPluginAsync<{ linking: Linking }> = async (app, { linking }) => {
  app.get(
    '/qr',
    { config: { scope: 'owner' },
      schema: {
        tags: ['dashboard'],
        summary: 'The link page, for a person in a browser: the QR code, kept current in place',
        description: 'HTML, not JSON. Open it with ?token=<token> once (the token moves into a cookie). Programs read the code from GET /api/qr.',
      },
    },
    async (_req, reply) => {
      const html = await renderQrPage(linking.status(), linking.qr().qr);
      return reply.type('text/html; charset=utf-8').header('Content-Security-Policy', DASHBOARD_CSP).send(html);
    },
  );
};
