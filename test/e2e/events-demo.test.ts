import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../../src/bridge.js';
import { SimulatorControl } from '../../src/whatsapp/simulator/index.js';
import { startDemoBridge, tempDataDir, until, waitForState, type Caller } from '../helpers/bridge.js';
import { callTool, connectMcp } from '../helpers/mcp.js';
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

  it('system notices WhatsApp Web adds as messages (security code changed, a missed call) reach no one as messages: not SSE, the log, wait_for_messages, unread or reads', async () => {
    const sim = new SimulatorControl(bridge.session.page!);
    const stream = await follow(bridge);
    const mcp = await connectMcp(bridge.url, bridge.token);
    try {
      const waiting = callTool(mcp, 'whatsapp_wait_for_messages', { chat_id: '15550100003@c.us', timeout_s: 30 });
      const notices = [
        (await sim.systemNotice({ chat: '15550100003', type: 'e2e_notification', subtype: 'identity' })).id,
        (await sim.systemNotice({ chat: '15550100003', type: 'call_log' })).id,
      ];
      const { id } = (await post('/api/simulator/incoming', { phone_number: '15550100003', message: 'Written after the notices' })).body;
      // The adapter keeps WhatsApp's order, so the real message comes after the notices would have.
      await until(() => stream.frames.some((f) => f.data.data.message?.id === id), 'the real message on SSE');
      const waited = (await waiting).structuredContent as { messages: { message: { id: string } }[] };
      expect(waited.messages.map((m) => m.message.id)).toEqual([id]);
      const unread = (await callTool(mcp, 'whatsapp_list_unread')).structuredContent as { chats: { chat: { id: string }; unread: { id: string }[] }[] };
      expect(unread.chats.find((c) => c.chat.id === '15550100003@c.us')!.unread.map((m) => m.id)).not.toEqual(expect.arrayContaining([notices[0]]));
      const read = (await bridge.call('/api/chats/15550100003%40c.us/messages?limit=5')).body;
      expect(read.messages.at(-1).id).toBe(id);
      const everything = JSON.stringify([stream.frames, read, unread]);
      for (const notice of notices) expect(everything).not.toContain(notice);
      // Nor in the log, from which webhooks and MCP resources read.
      const replay = await follow(bridge, 0);
      await post('/api/simulator/incoming', { phone_number: '15550100002', message: 'end of replay' });
      await until(() => replay.frames.some((f) => f.data.data.message?.body === 'end of replay'), 'the replay marker');
      replay.close();
      for (const notice of notices) expect(JSON.stringify(replay.frames)).not.toContain(notice);
    } finally {
      stream.close();
      await mcp.close();
    }
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
