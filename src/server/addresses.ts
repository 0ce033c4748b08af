import type { Server } from 'node:net';

/** Host names that always reach this machine only. */
export const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** "127.0.0.1:8790" -> "127.0.0.1", "[::1]:8790" -> "[::1]"; lowercase; null when malformed. */
export function hostName(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/i.exec(header.trim());
  return m?.[1] ? m[1].toLowerCase() : null;
}

export function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_NAMES.has(url.hostname.toLowerCase());
  } catch {
    return false;
  }
}

/**
 * The port the server really listens on: the one the OS picked when the configured port is 0.
 * 0 while it does not listen (no request can arrive then).
 */
export function boundPort(server: Server): number {
  const addr = server.address();
  return typeof addr === 'object' && addr ? addr.port : 0;
}

/**
 * This bridge's address as the client named it: the `Host` name (the security plugin has
 * checked it) with the port the server listens on, e.g. "http://127.0.0.1:8790".
 */
export function ownUrl(hostHeader: string | undefined, port: number): string {
  return `http://${hostName(hostHeader) ?? '127.0.0.1'}:${port}`;
}

/**
 * True when `origin` is the bridge's own: the very scheme, host and port this request was sent
 * to (`Host`), and that port is the one the server listens on. A page on another port of
 * the same host is another origin, even though browsers send it the same cookies.
 */
export function isOwnOrigin(origin: string, hostHeader: string | undefined, port: number): boolean {
  try {
    const from = new URL(origin);
    const to = new URL(`http://${hostHeader ?? ''}`);
    return from.protocol === 'http:' && from.origin === to.origin && Number(from.port || 80) === port;
  } catch {
    return false;
  }
}
