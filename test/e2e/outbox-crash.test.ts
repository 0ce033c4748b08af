import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir, until, waitForState } from '../helpers/bridge.js';
import { CRASH_TOKEN, killAll, processesUsing, runDemoUntilExit, sendUntil200, startChildBridge, wholeChat, type ChildBridge, type Delivered } from '../helpers/crash-bridge.js';
import { freePort } from '../helpers/product.js';

/**
 * Issue 10's crash tests, end to end: REST → the outbox → our adapter → the unchanged
 * whatsapp-web.js → Chromium → the WhatsApp Web simulator. The bridge runs as its own process
 * (what `npm run demo` starts) so that it can really be `kill -9`'d; every assertion reads
 * back what WhatsApp holds. A passing run proves our outbox and wiring against the simulator,
 * not WhatsApp's servers.
 */
const CONTACTS = ['15550100001', '15550100002', '15550100003'];
const BURST = 50;
/** Sends answered before the disruption. */
const SETTLED_FIRST = 15;
/** Sends whose clients first call once the disruption has struck (during the outage or the reconnect). */
const LATE = 5;
/** The rest: recorded when it strikes, one in flight per chat, the others queued. */
const CAUGHT = BURST - SETTLED_FIRST - LATE;
/** Upper bounds for a loaded machine, not waits: a burst takes 5-20 s, `npm run demo` may build first (~25 s). */
const BURST_TIMEOUT_MS = 90_000;
const PRODUCT_TIMEOUT_MS = 120_000;

interface OutboxEntry {
  id: string;
  status: string;
  text: string | null;
  message_id: string | null;
  attempts: number;
}

