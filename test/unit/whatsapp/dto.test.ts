import { describe, expect, it } from 'vitest';
import { toChatDto, toMessageDto, type MessageLike } from '../../../src/whatsapp/dto.js';

describe('DTO mapping', () => {
  it('maps a whatsapp-web.js message to exactly the seed fields', () => {
    const dto = toMessageDto({
      id: { _serialized: 'true_1555@c.us_ABC', fromMe: true },
      from: '1000@c.us',
      to: '1555@c.us',
      fromMe: true,
      type: 'chat',
      body: 'hi',
      timestamp: 1730812100,
      hasMedia: false,
    });
    expect(dto).toEqual({
      id: 'true_1555@c.us_ABC',
      from: '1000@c.us',
      to: '1555@c.us',
      author: null,
      from_me: true,
      type: 'chat',
      body: 'hi',
      timestamp: 1730812100,
      has_media: false,
      ack: null,
      quoted_message_id: null,
      mentioned_ids: [],
      media: null,
      edited: false,
      revoked: false,
      sender_phone: '1000@c.us',
      sender_lid: null,
    });
  });

  it('fills gaps with null/false/"" rather than undefined', () => {
    expect(toMessageDto({})).toEqual({
      id: null,
      from: null,
      to: null,
      author: null,
      from_me: false,
      type: null,
      body: '',
      timestamp: null,
      has_media: false,
      ack: null,
      quoted_message_id: null,
      mentioned_ids: [],
      media: null,
      edited: false,
      revoked: false,
      sender_phone: null,
      sender_lid: null,
    });
  });

  it('maps a chat with its last message', () => {
    const dto = toChatDto({
      id: { _serialized: '120363@g.us' },
      name: 'Team',
      isGroup: true,
      isReadOnly: true,
      unreadCount: 3,
      timestamp: 1730812320,
      archived: false,
      pinned: true,
      isMuted: true,
      lastMessage: { id: { _serialized: 'x' }, author: '1555@c.us', body: 'yo' },
    });
    expect(Object.keys(dto).sort()).toEqual(
      ['archived', 'id', 'is_group', 'is_read_only', 'last_message', 'muted', 'name', 'pinned', 'timestamp', 'unread_count'].sort(),
    );
    expect(dto).toMatchObject({ id: '120363@g.us', is_group: true, is_read_only: true, unread_count: 3, pinned: true, muted: true });
    expect(dto.last_message).toMatchObject({ id: 'x', author: '1555@c.us', body: 'yo' });
  });

  it('never reports a negative unread count (WhatsApp uses -1 for "marked unread")', () => {
    expect(toChatDto({ unreadCount: -1 }).unread_count).toBe(0);
  });

  it('a chat whose latest entry is a system notice (a group change, "security code changed") has no last message', () => {
    for (const type of ['gp2', 'e2e_notification', 'call_log']) expect(toChatDto({ lastMessage: { id: { _serialized: 'n' }, type, body: '' } }).last_message, type).toBeNull();
    expect(toChatDto({ lastMessage: { id: { _serialized: 'm' }, type: 'chat', body: 'hi' } }).last_message).toMatchObject({ id: 'm', body: 'hi' });
  });

  it('names the delivery state of our messages as WhatsApp Web reports it', () => {
    expect([-1, 0, 1, 2, 3, 4, 7, undefined].map((ack) => toMessageDto({ ack }).ack)).toEqual(['error', 'pending', 'sent', 'delivered', 'read', 'played', null, null]);
  });
});

