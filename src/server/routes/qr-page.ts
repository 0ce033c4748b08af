import type { FastifyPluginAsync } from 'fastify';
import { qrImage } from '../../app/qr.js';
import type { StatusDto } from '../../app/schemas/index.js';
import type { Linking } from '../../app/linking.js';


const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** One plain sentence for every state, so the page is never just blank. */
export function stateSentence(s: StatusDto, port: number): string {
  const err = s.last_error ? ` ${s.last_error}` : '';
  switch (s.state) {
    case 'qr':
      return 'Scan this code with WhatsApp on your phone: Settings → Linked devices → Link a device. The code changes every few seconds; this page refreshes itself.';
    case 'starting':
      return 'Starting WhatsApp Web… the QR code will appear here in a few seconds.';
    case 'authenticated':
      return 'Phone linked. Loading your chats…';
    case 'ready':
      return `Linked${s.account?.pushname ? ` as ${s.account.pushname}` : ''}${s.account?.wid ? ` (${s.account.wid.replace(/@.*/, '')})` : ''}. You can close this page.`;
    case 'auth_failure':
      return `Linking failed.${err} Start again from the tray menu (Log in…) or with POST http://127.0.0.1:${port}/api/auth/start.`;
    case 'disconnected':
      return `WhatsApp is disconnected.${err}`;
    case 'stopped':
      return `WhatsApp is not started.${err} Start linking from the tray menu (Log in…) or with POST http://127.0.0.1:${port}/api/auth/start.`;
  }
}

export async function renderQrPage(s: StatusDto, qr: string | null, port: number): Promise<string> {
  const image = qr ? `<img src="${await qrImage(qr)}" width="296" height="296" alt="WhatsApp link QR code">` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="5">
<title>Link WhatsApp — WhatsApp MCP Desktop</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 34rem; margin: 3rem auto; padding: 0 1rem; color: #1b1b1b; background: #fff; }
  img { display: block; margin: 1.5rem 0; image-rendering: pixelated; }
  .state { font-size: .85rem; color: #4a4a4a; }
  @media (prefers-color-scheme: dark) { body { color: #eee; background: #121212; } .state { color: #bbb; } img { background: #fff; } }
</style>
</head>
<body>
<h1>Link WhatsApp</h1>
<p role="status">${escapeHtml(stateSentence(s, port))}</p>
${image}
<p class="state">State: <code>${s.state}</code></p>
</body>
</html>`;
}

export const qrPageRoutes: FastifyPluginAsync<{ linking: Linking; port: () => number }> = async (app, { linking, port }) => {
  app.get('/qr', async (_req, reply) => {
    const html = await renderQrPage(linking.status(), linking.qr().qr, port());
    return reply
      .type('text/html; charset=utf-8')
      .header('Content-Security-Policy', "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'")
      .send(html);
  });
};
