import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../../src/bridge.js';
import { startDemoBridge, tempDataDir, until, waitForState, type Caller } from '../helpers/bridge.js';

/**
 * Listening end to end: whatsapp-web.js in Chromium against the simulator, the event log in
 * the store, and an SSE client over HTTP — live, and for a message that arrived while the
 * bridge's WhatsApp Web was closed (caught up on ready, flagged backfilled).
 */
interface Frame {
  id: number;
  type: string;
  data: { backfilled: boolean; data: { type: string; message?: { body: string } } };
}

async function follow(bridge: Bridge & { call: Caller }, after?: number): Promise<{ frames: Frame[]; close(): void }> {
  const abort = new AbortController();
  const res = await fetch(`${bridge.url}/api/events?types=message${after === undefined ? '' : `&after=${after}`}`, { headers: { authorization: `Bearer ${bridge.token}` }, signal: abort.signal });
  const frames: Frame[] = [];
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
        const id = /^id: (\d+)$/m.exec(block)?.[1];
        const type = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (id && type && data) frames.push({ id: Number(id), type, data: JSON.parse(data) });
      }
    }
  })();
  return { frames, close: () => abort.abort() };
}

describe('listening, end to end through the simulator', () => {
  let bridge: Bridge & { call: Caller };
  const post = (p: string, json?: unknown) => bridge.call(p, { method: 'POST', ...(json === undefined ? {} : { json }) });

  beforeAll(async () => {
    bridge = await startDemoBridge(tempDataDir('wa-e2e-events-'));
    await post('/api/auth/start');
    await waitForState(bridge.call, 'qr');
    await post('/api/simulator/link');
    await waitForState(bridge.call, 'ready');
  });
  afterAll(async () => {
    await bridge?.stop();
  });

  it('an incoming message reaches an SSE client as it is recorded, and is then searchable', async () => {
    const stream = await follow(bridge);
    expect((await post('/api/simulator/incoming', { phone_number: '15550100001', message: 'Live from Alice' })).status).toBe(200);
    await until(() => stream.frames.some((f) => f.data.data.message?.body === 'Live from Alice'), 'the SSE frame');
    stream.close();
    const frame = stream.frames.find((f) => f.data.data.message?.body === 'Live from Alice')!;
    expect(frame).toMatchObject({ type: 'message', data: { backfilled: false } });
    const found = (await bridge.call('/api/search?q=Alice')).body;
    expect(found.results.map((r: { message: { body: string } }) => r.message.body)).toContain('Live from Alice');
  });

  it('a message that arrived while WhatsApp Web was closed is caught up on ready and pushed, flagged backfilled', async () => {
    const before = (await bridge.call('/api/status')).body;
    expect(before.state).toBe('ready');
    await bridge.session.close();
    await waitForState(bridge.call, 'stopped');
    // The phone is still linked: the contact's message waits on WhatsApp's side.
    expect((await post('/api/simulator/incoming', { phone_number: '15550100001', message: 'Sent while you were away' })).status).toBe(200);
    const stream = await follow(bridge);
    await post('/api/auth/start');
    await waitForState(bridge.call, 'ready');
    await until(() => stream.frames.some((f) => f.data.data.message?.body === 'Sent while you were away'), 'the caught-up message');
    stream.close();
    const frame = stream.frames.find((f) => f.data.data.message?.body === 'Sent while you were away')!;
    expect(frame.data.backfilled).toBe(true);
    // Once in the log: a replay from the start, ended by a marker sent afterwards, holds it one time.
    const replay = await follow(bridge, 0);
    await post('/api/simulator/incoming', { phone_number: '15550100002', message: 'marker' });
    await until(() => replay.frames.some((f) => f.data.data.message?.body === 'marker'), 'the marker');
    replay.close();
    expect(replay.frames.filter((f) => f.data.data.message?.body === 'Sent while you were away')).toHaveLength(1);
    expect(replay.frames.filter((f) => f.data.data.message?.body === 'Live from Alice')).toHaveLength(1);
  });
});
