import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import type { DashboardConfig } from '../../shared/ipc.js';
import { mcpSnippets } from '../../shared/mcp-clients.js';

/** The window's UI is plain web code in renderer/; the desktop app serves the same files. */
export function rendererDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'renderer');
    if (existsSync(path.join(candidate, 'index.html'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('renderer/index.html not found next to the application');
}

export const RENDERER_FILE = /^[a-z][a-z0-9-]*\.(js|css)$/;

export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.html': 'text/html; charset=utf-8' };

/**
 * The headless bridge's dashboard: the window's UI at `/` (token via `?token=` once, then the
 * cookie), its scripts under `/ui/`, and the API details it shows. The security plugin has
 * already checked Host, Origin and the token for every one of these.
 */
export const dashboardRoutes: FastifyPluginAsync<{ token: string }> = async (app, { token }) => {
  const dir = rendererDir();

  const sendFile = async (name: string, reply: import('fastify').FastifyReply) => {
    const body = await readFile(path.join(dir, name));
    return reply.type(TYPES[path.extname(name)] ?? 'application/octet-stream').header('Content-Security-Policy', DASHBOARD_CSP).send(body);
  };

  app.get('/', async (_req, reply) => sendFile('index.html', reply));

  app.get<{ Params: { file: string } }>('/ui/:file', async (req, reply) => {
    const { file } = req.params;
    if (!RENDERER_FILE.test(file) || !existsSync(path.join(dir, file))) return reply.callNotFound();
    return sendFile(file, reply);
  });

  app.get('/api/dashboard/config', async (req): Promise<DashboardConfig> => {
    const apiUrl = `http://${req.headers.host ?? '127.0.0.1'}`;
    const mcpUrl = `${apiUrl}/mcp`;
    return {
      api_url: apiUrl,
      mcp_url: mcpUrl,
      token,
      // Demo mode is the one that mounts the simulator's controls.
      demo: app.hasRoute({ method: 'POST', url: '/api/simulator/link' }),
      snippets: mcpSnippets(mcpUrl, token),
    };
  });
};
