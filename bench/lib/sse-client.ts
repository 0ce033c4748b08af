import http from 'node:http';
import { BENCH_TOKEN } from './config.js';

export interface SseFrame {
  /** The `id:` line (the event log's cursor), null for frames without one (`dropped`). */
  id: number | null;
  event: string;
  data: string;
}

export interface SseOptions {
  /** Replay from the log after this cursor (sent as Last-Event-ID); omitted: live from now on. */
  after?: number;
  query?: string;
  /**
   * Read at most this many bytes per second: past its budget the client pauses the socket,
   * so the bridge's writes pile up on its side, as with a client on a slow link.
   */
  bytesPerSecond?: number;
  /** Read nothing until `resume()`: a consumer that stopped reading but keeps the connection. */
  stalled?: boolean;
  /** `close` ends this stream from the client's side. */
  onFrame(frame: SseFrame, at: number, close: () => void): void;
}

export interface SseConnection {
  /** Resolves when the bridge ends the stream (or `close()` is called). */
  ended: Promise<void>;
  /** Bytes read so far. */
  readonly bytes: number;
  /** Starts reading a stalled stream. */
  resume(): void;
  close(): void;
}

/**
 * One GET /api/events stream with the token in the Authorization header, split into
 * frames as they arrive (each stamped with performance.now()). Its own connection, so a
 * paused stream holds back nothing else.
 */
export function openSse(baseUrl: string, opts: SseOptions): Promise<SseConnection> {
  return new Promise((resolveOpen, rejectOpen) => {
    let bytes = 0;
    let resolveEnded!: () => void;
    const ended = new Promise<void>((r) => (resolveEnded = r));
    const headers: Record<string, string> = { authorization: `Bearer ${BENCH_TOKEN}`, accept: 'text/event-stream' };
    if (opts.after !== undefined) headers['last-event-id'] = String(opts.after);
    const close = () => req.destroy();
    const req = http.get(`${baseUrl}/api/events${opts.query ? `?${opts.query}` : ''}`, { agent: false, headers }, (res) => {
      if (res.statusCode !== 200) {
        rejectOpen(new Error(`GET /api/events answered ${res.statusCode}`));
        res.resume();
        return;
      }
      const started = performance.now();
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = performance.now();
        bytes += Buffer.byteLength(chunk);
        buf += chunk;
        let end: number;
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const frame = parseFrame(buf.slice(0, end));
          buf = buf.slice(end + 2);
          if (frame) opts.onFrame(frame, at, close);
        }
        if (opts.bytesPerSecond) {
          const ahead = (bytes / opts.bytesPerSecond) * 1000 - (performance.now() - started);
          if (ahead > 1) {
            res.pause();
            setTimeout(() => res.resume(), ahead);
          }
        }
      });
      if (opts.stalled) res.pause();
      res.on('end', resolveEnded);
      res.on('close', resolveEnded);
      res.on('error', resolveEnded);
      resolveOpen({
        ended,
        get bytes() {
          return bytes;
        },
        resume: () => res.resume(),
        close,
      });
    });
    req.on('error', (err) => {
      rejectOpen(err);
      resolveEnded();
    });
  });
}

/** One frame's lines; comments (`: ping`) and the `retry:` preamble give null. */
function parseFrame(text: string): SseFrame | null {
  let id: number | null = null;
  let event = 'message';
  const data: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('id: ')) id = Number(line.slice(4));
    else if (line.startsWith('event: ')) event = line.slice(7);
    else if (line.startsWith('data: ')) data.push(line.slice(6));
  }
  return data.length ? { id, event, data: data.join('\n') } : null;
}
