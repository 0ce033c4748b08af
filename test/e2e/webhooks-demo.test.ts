import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../../src/bridge.js';
import { startDemoBridge, tempDataDir, waitForState, type Caller } from '../helpers/bridge.js';
import { startReceiver, verifySignature, type Receiver } from '../helpers/webhook-receiver.js';

/**
 * Issue 11, "Push": a message arriving in the real adapter (whatsapp-web.js in Chromium
 * against the simulator) reaches a real webhook receiver, signed.
 */
describe('webhooks end to end (demo)', () => {
  const dataDir = path.join(tempDataDir('wa-e2e-hooks-'), 'data');
  let bridge: Bridge & { call: Caller };
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver();
    bridge = await startDemoBridge(dataDir);
    await bridge.call('/api/auth/start', { method: 'POST' });
    await waitForState(bridge.call, 'qr');
    await bridge.call('/api/simulator/link', { method: 'POST' });
    await waitForState(bridge.call, 'ready');
  });
  afterAll(async () => {
    await bridge?.stop();
    await receiver?.close();
  });

  it('POST /api/simulator/incoming reaches the receiver as a signed message event', async () => {
    const created = await bridge.call('/api/webhooks', { method: 'POST', json: { url: `${receiver.url}/wa`, events: ['message'] } });
    expect(created.status).toBe(201);
    const { secret } = created.body.webhook;
    const sent = await bridge.call('/api/simulator/incoming', { method: 'POST', json: { phone_number: '15550100001', message: 'Hello, receiver' } });
    expect(sent.body.ok).toBe(true);
    const [r] = await receiver.until((all) => all.some((x) => x.json?.data?.message?.id === sent.body.id), 'the message at the receiver', 20_000).then((all) => all.filter((x) => x.json?.data?.message?.id === sent.body.id));
    expect(verifySignature(secret, r!.headers, r!.body)).toBe(true);
    expect(r!.json).toMatchObject({ type: 'message', chat_id: '15550100001@c.us', data: { message: { body: 'Hello, receiver', from_me: false } } });
    expect(r!.headers['webhook-id']).toMatch(/^msg_/);
  });
});
