import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deliverAllWhileClosed } from '../../src/whatsapp/simulator/index.js';
import { tempDataDir, until, waitForState } from '../helpers/bridge.js';
import { CRASH_TOKEN, killAll, processesUsing, startChildBridge, webhookTimingEnv, wholeChat, type ChildBridge } from '../helpers/crash-bridge.js';
import { freePort } from '../helpers/product.js';
import { openSse, type SseFrame } from '../helpers/sse.js';
import { startReceiver, type Received, type Receiver } from '../helpers/webhook-receiver.js';

/**
 * Issue 11, "Listening", crash/restart end to end: 500 incoming messages in 5 chats while the
 * only webhook's receiver is down (connection refused); the bridge (its own process: the real
 * whatsapp-web.js, Chromium and the simulator, as `npm run demo`) is `kill -9`'d partway, most
 * of the rest arrive while it is down, it restarts on the same data dir, the receiver comes
 * up, and the last 25 arrive while catch-up runs. Every message must end in the store once,
 * in the event log once, and at the receiver at least once (repeats counted), in the order
 * each chat got them. Against the simulator: proves our store, catch-up and webhook delivery,
 * not WhatsApp's servers.
 */
const PHONES = ['15550200001', '15550200002', '15550200003', '15550200004', '15550200005'];
const PER_CHAT = 100;
const TOTAL = PHONES.length * PER_CHAT;
/** Messages in the event log when the kill lands: some, far from all. */
const KILL_AFTER = 150;
/**
 * The product retries a failed delivery over about 32 h (5 s, 30 s, 2 min, …); the same
 * exponential shape in milliseconds, long enough to outlast this outage.
 */
const RETRY_SCHEDULE_MS = [50, 100, 200, 400, 800, ...Array<number>(400).fill(1_000)];
const WEBHOOKS = webhookTimingEnv({ retryScheduleMs: RETRY_SCHEDULE_MS, pollMs: 200 });
/** Written by each contact right after the restart, while catch-up runs. */
const LATE_PER_CHAT = 5;
/** Upper bounds for a loaded machine, not waits. */
const RECOVERY_TIMEOUT_MS = 120_000;

const chatOf = (phone: string) => `${phone}@c.us`;
const text = (chat: number, n: number) => `crash11 chat ${chat} message ${String(n).padStart(3, '0')}`;

