import http from 'node:http';
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../src/app/index.js';
import { silentLogger } from '../../src/core/logger.js';
import { buildApp, type HttpDeps } from '../../src/server/app.js';
import { FakeSession } from './fake-session.js';
import { startServices, type ServicesOptions } from './services.js';

export const TOKEN = 'test-token-0123456789abcdef';

export interface TestServer {
  app: FastifyInstance;
  session: FakeSession;
  services: AppServices;
  url: string;
  /** fetch against the server with the token, unless `headers` overrides it. */
  call(path: string, init?: RequestInit & { json?: unknown }): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export interface TestServerOptions extends Partial<Omit<HttpDeps, 'services'>>, ServicesOptions {
  session?: FakeSession;
}

/** buildApp with an in-memory session and store, listening on a free loopback port: real HTTP. */
export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const { session = new FakeSession(), sendPace, mediaDirs, syncTimeoutMs, onDisk, maxQueued, webhooks, approvalTimeoutMs, firstImport, ...deps } = opts;
  const log = silentLogger();
  const { services, dispose } = await startServices(session, {
    ...(sendPace ? { sendPace } : {}),
    ...(mediaDirs ? { mediaDirs } : {}),
    ...(syncTimeoutMs !== undefined ? { syncTimeoutMs } : {}),
    ...(onDisk ? { onDisk } : {}),
    ...(maxQueued !== undefined ? { maxQueued } : {}),
    ...(webhooks ? { webhooks } : {}),
    ...(approvalTimeoutMs !== undefined ? { approvalTimeoutMs } : {}),
    ...(firstImport ? { firstImport } : {}),
  });
  const app = await buildApp({ services, token: TOKEN, log, version: '0.0.0-test', ...deps });
  app.addHook('onClose', async () => dispose());
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return {
    app,
    session,
    services,
    url,
    async call(path, init = {}) {
      const { json, headers, ...rest } = init;
      const h = new Headers({ authorization: `Bearer ${TOKEN}` });
      if (json !== undefined) h.set('content-type', 'application/json');
      for (const [k, v] of new Headers(headers)) h.set(k, v);
      const res = await fetch(url + path, { ...rest, headers: h, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // HTML pages and empty bodies stay text.
      }
      return { status: res.status, body, headers: res.headers };
    },
    close: () => app.close(),
  };
}

/** A request with full control over headers (Host included), which fetch does not give. */
export function rawRequest(
  url: string,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<{ status: number; body: any; headers: Record<string, string | string[] | undefined> }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers, setHost: !opts.headers?.host }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON
        }
        resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
      });
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/**
 * Writes `head` (request line and headers, CRLF-separated, without the blank line) as is over
 * TCP: for requests no HTTP client will send, such as two Host headers.
 */
export function socketRequest(url: string, head: string[]): Promise<{ status: number; body: any }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      const raw = text.slice(text.indexOf('\r\n\r\n') + 4);
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // not JSON
      }
      resolve({ status, body });
    });
    socket.end(`${[...head, 'Connection: close'].join('\r\n')}\r\n\r\n`);
  });
}
