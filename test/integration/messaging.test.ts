import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { chatDto, FakeSession, ME } from '../helpers/fake-session.js';
import { startTestServer, TOKEN, type TestServer } from '../helpers/http.js';
import { callTool, connectMcp, errorText, textPayload } from '../helpers/mcp.js';
import { b64, MP4, OGG_OPUS, PDF, PNG } from '../helpers/media-fixtures.js';

const GROUP = '120363000000000042@g.us';
const ALICE = '15550100001@c.us';
const BOB = '15550100002@c.us';

const allowed = mkdtempSync(path.join(os.tmpdir(), 'wa-media-'));
const outside = mkdtempSync(path.join(os.tmpdir(), 'wa-secret-'));
writeFileSync(path.join(allowed, 'report.pdf'), PDF);
writeFileSync(path.join(outside, 'id_rsa'), 'PRIVATE KEY');
symlinkSync(path.join(outside, 'id_rsa'), path.join(allowed, 'sneaky.pdf'));
mkdirSync(path.join(allowed, 'folder'));

let srv: TestServer;
let session: FakeSession;

function freshSession(): FakeSession {
  const s = new FakeSession();
  s.link();
  s.groups.set(GROUP, { name: 'Weekend Hike', participants: [ME.wid, ALICE, BOB], admins: [ME.wid] });
  s.chats.set(GROUP, { chat: chatDto(GROUP, 'Weekend Hike', { is_group: true }), messages: [] });
  s.contacts = [
    { id: ALICE, number: '15550100001', name: 'Alice Martin', pushname: 'Alice', is_my_contact: true, is_business: false, phone: ALICE, lid: null },
    { id: BOB, number: '15550100002', name: 'Bob Stone', pushname: null, is_my_contact: true, is_business: true, phone: BOB, lid: null },
  ];
  return s;
}

beforeEach(async () => {
  session = freshSession();
  srv = await startTestServer({ session, mediaDirs: [allowed], sendPace: { perMinute: 600, burst: 50 } });
});
afterEach(() => srv.close());

const post = (p: string, json: unknown) => srv.call(p, { method: 'POST', json });

describe('text with options (POST /api/send)', () => {
  it('sends to a group with a quoted reply and ghost mentions', async () => {
    const first = await post('/api/send', { group_id: GROUP, message: 'Who is in?' });
    const res = await post('/api/send', { group_id: GROUP, message: 'Please answer', reply_to: first.body.message_id, mentions: ['+1 555 010 0001'], link_preview: false });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, to: GROUP, chat_id: GROUP });
    expect(session.outgoing.at(-1)).toMatchObject({ kind: 'text', chatId: GROUP, quotedMessageId: first.body.message_id, mentions: [ALICE], linkPreview: false });
  });

  it('"@everyone" mentions every member but us', async () => {
    await post('/api/send', { group_id: GROUP, message: 'Meeting at 3', mentions: ['@everyone'] });
    expect(session.outgoing.at(-1)).toMatchObject({ mentions: [ALICE, BOB] });
  });

  it.each([
    [{ message: 'x' }, 'VALIDATION_ERROR', /exactly one recipient/],
    [{ phone_number: '15551234567', group_id: GROUP, message: 'x' }, 'VALIDATION_ERROR', /exactly one recipient/],
    [{ group_id: 'family', message: 'x' }, 'VALIDATION_ERROR', /group_id must look like/],
    [{ phone_number: '15551234567', message: 'x', mentions: ['@everyone'] }, 'VALIDATION_ERROR', /use it with group_id/],
    [{ phone_number: '15551234567', message: 'x', mentions: ['12'] }, 'INVALID_PHONE', /mentions\[0\]/],
    [{ phone_number: '15551234567', message: 'x', reply_to: 'abc' }, 'VALIDATION_ERROR', /reply_to/],
  ])('refuses %j with %s, sending nothing', async (body, code, message) => {
    const res = await post('/api/send', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(message);
    expect(session.outgoing).toEqual([]);
  });

  it('a group we are not in is a 404', async () => {
    const res = await post('/api/send', { group_id: '120363999999999999@g.us', message: 'x' });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('GROUP_NOT_FOUND');
  });
});

