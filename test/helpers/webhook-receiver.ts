import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';

/** One request the receiver got, as it arrived. */
export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: any;
}

export interface Receiver {
  /** e.g. http://127.0.0.1:43210 */
  url: string;
  received: Received[];
  /** What to answer to the nth request (0-based) on a path; 200 unless set. */
  respond: (r: Received, n: number) => { status: number; headers?: Record<string, string> };
  /** Resolves once `check` holds for what arrived (re-checked on each request). */
  until(check: (received: Received[]) => boolean, what: string, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/**
 * A webhook receiver's own check, written from the Standard Webhooks spec and independent of
 * the bridge's code: HMAC-SHA256 keyed with the base64-decoded secret after "whsec_", over
 * "{webhook-id}.{webhook-timestamp}.{body}", compared in constant time with each "v1," entry.
 */
export function verifySignature(secret: string, headers: http.IncomingHttpHeaders, body: string): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.split(' ').some((s) => {
    const [version, sig] = s.split(',');
    const given = Buffer.from(sig ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/**
 * A real HTTP receiver that records every request, on a free loopback port or on `port`
 * (a receiver that comes back where a webhook already points).
 */
export async function startReceiver(port = 0): Promise<Receiver> {
  const received: Received[] = [];
  const waiters = new Set<() => void>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        // recorded as text
      }
      const r: Received = { path: req.url ?? '/', headers: req.headers, body, json };
      const n = received.filter((x) => x.path === r.path).length;
      received.push(r);
      const answer = receiver.respond(r, n);
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
      res.end('ignored by the bridge');
      for (const w of waiters) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const addr = server.address();
  const receiver: Receiver = {
    url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`,
    received,
    respond: () => ({ status: 200 }),
    until: (check, what, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const test = () => {
          if (!check(received)) return;
          clearTimeout(timer);
          waiters.delete(test);
          resolve(received);
        };
        const timer = setTimeout(() => {
          waiters.delete(test);
          reject(new Error(`timed out waiting for ${what}; received: ${JSON.stringify(received.map((r) => [r.path, r.json?.type ?? r.body.slice(0, 40)]))}`));
        }, timeoutMs);
        waiters.add(test);
        test();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return receiver;
}

/** Polls `check` (state observed from outside, e.g. a delivery log) until it holds. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
