import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServices } from '../../src/app/index.js';
import { silentLogger } from '../../src/core/logger.js';
import { createMediaSpool, openStore, STORE_FILE } from '../../src/store/index.js';
import type { WaEvent } from '../../src/shared/events.js';
import { WEBHOOK_SECRET } from '../../src/store/ids.js';
import { FakeSession, incomingEvent, ME } from '../helpers/fake-session.js';
import { startTestServer, type TestServer, type TestServerOptions } from '../helpers/http.js';
import { eventually, startReceiver, verifySignature, type Receiver } from '../helpers/webhook-receiver.js';

const ALICE = '15550100001@c.us';
const BOB = '15550100002@c.us';

function reaction(chat: string, messageId: string): WaEvent {
  return { type: 'message_reaction', chat_id: chat, timestamp: Math.floor(Date.now() / 1000), message_id: messageId, sender: chat, sender_phone: chat, sender_lid: null, emoji: '👍' };
}

let srv: TestServer | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await srv?.close();
  await receiver?.close();
  srv = receiver = undefined;
});

/** A bridge (fake session, linked) and a real receiver; short retries unless told otherwise. */
async function setup(webhooks: TestServerOptions['webhooks'] = { retryScheduleMs: [20, 20, 20, 20], pollMs: 50 }) {
  const session = new FakeSession();
  session.link(ME);
  srv = await startTestServer({ session, webhooks });
  receiver = await startReceiver();
  return { srv, session, receiver };
}

async function addWebhook(s: TestServer, json: Record<string, unknown>): Promise<{ id: string; secret: string }> {
  const res = await s.call('/api/webhooks', { method: 'POST', json });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.webhook;
}

const bodies = (received: { json: any }[]) => received.map((r) => r.json?.data?.message?.body);

