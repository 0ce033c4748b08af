import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../../src/bridge.js';
import { SimulatorControl } from '../../src/whatsapp/simulator/index.js';
import { startDemoBridge, tempDataDir, until, waitForState, type Caller } from '../helpers/bridge.js';
import { connectMcp } from '../helpers/mcp.js';
import { openSse } from '../helpers/sse.js';

/**
 * History import end to end: whatsapp-web.js in Chromium against the simulator. On the
 * first link the recent chats' history is imported in the background (visible in the
 * status); on demand a chat is imported further back than WhatsApp Web holds, by asking the
 * phone (whatsapp-web.js syncHistory), with MCP progress notifications.
 */
describe('history import (demo)', () => {
  let bridge: Bridge & { call: Caller };
  let sim: SimulatorControl;
  const post = async (p: string, json: unknown = {}) => {
    const res = await bridge.call(p, { method: 'POST', json });
    if (res.status >= 300) throw new Error(`${p} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const bodies = async (q: string) => ((await bridge.call(`/api/search?q=${encodeURIComponent(q)}&limit=100`)).body.results as { message: { body: string } }[]).map((r) => r.message.body);

  beforeAll(async () => {
    bridge = await startDemoBridge(tempDataDir('wa-e2e-history-'));
    await post('/api/auth/start');
    await waitForState(bridge.call, 'qr');
    await post('/api/simulator/link');
    await waitForState(bridge.call, 'ready');
    sim = new SimulatorControl(bridge.session.page!);
  });
  afterAll(async () => {
    await bridge?.stop();
  });

  it('the first link imports the recent chats in the background: the status shows it, search finds what was written before, nothing is pushed', async () => {
    await until(async () => (await bridge.call('/api/status')).body.history_import?.state === 'done', 'the first-link import', 60_000);
    const status = (await bridge.call('/api/status')).body.history_import;
    // The default account's chats: eight, plus Hana's two.
    expect(status).toMatchObject({ trigger: 'first_link', chats_total: 10, chats_done: 10, error: null });
    expect(status.messages_imported).toBeGreaterThanOrEqual(25);
    expect(await bodies('book recommendation')).toEqual(['Thanks for the book recommendation']);
    expect(await bodies('grandma')).toEqual(['Dinner at grandma’s on Sunday, 7pm']);
    // Old news: recorded, not pushed. A replay of the log holds only what happens from now on.
    const replay = await openSse(`${bridge.url}/api/events?after=0&types=message`, { authorization: `Bearer ${bridge.token}` });
    await post('/api/simulator/incoming', { phone_number: '15550100001', message: 'first live message' });
    const [first] = await replay.next(1);
    replay.close();
    expect(first!.data.data.message.body).toBe('first live message');
  });

  it('on demand, older than WhatsApp Web holds: the phone is asked (syncHistory) and sends them, until it has no more', async () => {
    const requests = (await sim.snapshot()).historySyncRequests;
    await sim.olderOnPhone({ chat: '15550100003', count: 120 });
    const result = await post('/api/chats/15550100003/history', { limit: 1000 });
    expect(result).toMatchObject({ chat_id: '15550100003@c.us', complete: true, next_before: null, imported: 120 });
    expect(result.seen).toBe(123);
    expect(result.phone_requests).toBe(4);
    expect((await sim.snapshot()).historySyncRequests).toBe(requests + 3);
    expect(await bodies('"Older message 1 of 120"')).toEqual(['Older message 1 of 120, on the phone']);
    expect((await bridge.call('/api/status')).body.history_import).toMatchObject({ state: 'done', trigger: 'on_demand', messages_seen: 123, messages_imported: 120 });
  });

  it('MCP: whatsapp_import_history reports its progress to a client that asks', async () => {
    await sim.olderOnPhone({ chat: '15550100004', count: 60 });
    const mcp = await connectMcp(bridge.url, bridge.token);
    try {
      const progress: number[] = [];
      const result = await mcp.callTool({ name: 'whatsapp_import_history', arguments: { chat_id: '15550100004', limit: 500 } }, undefined, {
        onprogress: (p) => progress.push(p.progress),
        // Each request to the phone may wait for its answer.
        timeout: 120_000,
      });
      expect(result.structuredContent).toMatchObject({ seen: 62, complete: true });
      expect(progress.length).toBeGreaterThanOrEqual(2);
      expect(progress.at(-1)).toBe(62);
      expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    } finally {
      await mcp.close();
    }
  });
});
