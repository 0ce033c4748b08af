// Message content: what WhatsApp's servers keep of a message (the account's record, see
// account.js) and the attributes WhatsApp Web's message model shows for it. Records hold
// plain values only, so that they can be saved in IndexedDB: the ids in them (mentions,
// the quoted message's sender) are strings.

// Copied between a message model and its record as they are. Text messages have a body;
// the others a type and the fields of that type.
const CONTENT_ATTRS = [
  'type',
  'subtype',
  'body',
  'caption',
  // media (media.js): the file is on the media server under directPath, unlocked by mediaKey
  'mimetype',
  'filename',
  'size',
  'filehash',
  'encFilehash',
  'directPath',
  'mediaKey',
  'mediaKeyTimestamp',
  'clientUrl',
  'deprecatedMms3Url',
  'uploadhash',
  'isViewOnce',
  'isGif',
  'waveform',
  // location: `loc` is "name\naddress"
  'loc',
  'lat',
  'lng',
  // poll
  'pollName',
  'pollOptions',
  'pollSelectableOptionsCount',
  'messageSecret',
  // link preview (subtype 'url')
  'title',
  'description',
  'canonicalUrl',
  'matchedText',
  // replies and forwards
  'quotedMsg',
  'quotedStanzaID',
  'isForwarded',
  'forwardingScore',
];
const WID_ATTRS = ['quotedParticipant', 'quotedRemoteJid'];
// A sender's edit (contact-actions.js): the key of the edit they sent, and when. Not content:
// a forward does not copy them. Records keep the key as plain fields.
const EDIT_ATTRS = ['latestEditMsgKey', 'latestEditSenderTimestampMs'];
const MEDIA_MSG_TYPES = new Set(['image', 'video', 'audio', 'ptt', 'document', 'sticker']);
// What a reply shows of the message it quotes.
const QUOTED_ATTRS = ['type', 'body', 'caption', 'mimetype', 'filename', 'loc', 'lat', 'lng', 'pollName', 'pollOptions'];

// What the server keeps of a message this client sends (msgData: what WhatsApp Web hands
// to addAndSendMsgToChat).
function recordFromMsgData(msgData) {
  const record = { id: msgData.id.id, fromMe: true, t: msgData.t, ack: msgData.ack };
  for (const key of CONTENT_ATTRS) if (msgData[key] !== undefined) record[key] = msgData[key];
  for (const key of WID_ATTRS) if (msgData[key]) record[key] = msgData[key]._serialized;
  if (msgData.mentionedJidList && msgData.mentionedJidList.length) {
    record.mentionedJidList = msgData.mentionedJidList.map((wid) => wid._serialized);
  }
  return record;
}

// The content attributes of the model WhatsApp Web makes from a record.
function contentAttrs(record) {
  const attrs = { type: 'chat', isForwarded: false, forwardingScore: 0, mentionedJidList: [], groupMentions: [] };
  for (const key of CONTENT_ATTRS) if (record[key] !== undefined) attrs[key] = record[key];
  for (const key of WID_ATTRS) if (record[key]) attrs[key] = createWid(record[key]);
  if (record.mentionedJidList) attrs.mentionedJidList = record.mentionedJidList.map(createWid);
  // Group notifications (groups.js): who joined, left or was added.
  if (record.recipients) attrs.recipients = record.recipients.map(createWid);
  if (record.latestEditMsgKey) {
    const { fromMe, remote, id, participant } = record.latestEditMsgKey;
    attrs.latestEditMsgKey = new MsgKey({ fromMe, remote: createWid(remote), id, participant: participant ? createWid(participant) : undefined });
    attrs.latestEditSenderTimestampMs = record.latestEditSenderTimestampMs;
  }
  attrs.hasReaction = Object.keys(record.reactions || {}).length > 0;
  return attrs;
}

function quotedContent(msg) {
  const quoted = {};
  for (const key of QUOTED_ATTRS) if (msg[key] !== undefined) quoted[key] = msg[key];
  return quoted;
}

// A message id as whatsapp-web.js serializes it: fromMe_chat_id, plus the sender in groups.
function serializedMessageId(accountChat, record) {
  const base = `${record.fromMe}_${accountChat.id}_${record.id}`;
  if (!accountChat.isGroup) return base;
  return `${base}_${record.fromMe ? account.me.user : record.author}@c.us`;
}