describe('media (POST /api/send/media)', () => {
  it('sends photos as JSON base64 with a caption on the first and view_once', async () => {
    const res = await post('/api/send/media', {
      phone_number: '+1 555 010 0001',
      media: [{ data: b64(PNG), mimetype: 'image/png', filename: 'a.png' }, { data: `data:image/png;base64,${b64(PNG)}` }],
      caption: 'Two photos',
      view_once: true,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, to: '15550100001', chat_id: ALICE });
    expect(res.body.message_ids).toHaveLength(2);
    expect(res.body.message_id).toBe(res.body.message_ids[0]);
    const sent = session.outgoing.filter((o) => o.kind === 'media');
    expect(sent.map((o) => o.kind === 'media' && [o.file.mimetype, o.caption, o.viewOnce])).toEqual([
      ['image/png', 'Two photos', true],
      ['image/png', undefined, true],
    ]);
    expect(sent[0]!.kind === 'media' && sent[0]!.file.data.equals(PNG)).toBe(true);
  });

  it('sends a voice note, a GIF and a document with its original name', async () => {
    expect((await post('/api/send/media', { phone_number: '15550100001', media: [{ data: b64(OGG_OPUS), mimetype: 'audio/ogg' }], as_voice: true })).status).toBe(200);
    expect((await post('/api/send/media', { group_id: GROUP, media: [{ data: b64(MP4), mimetype: 'video/mp4' }], as_gif: true, caption: 'lol' })).status).toBe(200);
    expect((await post('/api/send/media', { phone_number: '15550100001', media: [{ data: b64(PDF), filename: 'Q3 report.pdf' }] })).status).toBe(200);
    const [voice, gif, doc] = session.outgoing.map((o) => (o.kind === 'media' ? o : null));
    expect(voice?.asVoice).toBe(true);
    expect(voice?.file.mimetype).toMatch(/^audio\/ogg/);
    expect(gif).toMatchObject({ chatId: GROUP, asGif: true, caption: 'lol' });
    expect(doc?.file).toMatchObject({ mimetype: 'application/pdf', filename: 'Q3 report.pdf' });
  });

  it('a batch cut off by a dead browser: the outbox finds the file did not go out and sends it, so each arrives once (was 504 "whether media[1] was is unknown")', async () => {
    session.failure = { after: 1, error: new AppError('SEND_OUTCOME_UNKNOWN', 'The connection to WhatsApp Web was lost while the message was being sent') };
    const photo = { data: b64(PNG), mimetype: 'image/png' };
    const res = await post('/api/send/media', { phone_number: '15550100001', media: [photo, photo, photo] });
    expect(res.status).toBe(200);
    expect(res.body.message_ids).toHaveLength(3);
    expect(session.outgoing.filter((o) => o.kind === 'media')).toHaveLength(3);
    expect((await srv.call(`/api/outbox/${res.body.outbox_ids[1]}`)).body.entry).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('a send cut off after WhatsApp took it is found in the chat and recorded as sent, never sent twice', async () => {
    session.failure = { after: 0, delivered: true, error: new AppError('SEND_OUTCOME_UNKNOWN', 'The connection to WhatsApp Web was lost while the message was being sent') };
    const res = await post('/api/send', { phone_number: '15550100001', message: 'only once, please' });
    expect(res.status).toBe(200);
    expect(session.outgoing.filter((o) => o.kind === 'text' && o.text === 'only once, please')).toHaveLength(1);
    const chat = session.chats.get(ALICE)!.messages.filter((m) => m.body === 'only once, please');
    expect(chat).toHaveLength(1);
    expect(res.body.message_id).toBe(chat[0]!.id);
    expect((await srv.call(`/api/outbox/${res.body.outbox_id}`)).body.entry).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('accepts multipart uploads in the field "files"', async () => {
    const form = new FormData();
    form.set('phone_number', '15550100001');
    form.set('caption', 'from a form');
    form.append('files', new Blob([PNG], { type: 'image/png' }), 'photo.png');
    form.append('files', new Blob([PDF], { type: 'application/pdf' }), 'doc.pdf');
    const res = await fetch(`${srv.url}/api/send/media`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: form });
    expect(res.status).toBe(200);
    const files = session.outgoing.map((o) => (o.kind === 'media' ? o.file : null));
    expect(files.map((f) => [f?.mimetype, f?.filename])).toEqual([
      ['image/png', 'photo.png'],
      ['application/pdf', 'doc.pdf'],
    ]);
  });

  it('sends a file by path only from an allowed folder', async () => {
    const ok = await post('/api/send/media', { phone_number: '15550100001', media: [{ path: path.join(allowed, 'report.pdf') }] });
    expect(ok.status).toBe(200);
    expect(session.outgoing[0]).toMatchObject({ file: { filename: 'report.pdf', mimetype: 'application/pdf' } });

    for (const p of [path.join(outside, 'id_rsa'), path.join(allowed, 'sneaky.pdf'), path.join(allowed, '..', path.basename(outside), 'id_rsa')]) {
      const res = await post('/api/send/media', { phone_number: '15550100001', media: [{ path: p, mimetype: 'application/pdf' }] });
      expect(res.status, p).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN_PATH');
    }
    expect((await post('/api/send/media', { phone_number: '15550100001', media: [{ path: 'report.pdf' }] })).status).toBe(400);
    expect((await post('/api/send/media', { phone_number: '15550100001', media: [{ path: path.join(allowed, 'folder') }] })).status).toBe(400);
    expect(session.outgoing).toHaveLength(1);
  });

  it('refuses paths altogether when no folder is allowed (the default)', async () => {
    const strict = await startTestServer({ session: freshSession() });
    try {
      const res = await strict.call('/api/send/media', { method: 'POST', json: { phone_number: '15550100001', media: [{ path: path.join(allowed, 'report.pdf') }] } });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/WHATSAPP_MEDIA_DIRS/);
    } finally {
      await strict.close();
    }
  });

  it.each([
    ['a "photo" that is not an image', { media: [{ data: b64(PDF), mimetype: 'image/jpeg' }] }, 415, /says image\/jpeg but its content is application\/pdf/],
    ['as_voice with a file that is not audio', { media: [{ data: b64(PNG), mimetype: 'image/png' }], as_voice: true }, 415, /as_voice needs audio/],
    ['as_gif with a file that is not a video', { media: [{ data: b64(PNG), mimetype: 'image/png' }], as_gif: true }, 415, /as_gif needs video/],
    ['view_once on a document', { media: [{ data: b64(PDF) }], view_once: true }, 415, /view_once needs photos or videos/],
    ['11 photos', { media: Array.from({ length: 11 }, () => ({ data: b64(PNG) })) }, 400, /at most 10/],
    ['6 videos', { media: Array.from({ length: 6 }, () => ({ data: b64(MP4), mimetype: 'video/mp4' })) }, 400, /Too many video files: 6; at most 5/],
    ['6 documents', { media: Array.from({ length: 6 }, () => ({ data: b64(PDF) })) }, 400, /Too many document files/],
    ['a photo over 16 MiB', { media: [{ data: b64(Buffer.concat([PNG, Buffer.alloc(17 * 1024 * 1024)])), mimetype: 'image/png' }] }, 413, /at most 16 MiB/],
    ['data that is not base64', { media: [{ data: '%%%not base64%%%' }] }, 400, /not base64/],
    ['both data and path', { media: [{ data: b64(PNG), path: '/tmp/x' }] }, 400, /exactly one of data/],
    ['no files', { media: [] }, 400, /at least one file/],
    ['a caption on audio only', { media: [{ data: b64(OGG_OPUS), mimetype: 'audio/ogg' }], caption: 'hi' }, 400, /no caption on audio/],
    ['as_document with as_voice', { media: [{ data: b64(OGG_OPUS) }], as_document: true, as_voice: true }, 400, /cannot be combined/],
  ])('%s → %i', async (_what, body, status, message) => {
    const res = await post('/api/send/media', { phone_number: '15550100001', ...body });
    expect(res.status).toBe(status);
    expect(res.body.error.message).toMatch(message);
    expect(session.outgoing).toEqual([]);
  });
});

describe('location, poll, reaction, delete, forward, mark read, download', () => {
  it('sends a location; coordinates are range-checked', async () => {
    const res = await post('/api/send/location', { group_id: GROUP, latitude: 48.8584, longitude: 2.2945, name: 'Eiffel Tower', address: 'Paris' });
    expect(res.status).toBe(200);
    expect(session.outgoing[0]).toMatchObject({ kind: 'location', latitude: 48.8584, longitude: 2.2945, name: 'Eiffel Tower' });
    for (const [lat, lng] of [
      [91, 0],
      [0, -181],
    ]) {
      const bad = await post('/api/send/location', { phone_number: '15550100001', latitude: lat, longitude: lng });
      expect(bad.status).toBe(400);
      expect(bad.body.error.fields).toEqual([lat === 91 ? 'latitude' : 'longitude']);
    }
  });

  it('sends polls with one or several answers; refuses bad option lists', async () => {
    await post('/api/send/poll', { group_id: GROUP, question: 'Saturday or Sunday?', options: ['Saturday', 'Sunday'] });
    await post('/api/send/poll', { group_id: GROUP, question: 'Snacks?', options: ['Nuts', 'Fruit', 'Chocolate'], selectable_count: 2 });
    expect(session.outgoing.map((o) => o.kind === 'poll' && o.allowMultipleAnswers)).toEqual([false, true]);
    for (const body of [
      { options: ['Only one'] },
      { options: Array.from({ length: 13 }, (_, i) => `o${i}`) },
      { options: ['Same', 'same'] },
      { options: ['A', 'B'], selectable_count: 3 },
    ]) {
      const res = await post('/api/send/poll', { group_id: GROUP, question: 'Q?', ...body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(session.outgoing).toHaveLength(2);
  });

  it('reacts, replaces and removes a reaction; unknown ids are 404', async () => {
    const { body } = await post('/api/send', { phone_number: '15550100001', message: 'React to me' });
    const id = encodeURIComponent(body.message_id);
    expect((await post(`/api/messages/${id}/reaction`, { emoji: '👍' })).status).toBe(200);
    expect(session.reactions.get(body.message_id)).toBe('👍');
    expect((await post(`/api/messages/${id}/reaction`, { emoji: '❤️' })).status).toBe(200);
    expect(session.reactions.get(body.message_id)).toBe('❤️');
    expect((await post(`/api/messages/${id}/reaction`, { emoji: '' })).status).toBe(200);
    expect(session.reactions.has(body.message_id)).toBe(false);
    expect((await post(`/api/messages/${id}/reaction`, { emoji: 'not an emoji' })).status).toBe(400);
    const unknown = await post(`/api/messages/${encodeURIComponent('true_15550100001@c.us_NOPE')}/reaction`, { emoji: '👍' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('MESSAGE_NOT_FOUND');
  });

  it('regression: a reaction of "👍👍👍" was accepted', async () => {
    const { body } = await post('/api/send', { phone_number: '15550100001', message: 'React to me' });
    const id = encodeURIComponent(body.message_id);
    for (const emoji of ['👍👍👍', '👍👍', 'a', '👍 ', '🇩🇪🇫🇷', 'ok']) {
      const res = await post(`/api/messages/${id}/reaction`, { emoji });
      expect(res.status, emoji).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', fields: ['emoji'] });
      expect(res.body.error.message).toMatch(/emoji must be exactly one emoji/);
    }
    expect(session.reactions.has(body.message_id)).toBe(false);
  });

  it.each(['👍🏽', '❤️', '🇩🇪', '👨‍👩‍👧', '1️⃣'])('%s is one emoji, so it is a reaction', async (emoji) => {
    const { body } = await post('/api/send', { phone_number: '15550100001', message: 'React to me' });
    expect((await post(`/api/messages/${encodeURIComponent(body.message_id)}/reaction`, { emoji })).status).toBe(200);
    expect(session.reactions.get(body.message_id)).toBe(emoji);
  });

  it('deletes for everyone, or says clearly that WhatsApp no longer allows it', async () => {
    const a = (await post('/api/send', { phone_number: '15550100001', message: 'oops' })).body.message_id;
    const b = (await post('/api/send', { phone_number: '15550100001', message: 'old' })).body.message_id;
    session.notRevocable.add(b);
    expect((await srv.call(`/api/messages/${encodeURIComponent(a)}`, { method: 'DELETE' })).status).toBe(200);
    const refused = await srv.call(`/api/messages/${encodeURIComponent(b)}`, { method: 'DELETE' });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'REVOKE_NOT_ALLOWED', message: expect.stringMatching(/two days/) });
    expect(session.deleted).toEqual([a]);
  });

  it('forwards to a number or a group', async () => {
    const id = (await post('/api/send', { phone_number: '15550100001', message: 'Pass it on' })).body.message_id;
    const res = await post(`/api/messages/${encodeURIComponent(id)}/forward`, { group_id: GROUP });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, to: GROUP, chat_id: GROUP });
    expect(res.body.message_id).toMatch(/^true_/);
    expect(session.outgoing.at(-1)).toEqual({ kind: 'forward', chatId: GROUP, messageId: id });
  });

  it('marks a chat read by chat id or phone number', async () => {
    await post('/api/send', { phone_number: '15550100001', message: 'hi' });
    expect((await post('/api/chats/15550100001%40c.us/read', {})).body).toEqual({ ok: true, chat_id: ALICE });
    expect((await post('/api/chats/+15550100001/read', {})).status).toBe(200);
    expect((await post(`/api/chats/${encodeURIComponent(GROUP)}/read`, {})).status).toBe(200);
    expect(session.readChats).toEqual([ALICE, ALICE, GROUP]);
    expect((await post('/api/chats/15557777777/read', {})).status).toBe(404);
  });

  it('downloads media with its type and name; a message without media is a 404', async () => {
    const sent = await post('/api/send/media', { phone_number: '15550100001', media: [{ data: b64(PDF), filename: 'Résumé 2026.pdf' }] });
    const res = await fetch(`${srv.url}/api/messages/${encodeURIComponent(sent.body.message_id)}/media`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="R_sum_ 2026.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%202026.pdf`);
    expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);

    const text = await post('/api/send', { phone_number: '15550100001', message: 'no file' });
    const none = await srv.call(`/api/messages/${encodeURIComponent(text.body.message_id)}/media`);
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('NO_MEDIA');
  });
});

describe('groups, contacts, chat messages', () => {
  it('lists groups with member counts and admin flag', async () => {
    const res = await srv.call('/api/groups');
    expect(res.body).toEqual({ ok: true, count: 1, groups: [{ id: GROUP, name: 'Weekend Hike', participants: 3, is_admin: true }] });
  });

  it('searches contacts by name or number', async () => {
    expect((await srv.call('/api/contacts?query=alice')).body.contacts.map((c: { id: string }) => c.id)).toEqual([ALICE]);
    expect((await srv.call('/api/contacts?query=0100002')).body.contacts.map((c: { id: string }) => c.id)).toEqual([BOB]);
    expect((await srv.call('/api/contacts?limit=1')).body.count).toBe(1);
    expect((await srv.call('/api/contacts?limit=0')).status).toBe(400);
  });

  it('pages back through a group chat with before=', async () => {
    for (let i = 1; i <= 5; i++) await post('/api/send', { group_id: GROUP, message: `m${i}` });
    const page1 = await srv.call(`/api/chats/${encodeURIComponent(GROUP)}/messages?limit=2`);
    expect(page1.body.messages.map((m: { body: string }) => m.body)).toEqual(['m4', 'm5']);
    const page2 = await srv.call(`/api/chats/${encodeURIComponent(GROUP)}/messages?limit=2&before=${encodeURIComponent(page1.body.next_before)}`);
    expect(page2.body.messages.map((m: { body: string }) => m.body)).toEqual(['m2', 'm3']);
    const page3 = await srv.call(`/api/chats/${encodeURIComponent(GROUP)}/messages?limit=2&before=${encodeURIComponent(page2.body.next_before)}`);
    expect(page3.body).toMatchObject({ count: 1, next_before: null });
    expect((await srv.call('/api/chats/not-a-chat@x/messages')).status).toBe(400);
  });
});

describe('send pacing', () => {
  it('once the burst is spent, a send waits in the outbox (202 queued) instead of going out; it can be canceled; a full queue is a 429', async () => {
    const paced = await startTestServer({ session: freshSession(), sendPace: { perMinute: 6, burst: 2 }, syncTimeoutMs: 100, maxQueued: 1 });
    try {
      const send = () => paced.call('/api/send', { method: 'POST', json: { phone_number: '15550100001', message: 'loop' } });
      expect((await send()).status).toBe(200);
      expect((await send()).status).toBe(200);
      const third = await send();
      expect(third.status).toBe(202);
      expect(third.body).toMatchObject({ ok: true, status: 'queued', message_id: null });
      const fourth = await send();
      expect(fourth.status).toBe(429);
      expect(fourth.body.error.code).toBe('RATE_LIMITED');
      expect(Number(fourth.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((paced.session as FakeSession).outgoing).toHaveLength(2);
      // Invalid input never takes a place in the queue.
      expect((await paced.call('/api/send', { method: 'POST', json: { phone_number: '1', message: 'x' } })).status).toBe(400);
      const canceled = await paced.call(`/api/outbox/${third.body.outbox_id}`, { method: 'DELETE' });
      expect(canceled.body.entry).toMatchObject({ status: 'canceled' });
      expect((await paced.call(`/api/outbox/${third.body.outbox_id}`, { method: 'DELETE' })).body.error.code).toBe('OUTBOX_NOT_CANCELABLE');
      expect((paced.session as FakeSession).outgoing).toHaveLength(2);
    } finally {
      await paced.close();
    }
  });
});

describe('the same capabilities over MCP', () => {
  let mcp: Client;
  beforeEach(async () => {
    mcp = await connectMcp(srv.url, TOKEN);
  });
  afterEach(() => mcp.close());

  it('sends media, location and polls; reacts, forwards, deletes, marks read', async () => {
    const media = textPayload(await callTool(mcp, 'whatsapp_send_media', { phone_number: '15550100001', media: [{ data: b64(PNG), mimetype: 'image/png' }], caption: 'hi' }));
    expect(media).toMatchObject({ ok: true, chat_id: ALICE });
    expect(textPayload(await callTool(mcp, 'whatsapp_send_location', { group_id: GROUP, latitude: 1, longitude: 2 })).chat_id).toBe(GROUP);
    expect(textPayload(await callTool(mcp, 'whatsapp_send_poll', { group_id: GROUP, question: 'Q?', options: ['A', 'B'] })).ok).toBe(true);
    expect(textPayload(await callTool(mcp, 'whatsapp_react', { message_id: media.message_id, emoji: '🎉' }))).toMatchObject({ ok: true, status: 'sent' });
    expect(textPayload(await callTool(mcp, 'whatsapp_forward_message', { message_id: media.message_id, group_id: GROUP })).to).toBe(GROUP);
    expect(textPayload(await callTool(mcp, 'whatsapp_delete_message', { message_id: media.message_id }))).toEqual({ ok: true });
    expect(textPayload(await callTool(mcp, 'whatsapp_mark_read', { chat_id: '+1 555 010 0001' }))).toEqual({ ok: true, chat_id: ALICE });
    expect(session.reactions.get(media.message_id)).toBe('🎉');
  });

  it('a media send with a progressToken reports each file as it goes out; without one, no notifications', async () => {
    const progress: { progress: number; total?: number; message?: string }[] = [];
    const files = [{ data: b64(PNG), filename: 'a.png' }, { data: b64(PNG), filename: 'b.png' }, { data: b64(PDF), filename: 'c.pdf' }];
    const result = await mcp.callTool({ name: 'whatsapp_send_media', arguments: { phone_number: '15550100001', media: files } }, undefined, { onprogress: (p) => void progress.push(p) });
    expect(result.isError).toBeFalsy();
    expect(progress.map((p) => [p.progress, p.total])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(progress.every((p) => /^file \d of 3: sent$/.test(p.message ?? ''))).toBe(true);
    // Without a token: any progress notification would reach the SDK client as one for an
    // unknown token, which it reports through onerror.
    const errors: Error[] = [];
    mcp.onerror = (err) => void errors.push(err);
    await mcp.callTool({ name: 'whatsapp_send_media', arguments: { phone_number: '15550100001', media: [files[0]] } });
    expect(errors.map((e) => e.message)).toEqual([]);
  });

  it('downloads an image as MCP image content, a document as a resource', async () => {
    const photo = textPayload(await callTool(mcp, 'whatsapp_send_media', { phone_number: '15550100001', media: [{ data: b64(PNG) }] }));
    const image = await callTool(mcp, 'whatsapp_download_media', { message_id: photo.message_id });
    expect(image.content[1]).toEqual({ type: 'image', data: b64(PNG), mimeType: 'image/png' });
    expect(image.structuredContent).toMatchObject({ mimetype: 'image/png', size: PNG.length });

    const doc = textPayload(await callTool(mcp, 'whatsapp_send_media', { phone_number: '15550100001', media: [{ data: b64(PDF), filename: 'a.pdf' }] }));
    const resource = await callTool(mcp, 'whatsapp_download_media', { message_id: doc.message_id });
    expect(resource.content[1]).toMatchObject({ type: 'resource', resource: { mimeType: 'application/pdf', blob: b64(PDF) } });
  });

  it('lists groups, searches contacts, pages chat messages', async () => {
    expect(textPayload(await callTool(mcp, 'whatsapp_list_groups')).groups[0].id).toBe(GROUP);
    expect(textPayload(await callTool(mcp, 'whatsapp_search_contacts', { query: 'bob' })).contacts[0].name).toBe('Bob Stone');
    await callTool(mcp, 'whatsapp_send_message', { group_id: GROUP, message: 'hello group', mentions: ['@everyone'] });
    const page = textPayload(await callTool(mcp, 'whatsapp_get_chat_messages', { chat_id: GROUP, limit: 5 }));
    expect(page.messages.at(-1).body).toBe('hello group');
  });

  it('regression: a reaction of "👍👍👍" was accepted (whatsapp_react)', async () => {
    const id = session.store(ALICE, { body: 'React to me' });
    const result = await callTool(mcp, 'whatsapp_react', { message_id: id, emoji: '👍👍👍' });
    expect(result.isError).toBe(true);
    expect(errorText(result)).toMatch(/emoji must be exactly one emoji/);
    expect(session.reactions.has(id)).toBe(false);
  });

  it('bad input is an isError result that names the problem, and nothing goes out', async () => {
    const wrongType = await callTool(mcp, 'whatsapp_send_media', { phone_number: '15550100001', media: [{ data: b64(PDF), mimetype: 'image/png' }] });
    expect(errorText(wrongType)).toMatch(/^UNSUPPORTED_MEDIA_TYPE: /);
    const path = await callTool(mcp, 'whatsapp_send_media', { phone_number: '15550100001', media: [{ path: '/etc/passwd' }] });
    expect(errorText(path)).toMatch(/^FORBIDDEN_PATH: /);
    const both = await callTool(mcp, 'whatsapp_send_poll', { phone_number: '15550100001', group_id: GROUP, question: 'Q', options: ['a', 'b'] });
    expect(errorText(both)).toMatch(/^VALIDATION_ERROR: Give exactly one recipient/);
    expect(session.outgoing).toEqual([]);
  });
});
