// The actions whatsapp-web.js calls to find chats, send, mark as seen and page through
// history, plus the delivery of messages the account receives. What can be done to a
// message once it exists (react, revoke, forward) is in message-actions.js.

// What happens to a message we send by itself. Read (3) and played (4) come only when the
// contact reads the chat or listens (contactReads()).
const ACK_STEPS_MS = [
  [1, 100], // the server accepted the message
  [2, 300], // the recipient's phone received it
];
const ACK_DELIVERED = 2;
const ACK_READ = 3;
const ACK_PLAYED = 4;

// What reached the account while the socket was down (new messages, changes to messages,
// group changes), applied to WhatsApp Web on reconnect.
const queuedDeliveries = [];

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

defineModule('WAWebFindChatAction', () => ({
  async findOrCreateLatestChat(requested) {
    // The chat of a person WhatsApp addresses by LID is their LID's, also asked by number.
    const lid = requested.server === 'c.us' && lidUserOf(requested.user);
    const wid = lid ? createWid(`${lid}@lid`) : requested;
    const existing = collections.Chat.get(wid);
    if (existing) return { chat: existing, created: false };
    if (!wid.isUser() || (wid.isLid() && !phoneUserOf(wid._serialized))) {
      throw new Error(`findOrCreateLatestChat: ${wid} is not a chat of this account`);
    }
    // A 1:1 chat needs the number's LID, which WhatsApp only has for numbers on WhatsApp;
    // for the others it fails with exactly this error.
    if (!wid.isLid() && !isRegistered(wid.user)) throw new Error('No LID for user');
    let accountChat = account.chats.get(wid._serialized);
    if (!accountChat) {
      accountChat = addAccountChat({ id: wid._serialized });
      saveActivity(accountChat);
    }
    const chat = materializeChat(accountChat);
    collections.Chat.add(chat);
    return { chat, created: true };
  },
}));

// holdSends(): WhatsApp accepts (and keeps) what is sent, but the send does not return to
// whatsapp-web.js until releaseSends(): the moment between "sent" and "the caller knows",
// in which a browser that dies leaves the caller not knowing. heldSend() reports the first.
const sendHold = { released: null, release: null, heldIds: [], waiting: [] };

function holdSends() {
  if (!sendHold.released) sendHold.released = new Promise((resolve) => (sendHold.release = resolve));
}

function releaseSends() {
  if (sendHold.release) sendHold.release();
  Object.assign(sendHold, { released: null, release: null, heldIds: [] });
}

function heldSend() {
  if (!sendHold.released) return Promise.reject(new Error('heldSend(): sends are not held; call holdSends() first'));
  if (sendHold.heldIds.length) return Promise.resolve(sendHold.heldIds[0]);
  return new Promise((resolve) => sendHold.waiting.push(resolve));
}

function untilReleased(msg) {
  if (!sendHold.released) return Promise.resolve();
  sendHold.heldIds.push(msg.id._serialized);
  for (const resolve of sendHold.waiting.splice(0)) resolve(msg.id._serialized);
  return sendHold.released;
}

// What the simulated server accepts from this client; anything else (stickers, vCards,
// events, buttons, ...) fails loudly.
const SENDABLE_TYPES = new Set(['chat', 'image', 'video', 'audio', 'ptt', 'document', 'location', 'poll_creation']);

defineModule('WAWebSendMsgChatAction', () => ({
  // Returns [added, sent]: the message is in the chat at once, sent once the server acks it.
  addAndSendMsgToChat(chat, msgData) {
    if (!SENDABLE_TYPES.has(msgData.type)) {
      throw new Error(`addAndSendMsgToChat: "${msgData.type}" messages are not simulated`);
    }
    if (MEDIA_MSG_TYPES.has(msgData.type) && !msgData.directPath) {
      throw new Error('addAndSendMsgToChat: a media message needs its upload (directPath) first');
    }
    const [msg, sent, saved] = addOutgoing(chat, msgData);
    return [saved.then(() => untilReleased(msg)).then(() => msg), sent];
  },
}));

// A message this client sends (or forwards) enters the chat and the account's history.
function addOutgoing(chat, msgData) {
  const msg = new MsgModel(msgData);
  const record = recordFromMsgData(msgData);
  chat.accountChat.messages.push(record);
  chat.accountChat.t = record.t;
  const saved = saveActivity(chat.accountChat, record);
  chat.msgs.add(msg);
  collections.Msg.add(msg); // whatsapp-web.js emits message_create here
  chat.set({ t: msg.t, lastReceivedKey: msg.id });
  collections.Chat.bump(chat);
  return [msg, progressAcks(msg, chat.accountChat, record), saved];
}

async function progressAcks(msg, accountChat, record) {
  let sendResult;
  for (const [ack, wait] of ACK_STEPS_MS) {
    await delay(wait);
    await whenConnected();
    if (raiseAck(accountChat, record, ack)) raiseModelAck(msg, ack);
    if (ack === 1) sendResult = { messageSendResult: 'OK', t: msg.t };
  }
  return sendResult;
}