function findRecord(accountChat, id) {
  const messages = accountChat.messages;
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].id === id) return messages[i];
  return undefined;
}

// The record behind a serialized message id, with its chat; null if there is none.
function findRecordById(serializedId) {
  const [, remote, id] = String(serializedId).split('_');
  const accountChat = account.chats.get(remote);
  const record = accountChat && findRecord(accountChat, id);
  return record ? { accountChat, record } : null;
}

// What WhatsApp holds for a message, as a test or the demo reads it (SimulatedMessage in index.ts).
function describeMessage(accountChat, record) {
  const type = record.type || 'chat';
  const quotedChat = record.quotedStanzaID && account.chats.get(record.quotedRemoteJid || accountChat.id);
  const quoted = quotedChat && findRecord(quotedChat, record.quotedStanzaID);
  return {
    id: serializedMessageId(accountChat, record),
    chatId: accountChat.id,
    fromMe: record.fromMe,
    author: accountChat.isGroup ? `${record.fromMe ? account.me.user : record.author}@c.us` : null,
    type,
    body: record.body || '',
    caption: record.caption ?? null,
    t: record.t,
    ack: record.ack,
    quotedId: quoted ? serializedMessageId(quotedChat, quoted) : null,
    mentions: record.mentionedJidList || [],
    // whatsapp-web.js drops canonicalUrl (bots ignore messages with one); matchedText is the link.
    linkPreview: record.subtype === 'url' ? { title: record.title, description: record.description, url: record.matchedText } : null,
    media: record.directPath
      ? {
          mimetype: record.mimetype,
          filename: record.filename ?? null,
          size: record.size,
          filehash: record.filehash,
          viewOnce: Boolean(record.isViewOnce),
          gif: Boolean(record.isGif),
        }
      : null,
    location: type === 'location' ? { latitude: record.lat, longitude: record.lng, description: record.loc || null } : null,
    poll:
      type === 'poll_creation'
        ? { name: record.pollName, options: record.pollOptions.map((o) => o.name), selectableCount: record.pollSelectableOptionsCount }
        : null,
    reactions: Object.entries(record.reactions || {}).map(([sender, r]) => ({ sender, emoji: r.emoji })),
    votes:
      type === 'poll_creation'
        ? Object.entries(record.votes || {}).map(([voter, v]) => ({ voter, options: v.selected.map((localId) => record.pollOptions[localId].name) }))
        : [],
    edited: Boolean(record.latestEditMsgKey),
    revoked: type === 'revoked' ? record.subtype.replace(/_revoke$/, '') : null,
    forwarded: Boolean(record.isForwarded),
    forwardingScore: record.forwardingScore || 0,
    deletedForMe: Boolean(record.deletedForMe),
  };
}

// Replies: whatsapp-web.js asks whether a message can be quoted and copies its context info.
defineModule('WAWebMsgReply', () => ({
  canReplyMsg: (msg) => !msg.isNotification && msg.type !== 'revoked',
}));

// message.getQuotedMessage(): the quoted message itself if it is still there, else what the
// reply carries of it.
defineModule('WAWebQuotedMsgModelUtils', () => ({
  getQuotedMsgObj(msg) {
    if (!msg.quotedStanzaID) return null;
    const remote = msg.quotedRemoteJid || msg.id.remote;
    const fromMe = [meWid()._serialized, meLidWid()._serialized].includes(msg.quotedParticipant._serialized);
    const participant = remote.isGroup() ? msg.quotedParticipant : undefined;
    const key = new MsgKey({ fromMe, remote, id: msg.quotedStanzaID, participant });
    return (
      findMessageById(key._serialized) ||
      new MsgModel({ ...msg.quotedMsg, id: key, from: fromMe ? meWid() : msg.quotedParticipant, to: fromMe ? remote : meWid() })
    );
  },
}));

// WhatsApp Web fetches a preview of the first link through WhatsApp's servers. The simulator
// has no network: it makes one up from the URL, so that a preview visibly arrives or not.
defineModule('WAWebLinkPreviewChatAction', () => ({
  getLinkPreview(link) {
    let url;
    try {
      url = new URL(link.href);
    } catch {
      return Promise.resolve(null);
    }
    return Promise.resolve({
      data: {
        title: url.hostname,
        description: `${link.href} (a preview made up by the WhatsApp Web simulator)`,
        canonicalUrl: link.href,
        matchedText: link.url,
      },
    });
  },
}));
