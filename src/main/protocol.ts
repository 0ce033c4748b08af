import { protocol } from 'electron';
import { DASHBOARD_CSP, RENDERER_FILE, rendererAsset } from '../server/routes/dashboard.js';

/** Must run before `app` is ready: app:// is a standard, secure origin (not file://, which any local file shares). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true } }]);
}

/** Which renderer file an app:// URL names, with the same layout as the dashboard at `/`; null otherwise. */
export function rendererFileFor(url: string): string | null {
  const u = new URL(url);
  if (u.host !== 'desktop') return null;
  if (u.pathname === '/' || u.pathname === '/index.html') return 'index.html';
  const m = /^\/ui\/([^/]+)$/.exec(u.pathname);
  return m?.[1] && RENDERER_FILE.test(m[1]) ? m[1] : null;
}

/** Serves renderer/ (and the generated table of states) on app://desktop/ with the CSP as a header as well as in the page. */
export function serveRenderer(): void {
  protocol.handle('app', async (request) => {
    const file = rendererFileFor(request.url);
    const asset = file ? await rendererAsset(file).catch(() => null) : null;
    if (!asset) return new Response('Not found', { status: 404 });
    return new Response(asset.body, { headers: { 'content-type': asset.type, 'content-security-policy': DASHBOARD_CSP } });
  });
}
