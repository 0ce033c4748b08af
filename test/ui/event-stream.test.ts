import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rendererAsset } from '../../src/server/routes/dashboard.js';
import { chromiumPath, launchChromium } from '../helpers/playwright.js';

/**
 * renderer/event-stream.js in real Chromium against a scripted SSE server: how it parses,
 * what it resumes from, and when it says the bridge is gone. The server decides per
 * connection: answer a stream the test writes into, refuse with a status, or drop the socket.
 */
type Mode = { kind: 'stream' } | { kind: 'status'; status: number } | { kind: 'drop' };

/** Opens the stream (stall time from ?stall=) and records what the client reports, in order, in window.__log. */
const PAGE = `<!doctype html><title>stream</title><script type="module">
import { openEventStream } from '/ui/event-stream.js';
const stall = Number(new URLSearchParams(location.search).get('stall')) || undefined;
const log = (window.__log = []);
window.__stream = openEventStream('/stream', { 'X-Account': 'work' }, {
  onOpen: () => log.push(['open']),
  onFrame: (f) => log.push(['frame', f.id, f.event, f.data]),
  onDown: (r) => log.push(['down', r.status]),
}, stall ? { stallMs: stall } : {});
</script>`;

interface Connection {
  lastEventId: string | null;
  /** The dashboard names the account it shows on every connection, reconnects included. */
  account: string | undefined;
  res: http.ServerResponse | null;
}

describe.skipIf(!chromiumPath)('the page\'s event stream client (fetch + SSE parser)', () => {
  let server: http.Server;
  let url: string;
  let browser: Browser;
  let page: Page;
  let mode: Mode = { kind: 'stream' };
  const connections: Connection[] = [];

  beforeAll(async () => {
    server = http.createServer(async (req, res) => {
      if (req.url?.startsWith('/?')) {
        res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
        return;
      }
      if (req.url?.startsWith('/ui/')) {
        const asset = await rendererAsset(req.url.slice(4));
        res.writeHead(asset ? 200 : 404, { 'content-type': asset?.type ?? 'text/plain' }).end(asset?.body ?? '');
        return;
      }
      if (req.url !== '/stream') {
        res.writeHead(404).end();
        return;
      }
      const header = req.headers['last-event-id'];
      const connection: Connection = { lastEventId: typeof header === 'string' ? header : null, account: req.headers['x-account'] as string | undefined, res: null };
      connections.push(connection);
      if (mode.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      if (mode.kind === 'status') {
        res.writeHead(mode.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'UNAUTHORIZED', message: 'no' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('retry: 2000\nid: 41\n\n');
      connection.res = res;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  afterEach(async () => {
    await page?.evaluate(() => (window as unknown as { __stream?: { close(): void } }).__stream?.close());
    await page?.close();
    for (const c of connections) c.res?.end();
    connections.length = 0;
    mode = { kind: 'stream' };
  });

  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  /** Opens the page, which opens the stream. */
  async function open(stallMs?: number): Promise<void> {
    page = await browser.newPage();
    await page.goto(`${url}/?stall=${stallMs ?? ''}`);
  }
  const log = () => page.evaluate(() => (window as unknown as { __log: unknown[] }).__log);
  const live = () => connections.at(-1)!.res!;
  const waitConnections = (n: number, timeout = 5000) => expect.poll(() => connections.length, { timeout }).toBe(n);

  it('parses events split anywhere across chunks; comments and id-only blocks are not events', async () => {
    await open();
    await waitConnections(1);
    await expect.poll(log).toEqual([['open']]);
    const res = live();
    res.write(': ping\n\n');
    res.write('id: 42\nevent: mess');
    res.write('age\ndata: {"cursor":42,');
    res.write('"x":"é 中文 🙂"}\n');
    res.write('\nid: 43\nevent: status\ndata: line one\ndata: line two\n\n');
    await expect.poll(log).toEqual([
      ['open'],
      ['frame', '42', 'message', '{"cursor":42,"x":"é 中文 🙂"}'],
      ['frame', '43', 'status', 'line one\nline two'],
    ]);
  });

  it('a stream that ends is resumed at once after the last id it saw, without reporting the bridge gone', async () => {
    await open();
    await waitConnections(1);
    live().end('id: 50\nevent: message\ndata: {}\n\n');
    await waitConnections(2);
    expect(connections[1]!.lastEventId).toBe('50');
    expect(connections.map((c) => c.account)).toEqual(['work', 'work']);
    expect((await log()).filter((l) => (l as unknown[])[0] === 'down')).toEqual([]);
  });

  it('regression: a client that saw no event before the drop resumed from "now" and lost what happened meanwhile', async () => {
    await open();
    await waitConnections(1);
    // The stream's opening block carries the cursor it starts after (id: 41).
    live().end();
    await waitConnections(2);
    expect(connections[1]!.lastEventId).toBe('41');
  });

  it('reports the bridge gone as soon as the reconnect is refused, keeps trying, and opens again when it is back', async () => {
    await open();
    await waitConnections(1);
    mode = { kind: 'drop' };
    live().end();
    await expect.poll(log).toEqual([['open'], ['down', null]]);
    // Retries go on (1 s, then 2 s apart) and each failure is reported.
    await expect.poll(log, { timeout: 8000 }).toEqual([['open'], ['down', null], ['down', null], ['down', null]]);
    mode = { kind: 'stream' };
    await expect.poll(log, { timeout: 8000 }).toEqual([['open'], ['down', null], ['down', null], ['down', null], ['open']]);
  });

  it('a refusal carries its HTTP status (a lost token is not a stopped bridge)', async () => {
    mode = { kind: 'status', status: 401 };
    await open();
    await expect.poll(log).toEqual([['down', 401]]);
  });

  it('a stream that goes silent (no heartbeat) reads as the bridge gone, and is reconnected from the same cursor', async () => {
    await open(800);
    await waitConnections(1);
    // Heartbeats every 200 ms keep it open past twice the stall time (8 of them: 1.6 s).
    let pings = 0;
    const beat = setInterval(() => {
      live().write(': ping\n\n');
      pings++;
    }, 200);
    try {
      await expect.poll(() => pings, { timeout: 5000 }).toBeGreaterThanOrEqual(8);
      expect(connections).toHaveLength(1);
      expect(await log()).toEqual([['open']]);
    } finally {
      clearInterval(beat);
    }
    // No more bytes: the client gives up on this connection, says so, and opens another one.
    await expect.poll(log, { timeout: 3000 }).toEqual([['open'], ['down', null], ['open']]);
    expect(connections).toHaveLength(2);
    expect(connections[1]!.lastEventId).toBe('41');
  });
});