describe('what a message carries for the record (issue 11)', () => {
  const ME = '15550100100@c.us';
  const ALICE = '15550100001@c.us';
  const GROUP = '120363000000000001@g.us';
  const fromAlice = (fields: MessageLike): MessageLike => ({
    id: { _serialized: `false_${ALICE}_AAA`, fromMe: false, remote: ALICE },
    from: ALICE,
    to: ME,
    fromMe: false,
    type: 'chat',
    body: 'hi',
    ...fields,
  });

  it('names the quoted message by its full id: ours in a chat, a member\'s in a group, another chat\'s', () => {
    const quotingOurs = fromAlice({ _data: { quotedStanzaID: '3EB0AB', quotedParticipant: { _serialized: ME } } });
    expect(toMessageDto(quotingOurs).quoted_message_id).toBe(`true_${ALICE}_3EB0AB`);
    const quotingHers = fromAlice({ _data: { quotedStanzaID: 'F00D', quotedParticipant: ALICE } });
    expect(toMessageDto(quotingHers).quoted_message_id).toBe(`false_${ALICE}_F00D`);
    const inGroup: MessageLike = {
      id: { _serialized: `false_${GROUP}_BBB_${ALICE}`, fromMe: false, remote: GROUP },
      from: GROUP,
      to: ME,
      author: ALICE,
      _data: { quotedStanzaID: 'C0DE', quotedParticipant: { _serialized: '15550100002@c.us' } },
    };
    expect(toMessageDto(inGroup).quoted_message_id).toBe(`false_${GROUP}_C0DE_15550100002@c.us`);
    const ourReplyElsewhere: MessageLike = {
      id: { _serialized: `true_${ALICE}_3EB0CC`, fromMe: true, remote: ALICE },
      from: ME,
      to: ALICE,
      fromMe: true,
      _data: { quotedStanzaID: 'D00D', quotedParticipant: { _serialized: ME }, quotedRemoteJid: { _serialized: GROUP } },
    };
    expect(toMessageDto(ourReplyElsewhere).quoted_message_id).toBe(`true_${GROUP}_D00D_${ME}`);
  });

  it('recognises our own quoted message when WhatsApp names us by our LID', () => {
    const people = new Map([[ME, { phone: ME, lid: '900015550100100@lid' }]]);
    const msg = fromAlice({ _data: { quotedStanzaID: '3EB0AB', quotedParticipant: '900015550100100@lid' } });
    expect(toMessageDto(msg, people).quoted_message_id).toBe(`true_${ALICE}_3EB0AB`);
  });

  it('lists mentions whether whatsapp-web.js gives wids or strings, and drops what is neither', () => {
    const msg = fromAlice({ mentionedIds: [{ _serialized: '15550100002@c.us' }, '15550100003@c.us', 42, null, { user: 'x' }] });
    expect(toMessageDto(msg).mentioned_ids).toEqual(['15550100002@c.us', '15550100003@c.us']);
  });

  it('carries the file\'s type, name and size when the message has media, and nothing otherwise', () => {
    const doc = fromAlice({ type: 'document', hasMedia: true, _data: { mimetype: 'application/pdf', filename: 'plan.pdf', size: 1234 } });
    expect(toMessageDto(doc).media).toEqual({ mimetype: 'application/pdf', filename: 'plan.pdf', size: 1234 });
    const photo = fromAlice({ type: 'image', hasMedia: true, _data: { mimetype: 'image/png', size: -1 } });
    expect(toMessageDto(photo).media).toEqual({ mimetype: 'image/png', filename: null, size: null });
    expect(toMessageDto(fromAlice({ _data: { mimetype: 'image/png' } })).media).toBeNull();
  });

  it('says whether the message was edited or deleted for everyone', () => {
    expect(toMessageDto(fromAlice({ latestEditMsgKey: { _serialized: 'false_x_EDIT' } })).edited).toBe(true);
    expect(toMessageDto(fromAlice({ _data: { latestEditSenderTimestampMs: 1_760_000_000_000 } })).edited).toBe(true);
    expect(toMessageDto(fromAlice({})).edited).toBe(false);
    expect(toMessageDto(fromAlice({ type: 'revoked', body: '' }))).toMatchObject({ revoked: true, body: '' });
  });

  it('one identity per person: a LID sender carries the phone number WhatsApp Web knows, and the other way round', () => {
    const GRACE_LID = '185000000000007@lid';
    const GRACE = '15550100007@c.us';
    const people = new Map([[GRACE_LID, { phone: GRACE, lid: GRACE_LID }]]);
    const fromLid: MessageLike = { id: { _serialized: `false_${GRACE_LID}_X`, remote: GRACE_LID }, from: GRACE_LID, to: ME };
    expect(toMessageDto(fromLid, people)).toMatchObject({ sender_phone: GRACE, sender_lid: GRACE_LID });
    expect(toMessageDto(fromLid)).toMatchObject({ sender_phone: null, sender_lid: GRACE_LID });
    const inGroup: MessageLike = { id: { _serialized: `false_${GROUP}_Y_${GRACE}`, remote: GROUP }, from: GROUP, to: ME, author: GRACE };
    expect(toMessageDto(inGroup, new Map([[GRACE, { phone: GRACE, lid: GRACE_LID }]]))).toMatchObject({ sender_phone: GRACE, sender_lid: GRACE_LID });
    const ours: MessageLike = { id: { _serialized: `true_${ALICE}_Z`, fromMe: true }, from: ME, to: ALICE, fromMe: true };
    expect(toMessageDto(ours)).toMatchObject({ sender_phone: ME, sender_lid: null });
  });
});
