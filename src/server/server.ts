import type { FastifyInstance } from 'fastify';

export class ListenError extends Error {
  override name = 'ListenError';
}

/** Listens on host:port; a busy port becomes an error that says what to change. */
export async function listen(app: FastifyInstance, host: string, port: number): Promise<{ url: string; port: number }> {
  try {
    await app.listen({ host, port });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new ListenError(`Port ${port} on ${host} is already in use (is WhatsApp MCP Desktop already running?). Choose another with WHATSAPP_MCP_PORT or --port.`);
    }
    if (code === 'EADDRNOTAVAIL') throw new ListenError(`Cannot listen on ${host}: no such address on this machine. Use 127.0.0.1.`);
    throw err;
  }
  const addr = app.server.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return { url: `http://${shown === '0.0.0.0' || shown === '[::]' ? '127.0.0.1' : shown}:${actual}`, port: actual };
}