describe('webhooks: CRUD', () => {
  it('creates a webhook and shows its secret once; lists, reads, updates and deletes it', async () => {
    const { srv, receiver } = await setup();
    const created = await srv.call('/api/webhooks', { method: 'POST', json: { url: `${receiver.url}/hook`, events: ['message', 'status'], chat_id: ALICE } });
    expect(created.status).toBe(201);
    const hook = created.body.webhook;
    expect(hook).toMatchObject({ url: `${receiver.url}/hook`, events: ['message', 'status'], chat_id: ALICE, enabled: true, disabled_reason: null, failure_count: 0 });
    expect(hook.id).toMatch(/^wh_/);
    expect(hook.secret).toMatch(WEBHOOK_SECRET);

    const list = await srv.call('/api/webhooks');
    expect(list.body).toMatchObject({ ok: true, count: 1 });
    expect(list.body.webhooks[0].id).toBe(hook.id);
    const one = await srv.call(`/api/webhooks/${hook.id}`);
    expect(one.body.webhook.url).toBe(hook.url);
    expect(JSON.stringify(list.body) + JSON.stringify(one.body)).not.toContain(hook.secret);
    expect('secret' in one.body.webhook).toBe(false);

    const all = await addWebhook(srv, { url: receiver.url });
    expect((await srv.call(`/api/webhooks/${all.id}`)).body.webhook).toMatchObject({ events: null, chat_id: null });

    const paused = await srv.call(`/api/webhooks/${hook.id}`, { method: 'PATCH', json: { enabled: false, events: ['message_reaction'], chat_id: null } });
    expect(paused.status).toBe(200);
    expect(paused.body.webhook).toMatchObject({ enabled: false, events: ['message_reaction'], chat_id: null });
    expect(paused.body.webhook.disabled_reason).toMatch(/request/);
    const resumed = await srv.call(`/api/webhooks/${hook.id}`, { method: 'PATCH', json: { enabled: true } });
    expect(resumed.body.webhook).toMatchObject({ enabled: true, disabled_reason: null });

    expect((await srv.call(`/api/webhooks/${hook.id}`, { method: 'DELETE' })).body).toEqual({ ok: true });
    const gone = await srv.call(`/api/webhooks/${hook.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('WEBHOOK_NOT_FOUND');
    expect((await srv.call(`/api/webhooks/${hook.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await srv.call('/api/webhooks/wh_00000000000000000000000000/deliveries')).body.error.code).toBe('WEBHOOK_NOT_FOUND');
    expect((await srv.call('/api/webhooks/nope')).status).toBe(400);
  });

  it('refuses a URL that is not http(s), one with credentials, and unknown event types (400)', async () => {
    const { srv } = await setup();
    for (const url of ['ftp://example.com/hook', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url', 'https://user:pw@example.com/hook', 'ws://127.0.0.1/hook']) {
      const res = await srv.call('/api/webhooks', { method: 'POST', json: { url } });
      expect(res.status, url).toBe(400);
      expect(res.body.error, url).toMatchObject({ code: 'VALIDATION_ERROR', fields: ['url'] });
    }
    const types = await srv.call('/api/webhooks', { method: 'POST', json: { url: 'https://example.com/hook', events: ['message', 'presence'] } });
    expect(types.status).toBe(400);
    expect(types.body.error.code).toBe('VALIDATION_ERROR');
    expect((await srv.call('/api/webhooks', { method: 'POST', json: { url: 'https://example.com/hook', events: [] } })).status).toBe(400);
    const hook = await addWebhook(srv, { url: 'https://example.com/hook' });
    expect((await srv.call(`/api/webhooks/${hook.id}`, { method: 'PATCH', json: { url: 'gopher://example.com' } })).status).toBe(400);
    expect((await srv.call(`/api/webhooks/${hook.id}`)).body.webhook.url).toBe('https://example.com/hook');
    expect((await srv.call('/api/webhooks')).body.count).toBe(1);
  });
});

describe('webhooks: delivery', () => {
  it('an incoming message reaches the receiver signed; a retry after a 500 carries the same webhook-id', async () => {
    const { srv, session, receiver } = await setup();
    const hook = await addWebhook(srv, { url: `${receiver.url}/in` });
    receiver.respond = (_r, n) => ({ status: n === 0 ? 500 : 200 });
    session.emit('event', incomingEvent(ALICE, 'R1', 'Hello, webhook'));

    const [first, retry] = await receiver.until((r) => r.length >= 2, 'the attempt and its retry');
    for (const r of [first!, retry!]) {
      expect(verifySignature(hook.secret, r.headers, r.body)).toBe(true);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['user-agent']).toMatch(/WhatsApp-MCP-Desktop/);
      expect(Math.abs(Number(r.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
    }
    expect(first!.headers['webhook-id']).toMatch(/^msg_/);
    expect(retry!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    expect(retry!.body).toBe(first!.body);
    expect(first!.json).toMatchObject({ type: 'message', chat_id: ALICE, backfilled: false, data: { type: 'message', message: { body: 'Hello, webhook' } } });
    expect(first!.json.id).toMatch(/^ev_/);
    // The body is the event as the event log (and SSE) has it.
    const [logged] = srv.services.events.after(0, { types: ['message'], limit: 1 });
    expect(first!.json).toEqual(JSON.parse(JSON.stringify(logged)));
    expect(verifySignature(hook.secret.replace(/.{4}$/, 'AAA='), first!.headers, first!.body)).toBe(false);

    const log = await eventually(async () => {
      const d = (await srv.call(`/api/webhooks/${hook.id}/deliveries`)).body.deliveries[0];
      return d?.status === 'delivered' && d;
    }, 'the delivery to be marked delivered');
    expect(log).toMatchObject({ id: first!.headers['webhook-id'], attempts: 2, last_status_code: 200, last_error: null, chat_id: ALICE, event_cursor: first!.json.cursor });
  });

  it('a webhook receives only its chat and its event types', async () => {
    const { srv, session, receiver } = await setup();
    const aliceOnly = await addWebhook(srv, { url: `${receiver.url}/alice`, chat_id: ALICE });
    const reactionsOnly = await addWebhook(srv, { url: `${receiver.url}/reactions`, events: ['message_reaction'] });
    await addWebhook(srv, { url: `${receiver.url}/all` });
    session.emit('event', incomingEvent(BOB, 'F1', 'from Bob'));
    session.emit('event', incomingEvent(ALICE, 'F2', 'from Alice'));
    session.emit('event', reaction(BOB, `false_${BOB}_F1`));

    const at = (path: string) => receiver.received.filter((r) => r.path === path);
    await receiver.until(() => at('/all').length === 3 && at('/alice').length === 1 && at('/reactions').length === 1, 'every receiver to get its events');
    expect(at('/all').map((r) => r.json.type)).toEqual(['message', 'message', 'message_reaction']);
    expect(at('/alice')[0]!.json).toMatchObject({ type: 'message', chat_id: ALICE, data: { message: { body: 'from Alice' } } });
    expect(at('/reactions')[0]!.json).toMatchObject({ type: 'message_reaction', chat_id: BOB });
    // What each webhook will ever get for these events is queued when they are recorded: nothing more is on its way.
    expect((await srv.call(`/api/webhooks/${aliceOnly.id}/deliveries`)).body.count).toBe(1);
    expect((await srv.call(`/api/webhooks/${reactionsOnly.id}/deliveries`)).body.count).toBe(1);
  });

  it('keeps the order of a chat: a failed delivery holds back the later ones of its chat until it goes through', async () => {
    const { srv, session, receiver } = await setup();
    await addWebhook(srv, { url: `${receiver.url}/ordered`, chat_id: ALICE });
    receiver.respond = (_r, n) => ({ status: n === 0 ? 503 : 200 });
    for (let i = 1; i <= 6; i++) session.emit('event', incomingEvent(ALICE, `O${i}`, `m${i}`));
    const received = await receiver.until((r) => r.length >= 7, 'six messages and one retry');
    expect(bodies(received)).toEqual(['m1', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    expect(new Set(received.map((r) => r.headers['webhook-id'])).size).toBe(6);
  });

  it('does not follow a redirect: a 3xx is a failed attempt', async () => {
    const { srv, session, receiver } = await setup({ retryScheduleMs: [60_000], pollMs: 50 });
    const hook = await addWebhook(srv, { url: `${receiver.url}/moved` });
    receiver.respond = (r) => (r.path === '/moved' ? { status: 302, headers: { location: `${receiver!.url}/elsewhere` } } : { status: 200 });
    session.emit('event', incomingEvent(ALICE, 'X1', 'redirect me'));
    await receiver.until((r) => r.length >= 1, 'the attempt');
    const d = await eventually(async () => {
      const first = (await srv.call(`/api/webhooks/${hook.id}/deliveries`)).body.deliveries[0];
      return first?.status === 'failed' && first;
    }, 'the delivery to be marked failed');
    expect(d).toMatchObject({ attempts: 1, last_status_code: 302 });
    expect(d.last_error).toMatch(/redirect/);
    expect(receiver.received.map((r) => r.path)).toEqual(['/moved']);
    expect(Date.parse(d.next_attempt_at) - Date.now()).toBeGreaterThan(30_000);
  });

  it('sends a signed webhook.test on request and answers what the receiver said', async () => {
    const { srv, receiver } = await setup();
    const hook = await addWebhook(srv, { url: `${receiver.url}/test` });
    const ok = await srv.call(`/api/webhooks/${hook.id}/test`, { method: 'POST' });
    expect(ok.body).toEqual({ ok: true, delivered: true, status_code: 200, error: null });
    const [r] = receiver.received;
    expect(r!.json).toMatchObject({ type: 'webhook.test', data: { webhook_id: hook.id } });
    expect(verifySignature(hook.secret, r!.headers, r!.body)).toBe(true);

    receiver.respond = () => ({ status: 503 });
    expect((await srv.call(`/api/webhooks/${hook.id}/test`, { method: 'POST' })).body).toMatchObject({ delivered: false, status_code: 503, error: expect.stringMatching(/503/) });
    const gone = await startReceiver();
    await gone.close();
    await srv.call(`/api/webhooks/${hook.id}`, { method: 'PATCH', json: { url: `${gone.url}/test` } });
    const down = await srv.call(`/api/webhooks/${hook.id}/test`, { method: 'POST' });
    expect(down.body).toMatchObject({ delivered: false, status_code: null });
    expect(down.body.error).toBeTruthy();
    // Out of band: the test sends are not in the delivery log.
    expect((await srv.call(`/api/webhooks/${hook.id}/deliveries`)).body.count).toBe(0);
  });

  it('disables a webhook with a visible reason once a delivery has used up its retries; enabling resumes', async () => {
    const { srv, session, receiver } = await setup({ retryScheduleMs: [10, 10], pollMs: 50 });
    const hook = await addWebhook(srv, { url: `${receiver.url}/down` });
    receiver.respond = () => ({ status: 500 });
    session.emit('event', incomingEvent(ALICE, 'D1', 'never arrives'));
    await receiver.until((r) => r.length >= 3, 'three attempts');
    const disabled = await eventually(async () => {
      const w = (await srv.call(`/api/webhooks/${hook.id}`)).body.webhook;
      return !w.enabled && w;
    }, 'the webhook to be disabled');
    expect(disabled.disabled_reason).toMatch(/failed 3 times/);
    expect(disabled.disabled_reason).toMatch(/500/);
    const [d] = (await srv.call(`/api/webhooks/${hook.id}/deliveries`)).body.deliveries;
    expect(d).toMatchObject({ status: 'abandoned', attempts: 3, last_status_code: 500 });
    expect(receiver.received).toHaveLength(3);

    receiver.respond = () => ({ status: 200 });
    const enabled = await srv.call(`/api/webhooks/${hook.id}`, { method: 'PATCH', json: { enabled: true } });
    expect(enabled.body.webhook).toMatchObject({ enabled: true, disabled_reason: null, failure_count: 0 });
    session.emit('event', incomingEvent(ALICE, 'D2', 'after the fix'));
    await receiver.until((r) => r.length >= 4, 'the next event');
    expect(bodies(receiver.received).at(-1)).toBe('after the fix');
  });

  it('deliveries queued before a restart go out after it (they are persisted)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'wa-hooks-restart-'));
    const log = silentLogger();
    const session = new FakeSession();
    const open = () => {
      const store = openStore({ file: path.join(dir, STORE_FILE), log });
      const services = createServices({ session, store, spool: createMediaSpool(dir), log, pace: { perMinute: 6000, burst: 10_000 }, mediaDirs: [], webhooks: { pollMs: 50 } });
      return { store, services };
    };
    receiver = await startReceiver();
    try {
      // Recorded while no dispatcher runs: as if the bridge stopped right after recording it.
      const before = open();
      const hook = await before.services.webhooks.create({ url: `${receiver.url}/later` });
      before.services.events.recordWa(incomingEvent(ALICE, 'P1', 'recorded before the restart'), false);
      before.services.close();
      before.store.close();
      expect(receiver.received).toHaveLength(0);

      const after = open();
      await after.services.start();
      try {
        const [r] = await receiver.until((all) => all.length >= 1, 'the delivery after the restart');
        expect(verifySignature(hook.secret, r!.headers, r!.body)).toBe(true);
        expect(bodies([r!])).toEqual(['recorded before the restart']);
      } finally {
        after.services.close();
        after.store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Since WhatsApp moved people to LIDs, one person may have two chats in WhatsApp Web (the
 * phone-number chat and the LID chat): a webhook's chat_id follows both, as SSE's does.
 */
describe("webhooks: a chat filter follows both of a person's chats", () => {
  const HANA = '15550100008@c.us';
  const HANA_LID = '185000000000008@lid';
  const fromHanaIn = (chat: string, id: string, body: string): WaEvent => {
    const e = incomingEvent(chat, id, body);
    return e.type === 'message' ? { ...e, message: { ...e.message, sender_phone: HANA, sender_lid: HANA_LID } } : e;
  };
  /** Once the events are recorded, what each webhook will get is queued (the store enqueues with the record). */
  const recorded = (s: TestServer, n: number) => eventually(async () => s.services.events.after(0, { types: ['message'], limit: 100 }).length >= n, `${n} messages recorded`);

  it('chat_id = her phone-number id gets her messages in her LID chat too, and nobody else’s', async () => {
    const { srv, session, receiver } = await setup();
    session.lids.set(HANA, HANA_LID);
    const hana = await addWebhook(srv, { url: `${receiver.url}/hana`, chat_id: HANA });
    expect((await srv.call(`/api/webhooks/${hana.id}`)).body.webhook).toMatchObject({ chat_id: HANA, chat_ids: [HANA, HANA_LID] });
    const byLid = await addWebhook(srv, { url: `${receiver.url}/by-lid`, chat_id: HANA_LID });
    session.emit('event', fromHanaIn(HANA_LID, 'L1', 'The class moved to Wednesday'));
    session.emit('event', incomingEvent(ALICE, 'A1', 'not Hana'));
    session.emit('event', fromHanaIn(HANA, 'P1', 'in the old chat'));
    await recorded(srv, 3);
    const at = (path: string) => receiver.received.filter((r) => r.path === path);
    await receiver.until(() => at('/hana').length === 2 && at('/by-lid').length === 2, 'both webhooks to get both of her messages');
    expect(at('/hana').map((r) => [r.json.chat_id, r.json.data.message.body])).toEqual([
      [HANA_LID, 'The class moved to Wednesday'],
      [HANA, 'in the old chat'],
    ]);
    expect(bodies(at('/by-lid'))).toEqual(['The class moved to Wednesday', 'in the old chat']);
    for (const id of [hana.id, byLid.id]) expect((await srv.call(`/api/webhooks/${id}/deliveries`)).body.count).toBe(2);
  });

  it('a filter set before WhatsApp knew her LID (not linked yet) follows it once WhatsApp is ready', async () => {
    const session = new FakeSession();
    session.lids.set(HANA, HANA_LID);
    srv = await startTestServer({ session, webhooks: { pollMs: 50 } });
    receiver = await startReceiver();
    const hook = await addWebhook(srv, { url: `${receiver.url}/hana`, chat_id: HANA });
    expect((await srv.call(`/api/webhooks/${hook.id}`)).body.webhook.chat_ids).toEqual([HANA]);
    session.link(ME);
    // Events that arrive meanwhile wait for the lookup (they are held with the catch-up).
    session.emit('event', fromHanaIn(HANA_LID, 'L2', 'Bring an apron'));
    const s = srv;
    await eventually(async () => ((await s.call(`/api/webhooks/${hook.id}`)).body.webhook.chat_ids as string[]).includes(HANA_LID), 'the filter to learn her LID');
    await recorded(s, 1);
    const [r] = await receiver.until((all) => all.length >= 1, 'her LID chat message');
    expect(r!.json).toMatchObject({ chat_id: HANA_LID, data: { message: { body: 'Bring an apron' } } });
    expect((await s.call(`/api/webhooks/${hook.id}`)).body.webhook.chat_ids).toEqual([HANA, HANA_LID]);
  });
});
