// @ts-check
/**
 * The bridge's event stream (GET /api/events, server-sent events) read with fetch rather
 * than EventSource: the page must see the heartbeats, which are comment lines EventSource
 * hides, to notice a connection that went silent without closing; and the HTTP status of a
 * refused connection, so a lost token does not read as a stopped bridge. Like EventSource it
 * reconnects by itself and resumes after the last event it saw (Last-Event-ID).
 */

/** The bridge writes a comment line this often on an idle stream (HEARTBEAT_MS in src/server/routes/events.ts). */
export const HEARTBEAT_MS = 15_000;
/** Silence longer than this means the connection is dead even though the socket never said so. */
export const STALL_MS = HEARTBEAT_MS + 5_000;
/** How long the bridge may take to answer the stream request. */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * @typedef {{ id: string | null, event: string, data: string | null }} SseFrame  data null: a block with only an id (it moves the cursor, it is not an event)
 * @typedef {{ status: number | null, body: unknown }} Refusal  status null: no answer at all
 */

/**
 * The delay before the next connection: at once after a stream ends (attempt 0); after the
 * first, second… failed attempt in a row 1 s, 2 s, then every 3 s — a bridge that comes back
 * is seen within 3 s.
 * @param {number} attempt
 */
export function retryDelay(attempt) {
  return [0, 1000, 2000][attempt] ?? 3000;
}

/**
 * A text/event-stream parser: feed it decoded text in chunks of any size; it calls `onFrame`
 * for each event and `onComment` for each comment line (the heartbeats).
 * @param {(frame: SseFrame) => void} onFrame
 * @param {(text: string) => void} onComment
 * @returns {(chunk: string) => void}
 */
export function sseParser(onFrame, onComment) {
  let buffer = '';
  /** @type {string[]} */
  let data = [];
  let event = '';
  /** @type {string | null} */
  let id = null;
  return (chunk) => {
    buffer += chunk;
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const raw of lines) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line === '') {
        if (data.length || id !== null) onFrame({ id, event: event || 'message', data: data.length ? data.join('\n') : null });
        data = [];
        event = '';
        id = null;
      } else if (line.startsWith(':')) {
        onComment(line.slice(1).trim());
      } else {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') data.push(value);
        else if (field === 'event') event = value;
        else if (field === 'id') id = value;
      }
    }
  };
}

/**
 * Follows `url` until closed. `onOpen` runs on every (re)connection, before the replay of
 * what was missed; `onDown` when a connection attempt fails or the stream goes silent for
 * `stallMs` — not when a stream merely ends: the first reconnect is immediate, so a bridge
 * that drops a slow reader does not read as gone, and one that stopped is reported as soon as
 * that reconnect is refused.
 * @param {string} url
 * @param {Record<string, string>} headers  sent on every connection (the dashboard's X-Account)
 * @param {{ onOpen(): void, onFrame(frame: SseFrame & { data: string }): void, onDown(refusal: Refusal): void }} on
 * @param {{ stallMs?: number }} [options]
 * @returns {{ close(): void }}
 */
export function openEventStream(url, headers, on, options = {}) {
  const stallMs = options.stallMs ?? STALL_MS;
  /** @type {string | null} */
  let lastId = null;
  let closed = false;
  let attempt = 0;
  let retry = 0;
  /** @type {AbortController | null} */
  let current = null;

  const connect = async () => {
    const controller = new AbortController();
    current = controller;
    let watchdog = 0;
    let stalled = false;
    const arm = (/** @type {number} */ ms) => {
      clearTimeout(watchdog);
      watchdog = window.setTimeout(() => {
        stalled = true;
        controller.abort();
      }, ms);
    };
    arm(CONNECT_TIMEOUT_MS);
    /** @type {Refusal | null} */
    let refusal = null;
    let opened = false;
    try {
      const res = await fetch(url, {
        credentials: 'same-origin',
        cache: 'no-store',
        headers: lastId === null ? headers : { ...headers, 'Last-Event-ID': lastId },
        signal: controller.signal,
      });
      if (!res.ok || !res.body) {
        refusal = { status: res.status, body: await res.json().catch(() => null) };
      } else {
        opened = true;
        attempt = 0;
        arm(stallMs);
        on.onOpen();
        const parse = sseParser(
          (frame) => {
            if (frame.id !== null) lastId = frame.id;
            if (frame.data !== null) on.onFrame({ ...frame, data: frame.data });
          },
          () => undefined,
        );
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done || closed) break;
          arm(stallMs);
          parse(value);
        }
      }
    } catch {
      // A stream that went silent is a bridge that stopped answering, like one that refuses.
      refusal = opened && !stalled ? null : { status: null, body: null };
    } finally {
      clearTimeout(watchdog);
    }
    if (closed) return;
    if (refusal) on.onDown(refusal);
    retry = window.setTimeout(() => void connect(), opened ? retryDelay(0) : retryDelay(++attempt));
  };

  void connect();
  return {
    close() {
      closed = true;
      clearTimeout(retry);
      current?.abort();
    },
  };
}