// Acks only go up: a late step never takes back a receipt that is already there.
function raiseAck(accountChat, record, ack) {
  if ((record.ack ?? 0) >= ack) return false;
  record.ack = ack;
  saveActivity(accountChat, record);
  return true;
}

function raiseModelAck(msg, ack) {
  if (msg && (msg.ack ?? 0) < ack) msg.ack = ack; // whatsapp-web.js emits message_ack here
}

// The contact (in a group: every member) opens the chat on their phone: our messages that
// reached it become read; with `played`, our voice notes are listened to as well. WhatsApp's
// servers have the receipts at once, so the history keeps them; this device gets them, as
// message_ack, while its socket is connected (on reconnect otherwise). Messages still on
// their way (not yet delivered) are not on that phone, so they stay as they are.
function readByContact(accountChat, played) {
  const raised = [];
  for (const record of accountChat.messages) {
    if (!record.fromMe || record.type === 'revoked' || (record.ack ?? 0) < ACK_DELIVERED) continue;
    const ack = played && record.type === 'ptt' ? ACK_PLAYED : ACK_READ;
    if (raiseAck(accountChat, record, ack)) raised.push([serializedMessageId(accountChat, record), ack]);
  }
  if (raised.length) {
    whenConnected().then(() => {
      // Only messages loaded in WhatsApp Web have a model; the others load with the record's ack.
      for (const [id, ack] of raised) raiseModelAck(collections.Msg.get(id), ack);
    });
  }
  return raised.length;
}

defineModule('WAWebUpdateUnreadChatAction', () => ({
  sendSeen({ chat }) {
    chat.unreadCount = 0;
    // The phone learns that the chat was read, and so does the history it syncs back.
    chat.accountChat.unreadCount = 0;
    saveActivity(chat.accountChat);
    return Promise.resolve();
  },
}));

defineModule('WAWebChatLoadMessages', () => ({
  loadEarlierMsgs({ chat }) {
    return Promise.resolve(loadEarlierMsgs(chat));
  },
}));

// whatsapp-web.js's syncHistory asks the phone for a chat's older messages
// (sendPeerDataOperationRequest type 3, history sync on demand) when the chat says it holds
// more (endOfHistoryTransferType 0). The phone answers a moment later with a page of them as
// a history sync: WhatsApp Web can then load them; the chat says whether more remain.
const PEER_DATA_HISTORY_SYNC_ON_DEMAND = 3;
const ON_DEMAND_SYNC_PAGE = 50;
const PHONE_ANSWER_MS = 150;
const onDemandSync = { requests: 0 };

defineModule('WAWebSendNonMessageDataRequest', () => ({
  sendPeerDataOperationRequest(type, { chatId }) {
    if (type !== PEER_DATA_HISTORY_SYNC_ON_DEMAND) return Promise.reject(new Error(`sendPeerDataOperationRequest: type ${type} is not simulated`));
    const chat = collections.Chat.get(chatId);
    if (!chat) return Promise.reject(new Error(`sendPeerDataOperationRequest: no chat ${chatId}`));
    onDemandSync.requests += 1;
    const accountChat = chat.accountChat;
    delay(PHONE_ANSWER_MS)
      .then(whenConnected)
      .then(() => {
        accountChat.phoneOnly = Math.max(0, phoneOnly(accountChat) - ON_DEMAND_SYNC_PAGE);
        chat.endOfHistoryTransferType = accountChat.phoneOnly > 0 ? 0 : 1;
      });
    return Promise.resolve();
  },
}));

// Older messages that only the phone holds: `count` of them before the chat's oldest.
// Like seed(), they live in this page only.
function addOlderOnPhone({ chat, count }) {
  const chatId = PHONE_NUMBER.test(String(chat)) ? personalChatId(String(chat)) : String(chat);
  const accountChat = account.chats.get(chatId);
  if (!accountChat) throw refuse('CHAT_NOT_FOUND', `The account has no chat ${chat}.`);
  if (!Number.isInteger(count) || count < 1 || count > 100_000) throw refuse('VALIDATION_ERROR', `olderOnPhone(): "count" must be 1-100000, got ${count}`);
  const oldest = accountChat.messages[0] ? accountChat.messages[0].t : nowSeconds();
  const members = accountChat.isGroup ? accountChat.group.participants.map((p) => p.user).filter((u) => u !== 'me') : [];
  const older = Array.from({ length: count }, (_, i) => {
    const fromMe = i % 2 === 1;
    const author = accountChat.isGroup && !fromMe ? members[i % members.length] : undefined;
    return { id: generatedMessageId(fromMe), fromMe, t: oldest - (count - i) * 60, body: `Older message ${i + 1} of ${count}, on the phone`, ack: fromMe ? 3 : 1, author };
  });
  accountChat.messages.unshift(...older);
  accountChat.phoneOnly = phoneOnly(accountChat) + count;
  const model = collections.Chat.get(chatId);
  if (model) {
    model.loadedFrom += count;
    model.endOfHistoryTransferType = 0;
  }
  return older.map((record) => serializedMessageId(accountChat, record));
}

