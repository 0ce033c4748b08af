import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { protocol } from 'electron';
import { DASHBOARD_CSP, RENDERER_FILE, rendererDir } from '../server/routes/dashboard.js';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

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

/** Serves renderer/ on app://desktop/ with the CSP as a header as well as in the page. */
export function serveRenderer(): void {
  const dir = rendererDir();
  protocol.handle('app', async (request) => {
    const file = rendererFileFor(request.url);
    if (!file) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(path.join(dir, file));
      return new Response(body, {
        headers: { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-security-policy': DASHBOARD_CSP },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}
