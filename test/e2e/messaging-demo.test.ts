import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../../src/bridge.js';
import { SimulatorControl, type SimulatedMessage } from '../../src/whatsapp/simulator/index.js';
import { startDemoBridge, tempDataDir, waitForState, type Caller, until } from '../helpers/bridge.js';
import { callTool, connectMcp, errorText, textPayload } from '../helpers/mcp.js';
import { b64, MP4, OGG_OPUS, PDF, PNG } from '../helpers/media-fixtures.js';

/**
 * Issue 5 end to end: REST and MCP → the service → our adapter → the unchanged
 * whatsapp-web.js → Chromium → the WhatsApp Web simulator. Every assertion reads back what
 * the simulated WhatsApp received (SimulatorControl.message/messages) or what the API
 * reads from it, not just a status code. Numbers are the simulator's default account.
 */
const ME = '15550100100@c.us';
const ALICE = '15550100001@c.us';
const BOB = '15550100002@c.us';
const CARLA = '15550100003@c.us';
const DAVID = '15550100004@c.us';
const EMMA = '15550100005@c.us'; // her chat's newest message of ours is 3 days old
const HIKE = '120363000000000001@g.us'; // we are admin; Alice, Bob, Carla
const FAMILY = '120363000000000002@g.us'; // David and Emma are admins, we are not

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('base64');

type Bridged = Bridge & { call: Caller };

function simulator(bridge: Bridged): SimulatorControl {
  const page = bridge.session.page;
  if (!page) throw new Error('the bridge has no WhatsApp page');
  return new SimulatorControl(page);
}

async function linkedDemoBridge(overrides: Parameters<typeof startDemoBridge>[1] = {}): Promise<Bridged> {
  const bridge = await startDemoBridge(tempDataDir('wa-e2e-messaging-'), overrides);
  await bridge.call('/api/auth/start', { method: 'POST' });
  await waitForState(bridge.call, 'qr');
  await bridge.call('/api/simulator/link', { method: 'POST' });
  await waitForState(bridge.call, 'ready');
  return bridge;
}

