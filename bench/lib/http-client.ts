import http from 'node:http';
import { BENCH_TOKEN } from './config.js';

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * A small JSON client on node:http with keep-alive: what a script calling the API costs,
 * without fetch's heavier machinery taking CPU from the server on a two-core machine.
 * Rejects on any status but 2xx. `headers` adds to the token, e.g. `{ 'x-account': 'work' }`.
 */
export function callJson(baseUrl: string, method: 'GET' | 'POST', path: string, json?: unknown, headers: Record<string, string> = {}): Promise<any> {
  const body = json === undefined ? undefined : Buffer.from(JSON.stringify(json));
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${baseUrl}${path}`,
      {
        method,
        agent,
        headers: { authorization: `Bearer ${BENCH_TOKEN}`, ...headers, ...(body ? { 'content-type': 'application/json', 'content-length': body.length } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (!res.statusCode || res.statusCode < 200 || res.statusCode > 299) return reject(new Error(`${method} ${path} answered ${res.statusCode}: ${text.slice(0, 500)}`));
          try {
            resolve(JSON.parse(text));
          } catch (err) {
            reject(err);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
