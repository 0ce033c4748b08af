import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSession, incomingEvent, ME } from '../helpers/fake-session.js';
import { startTestServer, TOKEN, type TestServer } from '../helpers/http.js';
import { openSse } from '../helpers/sse.js';

const ALICE = '15550100001@c.us';

/** An SSE client on the test server, with the token. */
async function sse(url: string, headers: Record<string, string> = {}) {
  const stream = await openSse(url, { authorization: `Bearer ${TOKEN}`, ...headers });
  expect(stream.status).toBe(200);
  expect(stream.contentType).toMatch(/^text\/event-stream/);
  return stream;
}

let srv: TestServer;
let session: FakeSession;
beforeEach(async () => {
  session = new FakeSession();
  session.link(ME);
  srv = await startTestServer({ session });
});
afterEach(() => srv.close());

describe('GET /api/events (server-sent events from the event log)', () => {
  it('pushes an incoming message as it is recorded, with a cursor id; the message is stored', async () => {
    const stream = await sse(`${srv.url}/api/events`);
    session.emit('event', incomingEvent(ALICE, 'A1', 'Hello from Alice'));
    const [frame] = await stream.next(1);
    stream.close();
    expect(frame!.event).toBe('message');
    expect(Number(frame!.id)).toBe(frame!.data.cursor);
    expect(frame!.data).toMatchObject({ type: 'message', chat_id: ALICE, backfilled: false, data: { message: { body: 'Hello from Alice' } } });
    expect(frame!.data.id).toMatch(/^ev_/);
  });

  it('regression: a backlog of several MiB is replayed whole at the pace the client reads, not answered with "dropped"', async () => {
    // 4,000 events of about 1.3 KB: over 5 MiB, which the stream once queued in one go and then dropped even a fast client for.
    const body = 'x'.repeat(1000);
    for (let i = 0; i < 4000; i++) session.emit('event', incomingEvent(ALICE, `R${i}`, `${i} ${body}`));
    const stream = await sse(`${srv.url}/api/events?after=0&types=message`);
    const frames = await stream.next(4000);
    stream.close();
    expect(frames.some((f) => f.event === 'dropped')).toBe(false);
    expect(frames.map((f) => f.data.data.message.body.split(' ')[0])).toEqual(Array.from({ length: 4000 }, (_, i) => String(i)));
  });

  it('replays what a client missed after Last-Event-ID, then follows live, without repeats', async () => {
    const first = await sse(`${srv.url}/api/events`);
    session.emit('event', incomingEvent(ALICE, 'B1', 'one'));
    session.emit('event', incomingEvent(ALICE, 'B2', 'two'));
    const [one] = await first.next(1);
    first.close();
    const again = await sse(`${srv.url}/api/events`, { 'last-event-id': one!.id });
    session.emit('event', incomingEvent(ALICE, 'B3', 'three'));
    const frames = await again.next(2);
    again.close();
    expect(frames.map((f) => f.data.data.message.body)).toEqual(['two', 'three']);
  });

  it('filters by type and chat; the bridge status changes are events too', async () => {
    const stream = await sse(`${srv.url}/api/events?types=status&after=0`);
    session.set('disconnected', { reconnecting: true, lastError: 'network dropped' });
    session.emit('event', incomingEvent(ALICE, 'C1', 'not a status'));
    session.link(ME);
    const frames = await stream.next(3);
    stream.close();
    expect(frames.map((f) => f.data.data.state)).toEqual(['disconnected', 'authenticated', 'ready']);
    expect(frames.every((f) => f.event === 'status')).toBe(true);
  });

  it('refuses unknown types and a malformed Last-Event-ID with 400', async () => {
    expect((await srv.call('/api/events?types=message,presence')).body.error).toMatchObject({ code: 'VALIDATION_ERROR', fields: ['types'] });
    expect((await srv.call('/api/events', { headers: { 'last-event-id': 'abc' } })).status).toBe(400);
  });
});