describe('media, groups, replies, mentions, polls, reactions over REST and MCP', () => {
  const mediaDir = mkdtempSync(path.join(os.tmpdir(), 'wa-e2e-media-'));
  const outsideDir = mkdtempSync(path.join(os.tmpdir(), 'wa-e2e-outside-'));
  let bridge: Bridged;
  let mcp: Client;
  let sim: SimulatorControl;

  const post = (p: string, json: unknown = {}) => bridge.call(p, { method: 'POST', json });
  const received = async (id: string): Promise<SimulatedMessage> => {
    const m = await sim.message(id);
    if (!m) throw new Error(`WhatsApp has no message ${id}`);
    return m;
  };
  const newest = async (chatId: string): Promise<SimulatedMessage> => (await sim.messages(chatId, 1))[0]!;
  const raw = (p: string, init: RequestInit = {}) =>
    fetch(bridge.url + p, { ...init, headers: { authorization: `Bearer ${bridge.token}`, ...init.headers } });
  // What a refused request must leave untouched: the newest message of each chat it aimed at.
  const unchanged = async (chatIds: string[], attempt: () => Promise<unknown>) => {
    const newestIds = () => Promise.all(chatIds.map(async (id) => (await newest(id)).id));
    const before = await newestIds();
    await attempt();
    expect(await newestIds()).toEqual(before);
  };

  beforeAll(async () => {
    writeFileSync(path.join(mediaDir, 'trail.png'), PNG);
    writeFileSync(path.join(outsideDir, 'id_ed25519'), 'secret');
    bridge = await linkedDemoBridge({ mediaDirs: [mediaDir] });
    sim = simulator(bridge);
    mcp = await connectMcp(bridge.url, bridge.token);
  });
  afterAll(async () => {
    await mcp?.close();
    await bridge?.stop();
    for (const dir of [mediaDir, outsideDir]) rmSync(dir, { recursive: true, force: true });
  });

  describe('text with options', () => {
    it('REST: reply_to quotes the message, mentions are ghost mentions, link_preview false sends no preview', async () => {
      const first = await post('/api/send', { phone_number: '+1 555 010 0001', message: 'Lunch at 12:30?' });
      const reply = await post('/api/send', {
        phone_number: '15550100001',
        message: 'Bob joins too: https://example.com/menu',
        reply_to: first.body.message_id,
        mentions: ['+1 555 010 0002'],
        link_preview: false,
      });
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ ok: true, to: '15550100001', chat_id: ALICE });

      expect(await received(reply.body.message_id)).toMatchObject({
        type: 'chat',
        body: 'Bob joins too: https://example.com/menu',
        quotedId: first.body.message_id,
        mentions: [BOB],
        linkPreview: null,
      });
    });

    it('REST: a link gets a preview by default', async () => {
      const sent = await post('/api/send', { phone_number: '15550100001', message: 'Trail map: https://example.com/trail' });
      expect((await received(sent.body.message_id)).linkPreview).toMatchObject({ title: 'example.com', url: 'https://example.com/trail' });
    });

    it('REST: "@everyone" in a group mentions every other member; in a 1:1 chat it is a 400', async () => {
      const sent = await post('/api/send', { group_id: HIKE, message: 'Leaving at 8 sharp', mentions: ['@everyone'] });
      expect(sent.status).toBe(200);
      expect(sent.body.message_id).toMatch(new RegExp(`^true_${HIKE}_[0-9A-F]+_${ME}$`));
      expect((await received(sent.body.message_id)).mentions.sort()).toEqual([ALICE, BOB, CARLA]);

      await unchanged([ALICE], async () => {
        const refused = await post('/api/send', { phone_number: '15550100001', message: 'x', mentions: ['@everyone'] });
        expect(refused.status).toBe(400);
      });
    });

    it('REST: reply_to an unknown message is a 404 and nothing is sent', async () => {
      await unchanged([ALICE], async () => {
        const res = await post('/api/send', { phone_number: '15550100001', message: 'x', reply_to: `true_${ALICE}_3EB0000000000000DEAD` });
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe('MESSAGE_NOT_FOUND');
      });
    });

    it('MCP: whatsapp_send_message replies in a group with a mention', async () => {
      const [bobsMessage] = (await sim.messages(HIKE, 20)).filter((m) => m.author === BOB);
      const sent = textPayload(
        await callTool(mcp, 'whatsapp_send_message', { group_id: HIKE, message: 'See you there', reply_to: bobsMessage!.id, mentions: ['15550100002'] }),
      );
      expect(await received(sent.message_id)).toMatchObject({ chatId: HIKE, quotedId: bobsMessage!.id, mentions: [BOB], author: ME });
    });
  });

  describe('media', () => {
    it('REST JSON: several photos → one message each with message_ids; the caption and view_once reach WhatsApp', async () => {
      const res = await post('/api/send/media', {
        phone_number: '15550100002',
        media: [{ data: b64(PNG), mimetype: 'image/png' }, { data: `data:image/png;base64,${b64(PNG)}` }],
        caption: 'The view from the top',
        view_once: true,
      });
      expect(res.status).toBe(200);
      expect(res.body.message_ids).toHaveLength(2);
      expect(res.body.message_id).toBe(res.body.message_ids[0]);

      const [first, second] = await Promise.all(res.body.message_ids.map(received));
      expect(first).toMatchObject({ type: 'image', caption: 'The view from the top', media: { mimetype: 'image/png', viewOnce: true, filehash: sha256(PNG), size: PNG.length } });
      expect(second).toMatchObject({ type: 'image', caption: null, media: { viewOnce: true, filehash: sha256(PNG) } });

      const chat = await bridge.call(`/api/chats/${BOB}/messages?limit=2`);
      expect(chat.body.messages.map((m: { id: string; type: string; has_media: boolean }) => [m.id, m.type, m.has_media])).toEqual([
        [res.body.message_ids[0], 'image', true],
        [res.body.message_ids[1], 'image', true],
      ]);
      expect(chat.body.messages[0].body).toBe('The view from the top');
    });

    it('REST JSON: a video as_gif plays as a GIF; audio as_voice is a voice note; plain audio stays audio', async () => {
      const gif = await post('/api/send/media', { phone_number: '15550100002', media: [{ data: b64(MP4), mimetype: 'video/mp4' }], caption: 'Summit!', as_gif: true });
      expect(await received(gif.body.message_id)).toMatchObject({ type: 'video', caption: 'Summit!', media: { mimetype: 'video/mp4', gif: true, filehash: sha256(MP4) } });

      const voice = await post('/api/send/media', { phone_number: '15550100002', media: [{ data: b64(OGG_OPUS), mimetype: 'audio/ogg' }], as_voice: true });
      expect(await received(voice.body.message_id)).toMatchObject({ type: 'ptt', media: { mimetype: 'audio/ogg; codecs=opus', filehash: sha256(OGG_OPUS) } });

      const audio = await post('/api/send/media', { phone_number: '15550100002', media: [{ data: b64(OGG_OPUS) }] });
      expect(await received(audio.body.message_id)).toMatchObject({ type: 'audio', media: { gif: false } });
    });

    it('REST JSON: documents keep their file name; as_document sends a photo as a file', async () => {
      const res = await post('/api/send/media', {
        group_id: HIKE,
        media: [
          { data: b64(PDF), mimetype: 'application/pdf', filename: 'Route & permits.pdf' },
          { data: b64(PNG), filename: 'map-original.png' },
        ],
        caption: 'Paperwork',
        as_document: true,
      });
      const [pdf, png] = await Promise.all(res.body.message_ids.map(received));
      expect(pdf).toMatchObject({ type: 'document', caption: 'Paperwork', media: { filename: 'Route & permits.pdf', mimetype: 'application/pdf', filehash: sha256(PDF) } });
      expect(png).toMatchObject({ type: 'document', media: { filename: 'map-original.png', mimetype: 'image/png' } });

      // Regression: whatsapp-web.js named a document sent without a name "undefined".
      const unnamed = await post('/api/send/media', { group_id: HIKE, media: [{ data: b64(PDF) }] });
      expect((await received(unnamed.body.message_id)).media).toMatchObject({ mimetype: 'application/pdf', filename: 'file.pdf' });
    });

    it('REST JSON: a local path inside an allowed folder is sent; one outside is refused', async () => {
      const res = await post('/api/send/media', { phone_number: '15550100003', media: [{ path: path.join(mediaDir, 'trail.png') }] });
      expect(await received(res.body.message_id)).toMatchObject({ type: 'image', media: { filehash: sha256(PNG) } });

      await unchanged([CARLA], async () => {
        const refused = await post('/api/send/media', { phone_number: '15550100003', media: [{ path: path.join(outsideDir, 'id_ed25519') }] });
        expect(refused.status).toBe(403);
        expect(refused.body.error.code).toBe('FORBIDDEN_PATH');
      });
    });

    it('REST multipart: the files in "files" and the options as form fields', async () => {
      const form = new FormData();
      form.append('phone_number', '15550100003');
      form.append('caption', 'Two from the trip');
      form.append('view_once', 'true');
      form.append('files', new Blob([PNG], { type: 'image/png' }), 'one.png');
      form.append('files', new Blob([MP4], { type: 'video/mp4' }), 'two.mp4');
      const res = await raw('/api/send/media', { method: 'POST', body: form });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { message_ids: string[] };
      const [photo, video] = await Promise.all(body.message_ids.map(received));
      expect(photo).toMatchObject({ type: 'image', caption: 'Two from the trip', media: { viewOnce: true, filehash: sha256(PNG) } });
      expect(video).toMatchObject({ type: 'video', caption: null, media: { viewOnce: true, filehash: sha256(MP4) } });
    });

    it('MCP: whatsapp_send_media with base64 and with a path', async () => {
      const sent = textPayload(
        await callTool(mcp, 'whatsapp_send_media', {
          group_id: HIKE,
          media: [{ data: b64(PNG), mimetype: 'image/png' }, { path: path.join(mediaDir, 'trail.png') }],
          caption: 'Both maps',
        }),
      );
      expect(sent.message_ids).toHaveLength(2);
      const [a, b] = await Promise.all(sent.message_ids.map(received));
      expect([a!.caption, a!.media!.filehash, b!.media!.filehash]).toEqual(['Both maps', sha256(PNG), sha256(PNG)]);
    });
  });

  describe('location and poll', () => {
    it('REST: a location pin with name and address; out of range is a 400 and nothing is sent', async () => {
      const res = await post('/api/send/location', { phone_number: '15550100001', latitude: 46.5581, longitude: 7.8357, name: 'Trailhead', address: 'Lauterbrunnen' });
      expect(res.status).toBe(200);
      expect(await received(res.body.message_id)).toMatchObject({
        type: 'location',
        location: { latitude: 46.5581, longitude: 7.8357, description: 'Trailhead\nLauterbrunnen' },
      });
      const chat = await bridge.call(`/api/chats/${ALICE}/messages?limit=1`);
      expect(chat.body.messages[0]).toMatchObject({ id: res.body.message_id, type: 'location' });

      await unchanged([ALICE], async () => {
        expect((await post('/api/send/location', { phone_number: '15550100001', latitude: 91, longitude: 0 })).status).toBe(400);
      });
    });

    it('MCP: whatsapp_send_location to a group', async () => {
      const sent = textPayload(await callTool(mcp, 'whatsapp_send_location', { group_id: HIKE, latitude: -33.8568, longitude: 151.2153 }));
      expect(await received(sent.message_id)).toMatchObject({ chatId: HIKE, type: 'location', location: { latitude: -33.8568, longitude: 151.2153, description: null } });
    });

    it('REST: a poll with one answer; MCP: a poll with several', async () => {
      const res = await post('/api/send/poll', { group_id: HIKE, question: 'Which trail?', options: ['Ridge', 'Lake', 'Forest'] });
      expect(await received(res.body.message_id)).toMatchObject({ type: 'poll_creation', poll: { name: 'Which trail?', options: ['Ridge', 'Lake', 'Forest'], selectableCount: 1 } });
      const chat = await bridge.call(`/api/chats/${HIKE}/messages?limit=1`);
      expect(chat.body.messages[0]).toMatchObject({ type: 'poll_creation', body: 'Which trail?' });

      const sent = textPayload(await callTool(mcp, 'whatsapp_send_poll', { phone_number: '15550100001', question: 'Snacks?', options: ['Nuts', 'Fruit'], selectable_count: 2 }));
      expect(await received(sent.message_id)).toMatchObject({ poll: { options: ['Nuts', 'Fruit'], selectableCount: 0 } });

      await unchanged([HIKE], async () => {
        expect((await post('/api/send/poll', { group_id: HIKE, question: 'Only one?', options: ['Yes'] })).status).toBe(400);
      });
    });
  });

  describe('acting on messages', () => {
    it('REST: a reaction is added, replaced, and removed by an empty emoji', async () => {
      const { body } = await post('/api/send', { phone_number: '15550100004', message: 'Happy to help' });
      const id = body.message_id;
      const react = (emoji: string) => post(`/api/messages/${id}/reaction`, { emoji });

      expect((await react('👍')).body).toMatchObject({ ok: true, status: 'sent' });
      expect((await received(id)).reactions).toEqual([{ sender: ME, emoji: '👍' }]);
      await react('❤️');
      expect((await received(id)).reactions).toEqual([{ sender: ME, emoji: '❤️' }]);
      await react('');
      expect((await received(id)).reactions).toEqual([]);
    });

    it('MCP: whatsapp_react on a message someone else sent in a group', async () => {
      const [alices] = (await sim.messages(HIKE, 30)).filter((m) => m.author === ALICE);
      expect(textPayload(await callTool(mcp, 'whatsapp_react', { message_id: alices!.id, emoji: '🎉' }))).toMatchObject({ ok: true, status: 'sent' });
      expect((await received(alices!.id)).reactions).toEqual([{ sender: ME, emoji: '🎉' }]);
    });

    it('REST: delete for everyone turns our recent message into a revoked one', async () => {
      const { body } = await post('/api/send', { phone_number: '15550100004', message: 'Oops, wrong chat' });
      const res = await bridge.call(`/api/messages/${body.message_id}`, { method: 'DELETE' });
      expect(res.status).toBe(200);
      expect(await received(body.message_id)).toMatchObject({ type: 'revoked', revoked: 'sender', body: '' });
      const chat = await bridge.call('/api/chats/15550100004@c.us/messages?limit=1');
      expect(chat.body.messages[0]).toMatchObject({ id: body.message_id, type: 'revoked', body: '' });
    });

    it('REST: a message of ours older than about two days cannot be deleted for everyone: 409, and it stays', async () => {
      const chat = await bridge.call(`/api/chats/${EMMA}/messages?limit=5`);
      const old = chat.body.messages.find((m: { from_me: boolean }) => m.from_me);
      expect(Date.now() / 1000 - old.timestamp).toBeGreaterThan(60 * 3600);

      const res = await bridge.call(`/api/messages/${old.id}`, { method: 'DELETE' });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('REVOKE_NOT_ALLOWED');
      expect(await received(old.id)).toMatchObject({ type: 'chat', body: 'Thanks for the book recommendation', revoked: null });
    });

    it('as group admin another member’s message can be deleted; where we are not admin, 409', async () => {
      const [bobs] = (await sim.messages(HIKE, 40)).filter((m) => m.author === BOB && m.type === 'chat');
      const deleted = await callTool(mcp, 'whatsapp_delete_message', { message_id: bobs!.id });
      expect(deleted.isError).toBeFalsy();
      expect(await received(bobs!.id)).toMatchObject({ type: 'revoked', revoked: 'admin' });

      const [davids] = (await sim.messages(FAMILY)).filter((m) => !m.fromMe);
      const refused = await bridge.call(`/api/messages/${davids!.id}`, { method: 'DELETE' });
      expect(refused.status).toBe(409);
      expect((await received(davids!.id)).revoked).toBeNull();
      const viaMcp = await callTool(mcp, 'whatsapp_delete_message', { message_id: davids!.id });
      expect(viaMcp.isError).toBe(true);
      expect(errorText(viaMcp)).toMatch(/^REVOKE_NOT_ALLOWED/);
    });

    it('REST: forward to a phone number and to a group; the copies are marked forwarded', async () => {
      const [alices] = (await sim.messages(ALICE, 30)).filter((m) => !m.fromMe);
      const toBob = await post(`/api/messages/${alices!.id}/forward`, { phone_number: '+1 555 010 0002' });
      expect(toBob.status).toBe(200);
      expect(toBob.body).toMatchObject({ ok: true, to: '15550100002', chat_id: BOB });
      expect(await received(toBob.body.message_id)).toMatchObject({ chatId: BOB, fromMe: true, type: 'chat', body: alices!.body, forwarded: true, forwardingScore: 1 });

      const gif = (await sim.messages(BOB, 20)).find((m) => m.type === 'video')!;
      const toGroup = await post(`/api/messages/${gif.id}/forward`, { group_id: HIKE });
      expect(toGroup.body).toMatchObject({ ok: true, to: HIKE, chat_id: HIKE });
      expect(await received(toGroup.body.message_id)).toMatchObject({
        chatId: HIKE,
        type: 'video',
        caption: 'Summit!',
        forwarded: true,
        media: { gif: true, filehash: sha256(MP4) },
      });
    });

    it('MCP: whatsapp_forward_message of something already forwarded counts the hops', async () => {
      const forwarded = (await sim.messages(BOB, 20)).find((m) => m.forwarded)!;
      const sent = textPayload(await callTool(mcp, 'whatsapp_forward_message', { message_id: forwarded.id, phone_number: '15550100003' }));
      expect(await received(sent.message_id)).toMatchObject({ chatId: CARLA, body: forwarded.body, forwarded: true, forwardingScore: 2 });
    });

    it('mark read: unread_count drops to 0 in /api/chats (REST for a contact, MCP for a group)', async () => {
      const unread = async (id: string) =>
        ((await bridge.call('/api/chats?limit=100')).body.chats as { id: string; unread_count: number }[]).find((c) => c.id === id)!.unread_count;
      await post('/api/simulator/incoming', { phone_number: '15550100003', message: 'Did you get the slides?' });
      expect(await unread(CARLA)).toBeGreaterThanOrEqual(1);

      expect((await post(`/api/chats/${CARLA}/read`)).body).toEqual({ ok: true, chat_id: CARLA });
      expect(await unread(CARLA)).toBe(0);

      expect(await unread(HIKE)).toBeGreaterThan(0);
      expect(textPayload(await callTool(mcp, 'whatsapp_mark_read', { chat_id: HIKE }))).toMatchObject({ ok: true, chat_id: HIKE });
      expect(await unread(HIKE)).toBe(0);
    });
  });

  describe('download media', () => {
    it('REST: a document a contact sent streams back with its bytes, type and name', async () => {
      const incoming = await post('/api/simulator/incoming-media', {
        phone_number: '15550100001',
        data: b64(PDF),
        mimetype: 'application/pdf',
        filename: 'Hütte booking.pdf',
        caption: 'The booking',
      });
      expect(incoming.status).toBe(200);
      const listed = await bridge.call(`/api/chats/${ALICE}/messages?limit=1`);
      expect(listed.body.messages[0]).toMatchObject({ id: incoming.body.id, type: 'document', has_media: true, body: 'The booking', from_me: false });

      const res = await raw(`/api/messages/${incoming.body.id}/media`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="H_tte booking.pdf"; filename*=UTF-8''${encodeURIComponent('Hütte booking.pdf')}`);
      expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);
    });

    it('REST: a voice note a contact sent, and a photo we sent', async () => {
      const voice = await sim.incoming({ from: '15550100002', media: { data: b64(OGG_OPUS), mimetype: 'audio/ogg; codecs=opus', asVoice: true } });
      const res = await raw(`/api/messages/${voice.id}/media`);
      expect(res.headers.get('content-type')).toBe('audio/ogg; codecs=opus');
      expect(Buffer.from(await res.arrayBuffer()).equals(OGG_OPUS)).toBe(true);
      expect((await received(voice.id)).type).toBe('ptt');

      const sent = await post('/api/send/media', { phone_number: '15550100002', media: [{ data: b64(PNG) }] });
      const own = await raw(`/api/messages/${sent.body.message_id}/media`);
      expect(own.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await own.arrayBuffer()).equals(PNG)).toBe(true);
    });

    it('MCP: a photo comes back as image content, a document as an embedded resource', async () => {
      const photo = await sim.incoming({ from: '15550100001', body: 'Look!', media: { data: b64(PNG), mimetype: 'image/png' } });
      const asImage = await callTool(mcp, 'whatsapp_download_media', { message_id: photo.id });
      expect(asImage.structuredContent).toEqual({ ok: true, message_id: photo.id, mimetype: 'image/png', filename: null, size: PNG.length });
      expect(asImage.content[1]).toEqual({ type: 'image', data: b64(PNG), mimeType: 'image/png' });

      const doc = await sim.incoming({ from: '15550100001', media: { data: b64(PDF), mimetype: 'application/pdf', filename: 'plan.pdf' } });
      const asResource = await callTool(mcp, 'whatsapp_download_media', { message_id: doc.id });
      expect(asResource.content[1]).toMatchObject({ type: 'resource', resource: { mimeType: 'application/pdf', blob: b64(PDF) } });
      expect(textPayload(asResource)).toMatchObject({ filename: 'plan.pdf', size: PDF.length });
    });

    it('a text message has no file: 404 NO_MEDIA', async () => {
      const [text] = (await sim.messages(ALICE, 30)).filter((m) => m.type === 'chat');
      const res = await bridge.call(`/api/messages/${text!.id}/media`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NO_MEDIA');
    });
  });

  describe('groups, contacts, chat history', () => {
    it('REST and MCP: groups with member count and whether we are admin', async () => {
      const rest = (await bridge.call('/api/groups')).body;
      expect(rest.count).toBe(2);
      expect(rest.groups).toEqual(
        expect.arrayContaining([
          { id: HIKE, name: 'Weekend Hike', participants: 4, is_admin: true },
          { id: FAMILY, name: 'Family Announcements', participants: 3, is_admin: false },
        ]),
      );
      expect(textPayload(await callTool(mcp, 'whatsapp_list_groups'))).toEqual(rest);
    });

    it('REST and MCP: contacts by name and by number', async () => {
      const byName = (await bridge.call('/api/contacts?query=alice')).body;
      expect(byName.contacts).toEqual([{ id: ALICE, number: '15550100001', name: 'Alice Martin', pushname: 'Alice', is_my_contact: true, is_business: false, phone: ALICE, lid: null }]);
      const byNumber = (await bridge.call('/api/contacts?query=%2B1%20555%20010%200003')).body;
      expect(byNumber.contacts.map((c: { name: string }) => c.name)).toEqual(['Carla Rossi']);
      const stranger = textPayload(await callTool(mcp, 'whatsapp_search_contacts', { query: 'farid' }));
      expect(stranger.contacts).toEqual([expect.objectContaining({ number: '15550100006', name: null, pushname: 'Farid', is_my_contact: false })]);
    });

    it('REST and MCP: a long group history pages back with before= until the start', async () => {
      await sim.seed({ chats: 0, groups: 1, messagesPerChat: 120 });
      const group = ((await bridge.call('/api/groups')).body.groups as { id: string; name: string }[]).find((g) => g.name === 'Group 1')!;
      const bodies = (page: { messages: { body: string }[] }) => page.messages.map((m) => Number(/Message (\d+) of/.exec(m.body)![1]));
      const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

      const first = (await bridge.call(`/api/chats/${group.id}/messages?limit=50`)).body;
      expect(first.chat).toMatchObject({ id: group.id, name: 'Group 1', is_group: true });
      expect(bodies(first)).toEqual(range(71, 120));
      // Message n is written by us, Alice, Bob, Carla in turn.
      expect(first.messages.slice(2, 4)).toMatchObject([
        { from_me: true, author: null },
        { from_me: false, author: ALICE },
      ]);
      const second = (await bridge.call(`/api/chats/${group.id}/messages?limit=50&before=${encodeURIComponent(first.next_before)}`)).body;
      expect(bodies(second)).toEqual(range(21, 70));
      const third = textPayload(await callTool(mcp, 'whatsapp_get_chat_messages', { chat_id: group.id, limit: 50, before: second.next_before }));
      expect(bodies(third)).toEqual(range(1, 20));
      expect(third.next_before).toBeNull();

      const listed = await sim.messages(group.id, 120);
      expect(listed.map((m) => m.id)).toEqual([...third.messages, ...second.messages, ...first.messages].map((m: { id: string }) => m.id));
    });
  });

  describe('limits: nothing malformed reaches WhatsApp', () => {
    it('415 for a file whose type does not fit: as_voice without audio, as_gif without video, a "photo" that is a PDF', async () => {
      await unchanged([ALICE], async () => {
        for (const body of [
          { media: [{ data: b64(PNG) }], as_voice: true },
          { media: [{ data: b64(OGG_OPUS) }], as_gif: true },
          { media: [{ data: b64(PDF), mimetype: 'image/png' }] },
        ]) {
          const res = await post('/api/send/media', { phone_number: '15550100001', ...body });
          expect([res.status, res.body.error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
        }
        const viaMcp = await callTool(mcp, 'whatsapp_send_media', { phone_number: '15550100001', media: [{ data: b64(PNG) }], as_gif: true });
        expect(errorText(viaMcp)).toMatch(/^UNSUPPORTED_MEDIA_TYPE/);
      });
    });

    it('413 for a photo over 16 MiB', async () => {
      const big = Buffer.concat([PNG, Buffer.alloc(16 * 1024 * 1024)]);
      await unchanged([ALICE], async () => {
        const res = await post('/api/send/media', { phone_number: '15550100001', media: [{ data: b64(big), mimetype: 'image/png' }] });
        expect([res.status, res.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
      });
    });

    it('400 for too many files: 11 photos, or 6 videos', async () => {
      await unchanged([ALICE], async () => {
        const photos = await post('/api/send/media', { phone_number: '15550100001', media: Array.from({ length: 11 }, () => ({ data: b64(PNG) })) });
        expect(photos.status).toBe(400);
        const videos = await post('/api/send/media', { phone_number: '15550100001', media: Array.from({ length: 6 }, () => ({ data: b64(MP4) })) });
        expect([videos.status, videos.body.error.message]).toEqual([400, expect.stringMatching(/Too many video files/)]);
      });
    });

    it('404 for an unknown message id, on every route that takes one', async () => {
      const unknown = `true_${ALICE}_3EB0000000000000BEEF`;
      await unchanged([ALICE, BOB], async () => {
        const results = await Promise.all([
          post(`/api/messages/${unknown}/reaction`, { emoji: '👍' }),
          bridge.call(`/api/messages/${unknown}`, { method: 'DELETE' }),
          post(`/api/messages/${unknown}/forward`, { phone_number: '15550100002' }),
          bridge.call(`/api/messages/${unknown}/media`),
          bridge.call(`/api/chats/${ALICE}/messages?before=${unknown}`),
        ]);
        expect(results.map((r) => [r.status, r.body.error.code])).toEqual(Array(5).fill([404, 'MESSAGE_NOT_FOUND']));
        expect(errorText(await callTool(mcp, 'whatsapp_react', { message_id: unknown, emoji: '👍' }))).toMatch(/^MESSAGE_NOT_FOUND/);
      });
    });
  });

  it('left no errors behind in the page, and asked for no module the simulator lacks', async () => {
    const snapshot = await sim.snapshot();
    expect(snapshot.listenerErrors).toEqual([]);
    expect([...snapshot.missingModules].sort()).toEqual(['WAWebBackendJobsCommon', 'WAWebE2EProtoUtils']);
  });
});

describe('send pacing', () => {
  let bridge: Bridged;

  beforeAll(async () => {
    bridge = await linkedDemoBridge({ sendPerMinute: 2, sendBurst: 2 });
  });
  afterAll(async () => {
    await bridge?.stop();
  });

  it('past the burst a send waits in the outbox (Prefer: respond-async: 202 queued at once), and WhatsApp receives only what the pace allows', async () => {
    const sim = simulator(bridge);
    const before = (await sim.messages(DAVID, 50)).length;
    const send = (message: string) =>
      fetch(`${bridge.url}/api/send`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bridge.token}`, 'content-type': 'application/json', prefer: 'respond-async' },
        body: JSON.stringify({ phone_number: '15550100004', message }),
      });

    const first = (await (await send('one')).json()) as { outbox_id: string };
    await send('two');
    const third = await send('three');
    expect(third.status).toBe(202);
    const queued = (await third.json()) as { outbox_id: string; status: string; message_id: string | null };
    expect(queued).toMatchObject({ status: 'queued', message_id: null });
    // The first two go out at once (the burst); the third waits for the pace (2 a minute).
    await until(async () => (await bridge.call(`/api/outbox/${first.outbox_id}`)).body.entry.status !== 'queued', 'the first send to go out');
    await until(async () => (await sim.messages(DAVID, 50)).length >= before + 2, 'the burst to arrive');
    expect((await bridge.call(`/api/outbox/${queued.outbox_id}`)).body.entry.status).toBe('queued');
    const canceled = await bridge.call(`/api/outbox/${queued.outbox_id}`, { method: 'DELETE' });
    expect(canceled.body.entry.status).toBe('canceled');

    const after = await sim.messages(DAVID, 50);
    expect(after.slice(before).map((m) => m.body)).toEqual(['one', 'two']);
  });
});
