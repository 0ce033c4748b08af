import http from 'node:http';
import { once } from 'node:events';

export interface WebhookReceiver {
  url: string;
  /** Deliveries answered so far. */
  readonly count: number;
  close(): Promise<void>;
}

/**
 * A webhook receiver on 127.0.0.1 that does no work of its own: it stamps each delivery's
 * arrival (performance.now(), once the body is in), hands the body over and answers 204.
 * The signature is not checked: the figure is the bridge's latency, not the receiver's.
 */
export async function startWebhookReceiver(onDelivery: (body: string, at: number) => void): Promise<WebhookReceiver> {
  let count = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      count++;
      onDelivery(Buffer.concat(chunks).toString('utf8'), at);
      res.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hook`,
    get count() {
      return count;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
