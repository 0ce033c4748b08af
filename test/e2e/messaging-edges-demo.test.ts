import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../../src/bridge.js';
import { SimulatorControl } from '../../src/whatsapp/simulator/index.js';
import { recordStates, startDemoBridge, tempDataDir, until, waitForState, type Caller } from '../helpers/bridge.js';

/**
 * Issue 9 end to end, through REST → our adapter → the unchanged whatsapp-web.js →
 * Chromium → the WhatsApp Web simulator: the edges of messaging (requests racing each
 * other, chats that do not exist yet). Assertions read back what WhatsApp holds.
 */
const BOB = '15550100002@c.us';

type Bridged = Bridge & { call: Caller };

async function linkedDemoBridge(): Promise<Bridged> {
  const bridge = await startDemoBridge(tempDataDir('wa-e2e-edges-'));
  await bridge.call('/api/auth/start', { method: 'POST' });
  await waitForState(bridge.call, 'qr');
  await bridge.call('/api/simulator/link', { method: 'POST' });
  await waitForState(bridge.call, 'ready');
  return bridge;
}

function simulator(bridge: Bridged): SimulatorControl {
  const page = bridge.session.page;
  if (!page) throw new Error('the bridge has no WhatsApp page');
  return new SimulatorControl(page);
}

describe('messaging edges against the simulator', () => {
  let bridge: Bridged;
  let sim: SimulatorControl;
  const post = (p: string, json: unknown) => bridge.call(p, { method: 'POST', json });

  beforeAll(async () => {
    bridge = await linkedDemoBridge();
    sim = simulator(bridge);
  });
  afterAll(async () => {
    await bridge?.stop();
  });

  it('regression: three parallel deletes of one message answered 200, 500 (Cmd.sendDeleteMsgs is not a function) and 409', async () => {
    const { body } = await post('/api/send', { phone_number: '15550100002', message: 'Deleted three times at once' });
    const answers = await Promise.all([1, 2, 3].map(() => bridge.call(`/api/messages/${body.message_id}`, { method: 'DELETE' })));

    expect(answers.map((a) => a.status).sort()).toEqual([200, 410, 410]);
    for (const refused of answers.filter((a) => a.status !== 200)) {
      expect(refused.body.error).toMatchObject({ code: 'MESSAGE_ALREADY_DELETED', message: expect.stringMatching(/already deleted/) });
    }
    // Deleted for everyone, and still shown to us as deleted: never quietly deleted "for me".
    expect(await sim.message(body.message_id)).toMatchObject({ type: 'revoked', revoked: 'sender' });
    const chat = await bridge.call(`/api/chats/${BOB}/messages?limit=1`);
    expect(chat.body.messages[0]).toMatchObject({ id: body.message_id, type: 'revoked' });
  });

  it('a message deleted for everyone before cannot be deleted again: 410 MESSAGE_ALREADY_DELETED', async () => {
    const { body } = await post('/api/send', { phone_number: '15550100002', message: 'Deleted twice in a row' });
    expect((await bridge.call(`/api/messages/${body.message_id}`, { method: 'DELETE' })).status).toBe(200);
    const again = await bridge.call(`/api/messages/${body.message_id}`, { method: 'DELETE' });
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe('MESSAGE_ALREADY_DELETED');
  });

  it('regression: forwarding to a number without a chat answered 404 "Send it a message first"', async () => {
    const [bobs] = (await sim.messages(BOB, 30)).filter((m) => !m.fromMe && m.type === 'chat');
    const fresh = '15550107777';
    await expect(sim.messages(`${fresh}@c.us`)).rejects.toThrow(/no chat/);

    const res = await post(`/api/messages/${bobs!.id}/forward`, { phone_number: fresh });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ ok: true, to: fresh, chat_id: `${fresh}@c.us` });
    expect(await sim.messages(`${fresh}@c.us`)).toEqual([
      expect.objectContaining({ id: res.body.message_id, chatId: `${fresh}@c.us`, fromMe: true, body: bobs!.body, forwarded: true }),
    ]);
  });

  it('forwarding to a number that is not on WhatsApp fails like a text send to it, and creates nothing', async () => {
    const [bobs] = (await sim.messages(BOB, 30)).filter((m) => !m.fromMe && m.type === 'chat');
    const nobody = '15550108888';
    await sim.setUnregisteredNumbers([nobody]);
    const text = await post('/api/send', { phone_number: nobody, message: 'hello?' });
    const forward = await post(`/api/messages/${bobs!.id}/forward`, { phone_number: nobody });

    expect(text.status).toBe(404);
    expect(forward.status).toBe(text.status);
    expect(forward.body.error).toEqual(text.body.error);
    await expect(sim.messages(`${nobody}@c.us`)).rejects.toThrow(/no chat/);
  });
});

describe('the browser dies while a send is in flight', () => {
  let bridge: Bridged;
  const post = (p: string, json: unknown) => bridge.call(p, { method: 'POST', json });

  beforeAll(async () => {
    bridge = await linkedDemoBridge();
  });
  afterAll(async () => {
    await bridge?.stop();
  });

  /**
   * Starts `request` while WhatsApp holds sends, kills Chromium (SIGKILL) once WhatsApp has
   * the message but before the page has answered, and waits until the bridge is back.
   */
  async function killedMidSend(request: () => ReturnType<Caller>): Promise<{ answer: Awaited<ReturnType<Caller>>; heldId: string }> {
    const sim = simulator(bridge);
    await sim.holdSends();
    const answering = request();
    const { id } = await sim.heldSend();
    const seen = recordStates(bridge.session);
    bridge.session.page!.browser().process()!.kill('SIGKILL');
    const answer = await answering;
    await until(() => seen.includes('disconnected') && seen.at(-1) === 'ready', 'the bridge back to ready');
    return { answer, heldId: id };
  }

  it('regression: a send answered 502 WA_SEND_FAILED after the browser was killed mid-send was in fact delivered; now the outbox finds it in the chat and answers 200 with its id, sent once', async () => {
    const message = 'On its way when the browser died';
    const { answer, heldId } = await killedMidSend(() => post('/api/send', { phone_number: '15550100004', message }));

    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({ message_id: heldId, status: 'sent' });
    expect(await simulator(bridge).message(heldId)).toMatchObject({ body: message, fromMe: true });
    const chat = await bridge.call('/api/chats/15550100004@c.us/messages?limit=10');
    expect(chat.body.messages.filter((m: { body: string }) => m.body === message)).toHaveLength(1);
    const entry = (await bridge.call(`/api/outbox/${answer.body.outbox_id}`)).body.entry;
    expect(entry).toMatchObject({ status: 'sent', message_id: heldId, attempts: 1 });
  });

  it('a forward cut off the same way is found in the chat too: forwarded once', async () => {
    const [davids] = (await simulator(bridge).messages('15550100004@c.us', 30)).filter((m) => !m.fromMe && m.type === 'chat');
    const { answer, heldId } = await killedMidSend(() => post(`/api/messages/${davids!.id}/forward`, { phone_number: '15550100001' }));

    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({ message_id: heldId, status: 'sent' });
    expect(await simulator(bridge).message(heldId)).toMatchObject({ chatId: '15550100001@c.us', body: davids!.body, forwarded: true });
    const copies = (await simulator(bridge).messages('15550100001@c.us', 30)).filter((m) => m.fromMe && m.body === davids!.body);
    expect(copies).toHaveLength(1);
  });
});
