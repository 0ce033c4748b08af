import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../../src/bridge.js';
import { startDemoBridge, tempDataDir, until, waitForState, type Caller } from '../helpers/bridge.js';
import { openSse } from '../helpers/sse.js';

/**
 * Listening end to end: whatsapp-web.js in Chromium against the simulator, the event log in
 * the store, and an SSE client over HTTP — live, and for a message that arrived while the
 * bridge's WhatsApp Web was closed (caught up on ready, flagged backfilled).
 */
function follow(bridge: Bridge & { call: Caller }, after?: number) {
  return openSse(`${bridge.url}/api/events?types=message${after === undefined ? '' : `&after=${after}`}`, { authorization: `Bearer ${bridge.token}` });
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
    expect(frame).toMatchObject({ event: 'message', data: { backfilled: false } });
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