describe('the outbox through crashes (real whatsapp-web.js, Chromium and simulator)', () => {
  const dataDir = tempDataDir('wa-e2e-outbox-crash-');
  let port: number;
  let bridge: ChildBridge;

  beforeAll(async () => {
    port = await freePort();
    bridge = await startChildBridge(dataDir, port);
    await bridge.call('/api/auth/start', { method: 'POST' });
    await waitForState(bridge.call, 'qr');
    await bridge.call('/api/simulator/link', { method: 'POST' });
    await waitForState(bridge.call, 'ready');
  });
  afterAll(async () => {
    await bridge?.kill9();
    killAll(processesUsing(dataDir));
  });

  const outboxEntries = async (): Promise<OutboxEntry[]> => (await bridge.call('/api/outbox?limit=100')).body.entries as OutboxEntry[];

  /**
   * 50 careful clients (sendUntil200) to three contacts. The first 15 are answered; then
   * WhatsApp holds sends, 30 more are recorded (one in flight per chat, the rest queued),
   * `strike` disrupts, the last 5 clients start, and `recover` (if any) brings the bridge
   * back. Resolves with every client's 200 and the entries that were in flight.
   */
  async function burst(
    name: string,
    strike: () => Promise<void>,
    recover: () => Promise<void> = async () => undefined,
  ): Promise<{ delivered: Delivered[]; inFlight: OutboxEntry[]; heldId: string }> {
    const texts = Array.from({ length: BURST }, (_, i) => `${name}: burst message ${i}`);
    const client = (i: number) => sendUntil200(bridge.url, CONTACTS[i % CONTACTS.length]!, texts[i]!, `${name}-${i}`);
    const first = await Promise.all(texts.slice(0, SETTLED_FIRST).map((_, i) => client(i)));

    await bridge.ask('holdSends');
    const caughtTexts = texts.slice(SETTLED_FIRST, SETTLED_FIRST + CAUGHT);
    const caughtClients = caughtTexts.map((_, i) => client(SETTLED_FIRST + i));
    const { id: heldId } = await bridge.ask<{ id: string }>('heldSend');
    let caught: OutboxEntry[] = [];
    await until(async () => {
      caught = (await outboxEntries()).filter((e) => e.text !== null && caughtTexts.includes(e.text));
      return caught.length === CAUGHT && caught.filter((e) => e.status === 'sending').length === CONTACTS.length;
    }, 'every caught send recorded, one in flight per chat');
    expect(caught.filter((e) => e.status === 'queued')).toHaveLength(CAUGHT - CONTACTS.length);

    await strike();
    const lateClients = texts.slice(SETTLED_FIRST + CAUGHT).map((_, i) => client(SETTLED_FIRST + CAUGHT + i));
    await recover();
    const delivered = [...first, ...(await Promise.all([...caughtClients, ...lateClients]))];
    return { delivered, inFlight: caught.filter((e) => e.status === 'sending'), heldId };
  }

  /** Every message of the burst is in its chat exactly once, with the id its client was given. */
  async function expectExactlyOnce(name: string, { delivered, inFlight, heldId }: Awaited<ReturnType<typeof burst>>): Promise<void> {
    expect(delivered).toHaveLength(BURST);
    const chats = await Promise.all(CONTACTS.map(async (phone) => ({ chatId: `${phone}@c.us`, messages: await wholeChat(bridge.call, `${phone}@c.us`) })));
    const ours = chats.flatMap(({ chatId, messages }) => messages.filter((m) => m.from_me && m.body.startsWith(`${name}: `)).map((m) => ({ ...m, chatId })));
    for (const d of delivered) {
      const copies = ours.filter((m) => m.body === d.text);
      expect(
        copies.map((m) => ({ id: m.id, chatId: m.chatId })),
        `${d.text} (answers before the 200: ${d.failures.join(', ') || 'none'})`,
      ).toEqual([{ id: d.answer.message_id, chatId: d.chatId }]);
    }
    expect(ours).toHaveLength(BURST);
    // The sends caught in flight were found in the chat, not sent again.
    expect(delivered.map((d) => d.answer.message_id)).toContain(heldId);
    for (const e of inFlight) {
      const after = (await bridge.call(`/api/outbox/${e.id}`)).body.entry as OutboxEntry;
      expect(after, e.text ?? e.id).toMatchObject({ attempts: 1, message_id: delivered.find((d) => d.text === e.text)!.answer.message_id });
    }
  }

  it(`(a) kill -9 of the bridge mid-burst, restarted on the same data dir and port: all ${BURST} sent exactly once`, async () => {
    const result = await burst(
      'bridge-kill',
      async () => {
        await bridge.kill9();
        // Its Chromium goes with it (the CDP pipe closed); the restart reuses its profile.
        await until(() => processesUsing(dataDir).length === 0, 'the killed bridge’s Chromium to exit');
      },
      async () => {
        bridge = await startChildBridge(dataDir, port);
      },
    );
    await expectExactlyOnce('bridge-kill', result);
    // The clients really were cut off (the caught ones mid-request) and retried through the outage.
    for (const d of result.delivered.slice(SETTLED_FIRST)) expect(d.failures.join(', '), d.text).toMatch(/network: ECONNREFUSED/);
  }, BURST_TIMEOUT_MS);

  it(`(b) kill -9 of Chromium mid-burst, the bridge reconnects by itself: all ${BURST} sent exactly once`, async () => {
    const result = await burst('chromium-kill', async () => {
      const pid = await bridge.ask<number>('browserPid');
      process.kill(pid, 'SIGKILL');
    });
    await expectExactlyOnce('chromium-kill', result);
  }, BURST_TIMEOUT_MS);

  it(`(c) WhatsApp Web relaunches (UNLAUNCHED) mid-burst: all ${BURST} sent exactly once`, async () => {
    const result = await burst('relaunch', async () => {
      const res = await bridge.call('/api/simulator/disconnect', { method: 'POST', json: { state: 'UNLAUNCHED' } });
      expect(res.status).toBe(200);
    });
    await expectExactlyOnce('relaunch', result);
  }, BURST_TIMEOUT_MS);

  const send = (json: unknown, headers: Record<string, string>) =>
    fetch(`${bridge.url}/api/send`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CRASH_TOKEN}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(json),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
  const copiesOf = async (phone: string, text: string) => (await wholeChat(bridge.call, `${phone}@c.us`)).filter((m) => m.body === text);

  it('regression: a send cut off by a dead Chromium in a busy chat (60 messages arrived since) went out twice, as only the newest 50 were searched; now it is found, sent once', async () => {
    const text = 'sent just before a busy minute';
    await bridge.ask('holdSends');
    const answering = send({ phone_number: '15550100002', message: text }, { 'idempotency-key': 'busy-chat' });
    const { id: heldId } = await bridge.ask<{ id: string }>('heldSend');
    for (let i = 0; i < 60; i++) {
      expect((await bridge.call('/api/simulator/incoming', { method: 'POST', json: { phone_number: '15550100002', message: `busy chat chatter ${i}` } })).status).toBe(200);
    }
    process.kill(await bridge.ask<number>('browserPid'), 'SIGKILL');

    const answer = await answering;
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.message_id).toBe(heldId);
    expect(await copiesOf('15550100002', text)).toEqual([expect.objectContaining({ id: heldId })]);
    expect((await bridge.call(`/api/outbox/${answer.body.outbox_id}`)).body.entry).toMatchObject({ attempts: 1, message_id: heldId });
  });

  it('same Idempotency-Key, different request: 409 IDEMPOTENCY_CONFLICT and nothing sent; same request again: the first answer, nothing new in the chat', async () => {
    const key = { 'idempotency-key': 'conflict-after-success' };
    const first = await send({ phone_number: '15550100002', message: 'idempotency: the first request' }, key);
    expect(first.status, JSON.stringify(first.body)).toBe(200);

    const otherText = await send({ phone_number: '15550100002', message: 'idempotency: another text, same key' }, key);
    const otherChat = await send({ phone_number: '15550100003', message: 'idempotency: the first request' }, key);
    for (const refused of [otherText, otherChat]) {
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT', message: expect.stringContaining('conflict-after-success') });
    }
    const again = await send({ phone_number: '15550100002', message: 'idempotency: the first request' }, key);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ message_id: first.body.message_id, outbox_id: first.body.outbox_id });

    expect(await copiesOf('15550100002', 'idempotency: the first request')).toEqual([expect.objectContaining({ id: first.body.message_id })]);
    expect(await copiesOf('15550100002', 'idempotency: another text, same key')).toEqual([]);
    expect(await copiesOf('15550100003', 'idempotency: the first request')).toEqual([]);
  });

  it('a conflicting request while the first is still in flight is refused too, and the first goes out once', async () => {
    const key = { 'idempotency-key': 'conflict-in-flight' };
    await bridge.ask('holdSends');
    const queued = await send({ phone_number: '15550100001', message: 'idempotency: held in flight' }, { ...key, prefer: 'respond-async' });
    expect(queued.status).toBe(202);
    const { id: heldId } = await bridge.ask<{ id: string }>('heldSend');

    const conflict = await send({ phone_number: '15550100001', message: 'idempotency: not this one' }, key);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('IDEMPOTENCY_CONFLICT');

    await bridge.ask('releaseSends');
    const answered = await send({ phone_number: '15550100001', message: 'idempotency: held in flight' }, key);
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ message_id: heldId, outbox_id: queued.body.outbox_id });
    expect(await copiesOf('15550100001', 'idempotency: held in flight')).toEqual([expect.objectContaining({ id: heldId })]);
    expect(await copiesOf('15550100001', 'idempotency: not this one')).toEqual([]);
  });

  it('sends queued while WhatsApp Web relaunches by itself (Prefer: respond-async → 202 queued) go out once it is back, each once; acks reach read', async () => {
    await bridge.call('/api/simulator/disconnect', { method: 'POST', json: { state: 'UNLAUNCHED' } });
    const down = await waitForState(bridge.call, 'disconnected');
    // On its way back by itself (the status says so in words only).
    expect(down.last_error).toMatch(/reconnecting in/);

    const texts = CONTACTS.map((phone) => ({ phone, text: `queued during the relaunch, to ${phone}` }));
    const answers = await Promise.all(texts.map(({ phone, text }) => send({ phone_number: phone, message: text }, { prefer: 'respond-async', 'idempotency-key': `relaunch-${phone}` })));
    for (const a of answers) {
      expect(a.status, JSON.stringify(a.body)).toBe(202);
      expect(a.body).toMatchObject({ status: 'queued', message_id: null, outbox_id: expect.stringMatching(/^ob_/) });
    }

    for (const a of answers) {
      await until(async () => (await bridge.call(`/api/outbox/${a.body.outbox_id}`)).body.entry.status === 'delivered', `${a.body.outbox_id} delivered`);
    }
    // Each contact opens the chat: the receipts move the entries on to read.
    for (const { phone } of texts) await bridge.call('/api/simulator/read', { method: 'POST', json: { phone_number: phone } });
    const entries: OutboxEntry[] = [];
    for (const a of answers) {
      let entry: OutboxEntry | undefined;
      await until(async () => (entry = (await bridge.call(`/api/outbox/${a.body.outbox_id}`)).body.entry as OutboxEntry).status === 'read', `${a.body.outbox_id} read`);
      entries.push(entry!);
    }
    for (const [i, { phone, text }] of texts.entries()) {
      expect(entries[i]).toMatchObject({ attempts: 1, text });
      expect(await copiesOf(phone, text)).toEqual([expect.objectContaining({ id: entries[i]!.message_id })]);
    }
  });

  it('a second bridge on the same data dir stops at once and says so (STORE_LOCKED), leaving the running one alone', async () => {
    const second = await runDemoUntilExit({ WHATSAPP_DATA_DIR: dataDir });
    expect(second.code, second.output).toBe(1);
    expect(second.output).toContain(`The bridge did not start (STORE_LOCKED). ${path.join(dataDir, 'whatsapp.db')} is in use by another running bridge`);
    expect(second.output).not.toMatch(/Fatal:|\n\s+at /);
    expect((await bridge.call('/api/status')).body.state).toBe('ready');
  }, PRODUCT_TIMEOUT_MS);
});

describe('a damaged store', () => {
  it('npm run demo with garbage in <dataDir>/whatsapp.db exits 1 once, naming the file and what to do (no stack trace), and leaves the file as it was', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'wa-e2e-corrupt-'));
    const file = path.join(dataDir, 'whatsapp.db');
    const garbage = Buffer.from('This is not a SQLite database, just some bytes a broken disk left behind.\n'.repeat(100));
    writeFileSync(file, garbage);

    const run = await runDemoUntilExit({ WHATSAPP_DATA_DIR: dataDir });
    expect(run.code, run.output).toBe(1);
    expect(run.output).toContain(`The bridge did not start (STORE_CORRUPT). The local store ${file} is damaged (file is not a database).`);
    expect(run.output).toContain(`move ${file} and any ${file}-wal and ${file}-shm beside it to another folder, then start again`);
    expect(run.output.match(/is damaged/g)).toHaveLength(1);
    expect(run.output).not.toMatch(/Fatal:|\n\s+at /);
    expect(readFileSync(file)).toEqual(garbage);
  }, PRODUCT_TIMEOUT_MS);
});