describe('listening through kill -9 of the bridge while messages arrive and the webhook receiver is down', () => {
  const dataDir = tempDataDir('wa-e2e-listen-crash-');
  let bridge: ChildBridge | undefined;
  let receiver: Receiver | undefined;
  afterAll(async () => {
    await bridge?.kill9();
    killAll(processesUsing(dataDir));
    await receiver?.close();
  });

  it(`every one of ${TOTAL} messages is stored once and reaches the receiver at least once, in order per chat`, { timeout: 240_000 }, async () => {
    const started = Date.now();
    const port = await freePort();
    // Nothing listens there yet: every delivery is refused until the receiver comes up.
    const receiverPort = await freePort();
    bridge = await startChildBridge(dataDir, port, WEBHOOKS);
    await bridge.call('/api/auth/start', { method: 'POST' });
    await waitForState(bridge.call, 'qr');
    await bridge.call('/api/simulator/link', { method: 'POST' });
    await waitForState(bridge.call, 'ready');
    const created = await bridge.call('/api/webhooks', { method: 'POST', json: { url: `http://127.0.0.1:${receiverPort}/wa`, events: ['message'] } });
    expect(created.status).toBe(201);
    const webhookId = created.body.webhook.id as string;

    // 1. Five contacts write, each waiting for WhatsApp's answer before the next message; the
    // bridge is killed once it has recorded KILL_AFTER, with a message of each on its way.
    const known: string[][] = PHONES.map(() => []);
    /** Messages whose contact had no answer when the bridge died: in WhatsApp or not, to be seen. */
    const unanswered: { c: number; n: number }[] = [];
    const live = await openSse(`${bridge.url}/api/events?types=message&after=0`, { authorization: `Bearer ${CRASH_TOKEN}` });
    let killed = false;
    const firstBridge = bridge;
    const contactWrites = async (c: number): Promise<void> => {
      for (let n = 0; n < PER_CHAT; n++) {
        let res;
        try {
          res = await firstBridge.call('/api/simulator/incoming', { method: 'POST', json: { phone_number: PHONES[c], message: text(c, n) } });
        } catch (err) {
          if (!killed) throw err;
          unanswered.push({ c, n });
          return;
        }
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        known[c]!.push(res.body.id as string);
        if (killed) return;
      }
    };
    const writing = Promise.all(PHONES.map((_, c) => contactWrites(c)));
    await until(() => live.frames.length >= KILL_AFTER, `${KILL_AFTER} messages in the event log`, 60_000);
    killed = true;
    await bridge.kill9();
    await writing;
    live.close();
    // What the bridge had recorded, as far as its stream reached us before it died.
    const recordedBeforeKill = new Set(live.frames.map((f: SseFrame) => f.data.data.message.id as string));
    // Catch-up looks only at chats recorded before (see src/app/catch-up.ts).
    for (const phone of PHONES) expect(live.frames.some((f) => f.data.chat_id === chatOf(phone)), phone).toBe(true);
    // Its Chromium goes with it (the CDP pipe closed); the restart reuses its profile.
    await until(() => processesUsing(dataDir).length === 0, 'the killed bridge’s Chromium to exit');

    // 2. Most of the rest arrive while nothing runs: WhatsApp's servers keep them for the next
    // session. Interleaved across chats, as they would come in.
    const next = PHONES.map((_, c) => known[c]!.length + unanswered.filter((u) => u.c === c).length);
    const whileDown = PHONES.flatMap((phone, c) => Array.from({ length: PER_CHAT - LATE_PER_CHAT - next[c]! }, (_, k) => ({ c, n: next[c]! + k, from: phone, body: text(c, next[c]! + k) })));
    whileDown.sort((a, b) => a.n - b.n || a.c - b.c);
    const downIds = await deliverAllWhileClosed(path.join(dataDir, 'simulator'), whileDown);
    whileDown.forEach((m, i) => known[m.c]!.push(downIds[i]!));

    // 3. The bridge restarts on the same data dir, the receiver comes back, and the contacts
    // write again as soon as WhatsApp is ready: while catch-up runs.
    bridge = await startChildBridge(dataDir, port, WEBHOOKS);
    receiver = await startReceiver(receiverPort);
    // The moment it is ready (the second ready in the log), not the next poll of /api/status.
    const statuses = await openSse(`${bridge.url}/api/events?types=status&after=0`, { authorization: `Bearer ${CRASH_TOKEN}` });
    await until(() => statuses.frames.filter((f) => f.data.data.state === 'ready').length === 2, 'the restarted bridge ready', 60_000);
    statuses.close();
    const restarted = bridge;
    const lateIds = await Promise.all(
      PHONES.map(async (phone, c) => {
        const ids: string[] = [];
        for (let n = PER_CHAT - LATE_PER_CHAT; n < PER_CHAT; n++) {
          const res = await restarted.call('/api/simulator/incoming', { method: 'POST', json: { phone_number: phone, message: text(c, n) } });
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          ids.push(res.body.id as string);
        }
        known[c]!.push(...ids);
        return ids;
      }),
    );
    const messageIds = (all: Received[]) => new Set(all.filter((r) => r.json?.type === 'message').map((r) => r.json.data.message.id as string));
    const allKnownIn = (all: Received[]) => {
      const seen = messageIds(all);
      return known.every((ids) => ids.every((id) => seen.has(id)));
    };
    await receiver.until(allKnownIn, 'every answered message at the receiver', RECOVERY_TIMEOUT_MS);

    // 4. The unanswered ones: if WhatsApp has them they must be everywhere; if not, their
    // contact sends them again (as a phone does when it got no answer).
    const chats = await Promise.all(PHONES.map(async (phone) => (await wholeChat(restarted.call, chatOf(phone))).filter((m) => m.body.startsWith('crash11 '))));
    const resent: string[] = [];
    for (const u of unanswered) {
      if (chats[u.c]!.some((m) => m.body === text(u.c, u.n))) continue;
      const res = await restarted.call('/api/simulator/incoming', { method: 'POST', json: { phone_number: PHONES[u.c], message: text(u.c, u.n) } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      resent.push(res.body.id as string);
      chats[u.c]!.push({ id: res.body.id as string, body: text(u.c, u.n), from_me: false });
    }
    // Each chat as WhatsApp holds it: every message once, the answered ones in the order sent.
    const order = chats.map((msgs) => msgs.map((m) => m.id));
    for (const [c, phone] of PHONES.entries()) {
      expect(chats[c]!.map((m) => m.body).sort(), phone).toEqual(Array.from({ length: PER_CHAT }, (_, n) => text(c, n)));
      expect(order[c]!.filter((id) => known[c]!.includes(id)), phone).toEqual(known[c]);
    }
    const expected = new Set(order.flat());
    expect(expected.size).toBe(TOTAL);
    await receiver.until((all) => messageIds(all).size >= TOTAL, `all ${TOTAL} messages at the receiver`, RECOVERY_TIMEOUT_MS);
    const recoveredAt = Date.now();

    // At the receiver: each one at least once, nothing else, in the order its chat got them.
    const arrivals = receiver.received.filter((r) => r.json?.type === 'message');
    expect(arrivals.filter((r) => !expected.has(r.json.data.message.id)).map((r) => r.json.data.message.body), 'only the messages that were sent').toEqual([]);
    for (const [c, phone] of PHONES.entries()) {
      const ofChat = arrivals.filter((r) => r.json.chat_id === chatOf(phone));
      const firsts = [...new Set(ofChat.map((r) => r.json.data.message.id as string))];
      expect(firsts.map((id) => order[c]!.indexOf(id)), `${phone}: positions in the chat, in the order they arrived`).toEqual(order[c]!.map((_, i) => i));
      // Each arrival, repeats included, is at or after the newest one before it.
      const positions = ofChat.map((r) => order[c]!.indexOf(r.json.data.message.id));
      expect(positions.every((p, i) => i === 0 || p >= positions[i - 1]!), `${phone}: no arrival goes back in the chat`).toBe(true);
      const times = ofChat.map((r) => r.json.data.message.timestamp as number);
      expect(times.every((t, i) => i === 0 || t >= times[i - 1]!), `${phone}: WhatsApp's timestamps never go back`).toBe(true);
    }
    const duplicates = arrivals.length - TOTAL;
    const backfilled = new Set(arrivals.filter((r) => r.json.backfilled).map((r) => r.json.data.message.id as string));
    // What arrived while the bridge was down was caught up (backfilled); what it had recorded
    // live was not recorded again.
    for (const id of downIds) expect(backfilled.has(id), id).toBe(true);
    for (const id of recordedBeforeKill) expect(backfilled.has(id), `${id} was recorded live`).toBe(false);
    const late = new Set(lateIds.flat());
    const caughtInFlight = [...backfilled].filter((id) => !downIds.includes(id) && !late.has(id) && !resent.includes(id));
    const lateCaughtUp = [...backfilled].filter((id) => late.has(id)).length;

    // In the event log (what SSE replays) once each, in the chat's order; in the store (searchable).
    const log = await openSse(`${bridge.url}/api/events?types=message&after=0`, { authorization: `Bearer ${CRASH_TOKEN}` });
    await until(() => log.frames.length >= TOTAL, 'the event log replayed');
    log.close();
    for (const [c, phone] of PHONES.entries()) {
      expect(log.frames.filter((f) => f.data.chat_id === chatOf(phone)).map((f) => f.data.data.message.id), phone).toEqual(order[c]);
    }
    for (const [c, phone] of PHONES.entries()) {
      const stored = await searchAll(bridge, chatOf(phone));
      expect(stored.sort(), phone).toEqual([...order[c]!].sort());
    }

    // The receiver really was down: deliveries failed and were retried, and none was given up.
    const webhook = (await bridge.call(`/api/webhooks/${webhookId}`)).body.webhook;
    expect(webhook).toMatchObject({ enabled: true });
    const deliveries = await deliveryLog(bridge, webhookId);
    expect(deliveries).toHaveLength(TOTAL);
    expect(deliveries.every((d) => d.status === 'delivered')).toBe(true);
    const retried = deliveries.filter((d) => d.attempts > 1);
    expect(retried.length).toBeGreaterThanOrEqual(PHONES.length);

    console.log(
      `listening crash: ${recordedBeforeKill.size} recorded before kill -9, ${unanswered.length} unanswered (${resent.length} sent again), ` +
        `${caughtInFlight.length} in WhatsApp Web but not recorded when killed, ${downIds.length} while down, ` +
        `${late.size} during catch-up (${lateCaughtUp} found by it); ` +
        `${TOTAL} at the receiver with ${duplicates} duplicate(s); ${retried.length} deliveries retried ` +
        `(max ${Math.max(...deliveries.map((d) => d.attempts))} attempts); all delivered ${((recoveredAt - started) / 1000).toFixed(1)} s after the start`,
    );
  });
});

/** Every stored message id of a chat, through full-text search (the store, not WhatsApp Web). */
async function searchAll(bridge: ChildBridge, chatId: string): Promise<string[]> {
  const ids: string[] = [];
  let before: string | null = null;
  do {
    const res = await bridge.call(`/api/search?q=crash11&chat_id=${encodeURIComponent(chatId)}&limit=100${before ? `&before=${encodeURIComponent(before)}` : ''}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    ids.push(...(res.body.results as { message: { id: string } }[]).map((r) => r.message.id));
    before = res.body.next_before as string | null;
  } while (before);
  return ids;
}

interface DeliveryRow {
  status: string;
  attempts: number;
}

/** The webhook's whole delivery log. */
async function deliveryLog(bridge: ChildBridge, webhookId: string): Promise<DeliveryRow[]> {
  const all: DeliveryRow[] = [];
  let before: string | null = null;
  do {
    const res = await bridge.call(`/api/webhooks/${webhookId}/deliveries?limit=100${before ? `&before=${encodeURIComponent(before)}` : ''}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    all.push(...(res.body.deliveries as DeliveryRow[]));
    before = res.body.next_before as string | null;
  } while (before);
  return all;
}