defineModule('WAWebChatGetters', () => ({
  getIsNewsletter: (chat) => chat.id.isNewsletter(),
  getIsBroadcast: (chat) => chat.id.isBroadcast(),
}));

const LINK_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>"]+/gi;

function findLinks(text) {
  if (typeof text !== 'string') return [];
  return Array.from(text.matchAll(LINK_PATTERN), ([url]) => ({
    url,
    href: url.startsWith('www.') ? `http://${url}` : url,
  }));
}

defineModule('WALinkify', () => ({
  findLinks,
  findLink: (text) => findLinks(text)[0] || null,
}));

// Disappearing messages are not simulated: no chat has a timer.
defineModule('WAWebGetEphemeralFieldsMsgActionsUtils', () => ({
  getEphemeralFields: () => ({}),
}));

defineModule('WAWebQueryExistsJob', () => ({
  queryWidExists(wid) {
    return Promise.resolve(isRegistered(wid.user) ? { wid, biz: false } : null);
  },
}));

defineModule('WAWebLidMigrationUtils', () => ({
  toPn(wid) {
    return wid.isLid() ? alternateWid(wid) : wid;
  },
}));

// whatsapp-web.js overwrites isPlaceholderMessageResendEnabled to recover undecryptable
// messages; the simulator never produces those.
defineModule('WAWebSyncGatingUtils', () => ({ isPlaceholderMessageResendEnabled: () => false }));

// A message from a contact (or, with `group`, from a member of that group) reaches the
// account; with `media`, a file their phone uploaded, and `body` is its caption.
async function receiveMessage({ from, body, pushname, group, media }) {
  const chatId = group || personalChatId(from);
  if (group && !account.chats.has(chatId)) throw new Error(`incoming(): no group ${group} on this account`);
  const content = media ? { ...(await incomingMediaRecord(media)), ...(body ? { caption: body } : {}) } : { body };
  const known = account.contacts.get(from) || {};
  if (pushname) learnPushname(from, pushname);
  return addRecord(chatId, {
    id: phoneMessageId(),
    fromMe: false,
    t: nowSeconds(),
    ...content,
    ack: 1,
    author: group ? from : undefined,
    notifyName: pushname || known.pushname,
  });
}

// The sender's WhatsApp name, as their message carries it.
function learnPushname(user, pushname) {
  account.contacts.set(user, { ...account.contacts.get(user), pushname });
  for (const id of [`${user}@c.us`, personalChatId(user)]) {
    const contact = collections.Contact.get(id);
    if (contact) contact.pushname = pushname;
  }
}

// A new message of the account (a contact's, a group notification, or ours sent from the
// phone) is kept by the server, then reaches WhatsApp Web. `prepare` runs just before it
// does (a group notification updates the group first). Resolves with its serialized id.
async function addRecord(chatId, record, prepare) {
  const accountChat = account.chats.get(chatId) || addAccountChat({ id: chatId });
  accountChat.messages.push(record);
  accountChat.t = record.t;
  if (countsAsUnread(record)) accountChat.unreadCount += 1;
  await saveActivity(accountChat, record);
  const index = accountChat.messages.length - 1;
  whenOnline(() => {
    if (prepare) prepare();
    deliver(accountChat, index);
  });
  return serializedMessageId(accountChat, record);
}

const countsAsUnread = (record) => !record.fromMe && !NOTIFICATION_TYPES.has(record.type || 'chat');

// What the server has for this device reaches WhatsApp Web at once while connected, on
// reconnect otherwise; before the history sync it simply becomes part of that history.
function whenOnline(apply) {
  if (!Socket.hasSynced) return;
  if (Socket.state === 'CONNECTED') apply();
  else queuedDeliveries.push(apply);
}

function deliver(accountChat, index) {
  let chat = collections.Chat.get(accountChat.id);
  if (!chat) {
    // A chat this message starts (addRecord created it): nothing was unread before.
    chat = materializeChat(accountChat, index);
    chat.unreadCount = 0;
    collections.Chat.add(chat);
  }
  const record = accountChat.messages[index];
  const msg = msgFromRecord(chat, record, true);
  chat.msgs.add(msg);
  collections.Msg.add(msg); // whatsapp-web.js emits 'message' and 'message_create' here (group notifications: group_*)
  chat.set({ t: msg.t, unreadCount: chat.unreadCount + (countsAsUnread(record) ? 1 : 0), lastReceivedKey: msg.id });
  collections.Chat.bump(chat);
  // What the phone sent reaches its recipient and is read, as what this device sends.
  if (record.fromMe) progressAcks(msg, accountChat, record);
}

function deliverQueued() {
  for (const apply of queuedDeliveries.splice(0)) apply();
}
