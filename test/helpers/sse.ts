/** One server-sent event as a client sees it. */
export interface SseFrame {
  id: string;
  event: string;
  data: any;
}

/**
 * A real SSE client over HTTP (fetch + a stream reader): collects frames as they arrive;
 * `next(n)` resolves once n frames are in; `close()` hangs up.
 */
export async function openSse(url: string, headers: Record<string, string>): Promise<{ status: number; contentType: string | null; frames: SseFrame[]; next(count: number): Promise<SseFrame[]>; close(): void }> {
  const abort = new AbortController();
  const res = await fetch(url, { headers, signal: abort.signal });
  const frames: SseFrame[] = [];
  let waiting = null as (() => void) | null;
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += value;
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const field = (name: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(block)?.[1];
        const data = field('data');
        if (data) frames.push({ id: field('id') ?? '', event: field('event') ?? 'message', data: JSON.parse(data) });
        waiting?.();
      }
    }
  })();
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    frames,
    next: async (count) => {
      while (frames.length < count) await new Promise<void>((r) => (waiting = r));
      return frames.slice(0, count);
    },
    close: () => abort.abort(),
  };
}
