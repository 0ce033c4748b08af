import { statSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../../src/bridge.js';
import { desktopHandlers } from '../../src/main/desktop-actions.js';
import { SimulatorControl } from '../../src/whatsapp/simulator/index.js';
import { startDemoBridge, tempDataDir, waitForState, type Caller } from '../helpers/bridge.js';
import { b64, OGG_OPUS, PNG } from '../helpers/media-fixtures.js';

/**
 * Issue 9, defects 2, 9 and 10 against the real simulator in Chromium: the demo controls
 * answer bad input and impossible actions with a 400 / 409 and a stable code (never a 502
 * WA_ERROR), and refused input never reaches the simulated WhatsApp.
 */
const ALICE = '15550100001@c.us';
const ME = '15550100100'; // the simulator's default phone

describe('simulator controls: bad input is a 400, an impossible action a 409', () => {
  const dataDir = path.join(tempDataDir('wa-e2e-controls-'), 'data');
  let bridge: Bridge & { call: Caller };
  let sim: SimulatorControl;
  const post = (p: string, json?: unknown) => bridge.call(p, { method: 'POST', ...(json === undefined ? {} : { json }) });
  const media = (fields: Record<string, unknown>) => post('/api/simulator/incoming-media', { phone_number: '15550100001', data: b64(PNG), mimetype: 'image/png', ...fields });

  /** What the simulated WhatsApp holds: how many chats, and the newest message with Alice. */
  const whatWhatsAppHolds = async () => ({ chats: (await sim.snapshot()).accountChats, newest: (await sim.messages(ALICE, 1))[0]?.id });

  beforeAll(async () => {
    bridge = await startDemoBridge(dataDir);
  });
  afterAll(async () => {
    await bridge?.stop();
  });

  it.skipIf(process.platform === 'win32')('regression: the demo data dir was created with mode 0755 (npm run demo into a new dir)', () => {
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dataDir, 'simulator')).mode & 0o777).toBe(0o700);
  });

  it('before WhatsApp is started, link and incoming are a 409 WA_NOT_STARTED', async () => {
    for (const res of [await post('/api/simulator/link'), await post('/api/simulator/incoming', { phone_number: '15550100001', message: 'Hi' })]) {
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('WA_NOT_STARTED');
    }
  });

  it('regression: /api/simulator/incoming before any phone was linked answered 502 WA_ERROR', async () => {
    await post('/api/auth/start');
    await waitForState(bridge.call, 'qr');
    const res = await post('/api/simulator/incoming', { phone_number: '15550100001', message: 'Too early' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('WA_NOT_LINKED');
    expect(res.body.error.message).toMatch(/link it first/);
  });

  it('the phone links', async () => {
    expect((await post('/api/simulator/link')).body).toEqual({ ok: true });
    await waitForState(bridge.call, 'ready');
    sim = new SimulatorControl(bridge.session.page!);
  });

  it('regression: /api/simulator/link when already linked answered 502 WA_ERROR', async () => {
    const res = await post('/api/simulator/link');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('WA_ALREADY_LINKED');
    expect(res.body.error.message).toMatch(new RegExp(`already linked \\(${ME}@c\\.us\\)`));
    expect((await bridge.call('/api/status')).body).toMatchObject({ state: 'ready', account: { wid: `${ME}@c.us` } });
  });

  it('regression: the window\'s "link the simulated phone" when already linked failed with WA_ERROR', async () => {
    const handlers = desktopHandlers({
      linking: bridge.services.linking,
      url: bridge.url,
      token: bridge.token,
      stdio: { command: process.execPath, args: ['mcp-stdio.js'] },
      linkSimulatedPhone: () => bridge.demo!.linkPhone(),
      writeClipboard: () => undefined,
    });
    await expect(handlers['demo:link'](undefined)).rejects.toMatchObject({ code: 'WA_ALREADY_LINKED' });
  });

  it('regression: /api/simulator/incoming-media with a bad phone number answered 502 WA_ERROR', async () => {
    const before = await whatWhatsAppHolds();
    for (const [phone_number, names] of [
      ['abc', /"a" at position 1/],
      ['12', /8-15 digits/],
      ['+1 555 010 0001 ext. 2', /"e" at position 17/],
      ['07700 900123', /not an international number/],
    ] as const) {
      const res = await media({ phone_number });
      expect(res.status, phone_number).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'INVALID_PHONE', fields: ['phone_number'] });
      expect(res.body.error.message).toMatch(names);
    }
    expect(await whatWhatsAppHolds()).toEqual(before);
  });

  it('regression: /api/simulator/incoming from "+1 555 010 0001 ext. 2" arrived from 155501000012', async () => {
    const before = await whatWhatsAppHolds();
    const res = await post('/api/simulator/incoming', { phone_number: '+1 555 010 0001 ext. 2', message: 'Who am I?' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_PHONE');
    expect(await whatWhatsAppHolds()).toEqual(before);
    await expect(sim.messages('155501000012@c.us', 1)).rejects.toThrow(/no chat/);
  });

  it('regression: /api/simulator/incoming-media with bad base64 answered 502 WA_ERROR (or was cleaned into another file)', async () => {
    const before = await whatWhatsAppHolds();
    for (const [data, names] of [
      ['abcde', /data is 5 characters long/],
      ['aGVsbG8', /data is 7 characters long/],
      [`${b64(PNG).slice(0, 8)}\n${b64(PNG).slice(8)}`, /data has U\+000A at position 9/],
      [`data:image/png;base64,${b64(PNG)}`, /data has ":" at position 5/],
      ['aGVsbG9=', /data does not end as an encoder writes it/],
    ] as const) {
      const res = await media({ data });
      expect(res.status, data.slice(0, 20)).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', fields: ['data'] });
      expect(res.body.error.message).toMatch(names);
    }
    expect(await whatWhatsAppHolds()).toEqual(before);
  });

  it('regression: /api/simulator/incoming-media took "a/b" and "../x" as mimetypes', async () => {
    const before = await whatWhatsAppHolds();
    for (const mimetype of ['a/b', '../x', 'image', 'image/png ; x=1', 'image/png\nX-Evil: 1']) {
      const res = await media({ mimetype });
      expect(res.status, mimetype).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', fields: ['mimetype'] });
      expect(res.body.error.message).toMatch(/mimetype must be a MIME type such as "image\/jpeg"/);
    }
    expect(await whatWhatsAppHolds()).toEqual(before);
  });

  it('a message "from" the linked account itself is a 400, not a 502', async () => {
    const res = await post('/api/simulator/incoming', { phone_number: `+${ME}`, message: 'Me to me' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    expect(res.body.error.message).toMatch(/the linked account's own number/);
  });

  it('the OpenAPI document states the rules of the simulator\'s inputs', async () => {
    const { body } = await bridge.call('/openapi.json');
    await expect(SwaggerParser.validate(structuredClone(body))).resolves.toBeTruthy();
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/api/simulator/edit', '/api/simulator/group-update', '/api/simulator/phone-send']));
    const media = body.paths['/api/simulator/incoming-media'].post.requestBody.content['application/json'].schema.properties;
    expect(media.phone_number.description).toMatch(/anything else \(letters, "ext", "\*", "#", a "\+" further in\) is refused/);
    expect(media.data.description).toMatch(/standard base64 with "=" padding; anything else .* is refused/);
  });

  it('good input still arrives, as written', async () => {
    const photo = await media({ phone_number: '00 1 555 010 0001', caption: 'Look' });
    expect(photo.status).toBe(200);
    expect(await sim.message(photo.body.id)).toMatchObject({ chatId: ALICE, fromMe: false, type: 'image', caption: 'Look' });

    const voice = await media({ data: b64(OGG_OPUS), mimetype: 'audio/ogg; codecs=opus', as_voice: true });
    expect(voice.status).toBe(200);
    expect(await sim.message(voice.body.id)).toMatchObject({ type: 'ptt', media: { mimetype: 'audio/ogg; codecs=opus' } });
  });

  it('the controls for what the other side does: bad input is a 400, what the person cannot do a 404 / 409 / 410, never a 502', async () => {
    const before = await whatWhatsAppHolds();
    const bad: [string, unknown, string][] = [
      ['/api/simulator/edit', { message_id: 'nope', message: 'x' }, 'VALIDATION_ERROR'],
      ['/api/simulator/edit', { message_id: `false_${ALICE}_AAA`, message: '' }, 'VALIDATION_ERROR'],
      ['/api/simulator/react', { message_id: `false_${ALICE}_AAA`, phone_number: 'abc', emoji: '👍' }, 'INVALID_PHONE'],
      ['/api/simulator/vote', { message_id: `false_${ALICE}_AAA`, phone_number: '15550100001', options: 'Sat' }, 'VALIDATION_ERROR'],
      ['/api/simulator/group-join', { group_id: 'family', phone_numbers: ['15550100004'] }, 'VALIDATION_ERROR'],
      ['/api/simulator/group-leave', { group_id: '120363000000000001@g.us', phone_numbers: [] }, 'VALIDATION_ERROR'],
      ['/api/simulator/group-update', { group_id: '120363000000000001@g.us', by_phone_number: '15550100001' }, 'VALIDATION_ERROR'],
      ['/api/simulator/call', { phone_number: '15550100001', video: 'yes' }, 'VALIDATION_ERROR'],
      ['/api/simulator/phone-send', { phone_number: '15550100001', group_id: '120363000000000001@g.us', message: 'x' }, 'VALIDATION_ERROR'],
      ['/api/simulator/revoke', { message_id: `false_${ALICE}_AAA`, by_phone_number: '+1 555 ext 2' }, 'INVALID_PHONE'],
    ];
    for (const [route, body, code] of bad) {
      const res = await post(route, body);
      expect(res.status, `${route} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.error.code).toBe(code);
    }
    expect(await whatWhatsAppHolds()).toEqual(before);

    const { id: hers } = (await post('/api/simulator/incoming', { phone_number: '15550100001', message: 'Hello' })).body;
    const impossible: [string, unknown, number, string][] = [
      ['/api/simulator/edit', { message_id: `false_${ALICE}_NOSUCHMESSAGE`, message: 'x' }, 404, 'MESSAGE_NOT_FOUND'],
      ['/api/simulator/react', { message_id: hers, phone_number: '15550100002', emoji: '👍' }, 409, 'SIMULATOR_REFUSED'],
      ['/api/simulator/vote', { message_id: hers, phone_number: '15550100001', options: ['Sat'] }, 409, 'SIMULATOR_REFUSED'],
      ['/api/simulator/group-join', { group_id: '120363999999999999@g.us', phone_numbers: ['15550100004'] }, 404, 'GROUP_NOT_FOUND'],
      ['/api/simulator/group-join', { group_id: '120363000000000001@g.us', phone_numbers: ['15550100001'] }, 409, 'SIMULATOR_REFUSED'],
      ['/api/simulator/group-leave', { group_id: '120363000000000001@g.us', phone_numbers: ['15550100002'], by_phone_number: '15550100003' }, 409, 'SIMULATOR_REFUSED'],
      ['/api/simulator/revoke', { message_id: hers, by_phone_number: '15550100002' }, 409, 'REVOKE_NOT_ALLOWED'],
    ];
    for (const [route, body, status, code] of impossible) {
      const res = await post(route, body);
      expect([res.status, res.body.error?.code], `${route} ${JSON.stringify(body)}`).toEqual([status, code]);
    }
    expect((await post('/api/simulator/revoke', { message_id: hers })).status).toBe(200);
    const again = await post('/api/simulator/revoke', { message_id: hers });
    expect([again.status, again.body.error.code]).toEqual([410, 'MESSAGE_ALREADY_DELETED']);
  });
});
