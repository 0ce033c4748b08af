// What the other side does to the account: contacts edit, delete for everyone, react and
// vote; the account's own phone sends a message; someone calls. Each change reaches the
// server's record at once (so the history keeps it) and WhatsApp Web's models the way
// WhatsApp Web applies it, so that whatsapp-web.js's own listeners report it: Msg
// `change:body` (message_edit), `change:type` (message_revoke_everyone), the reaction and
// poll-vote tables (message_reaction, vote_update), Msg `add` (message_create), the call
// collection's Map (call). While the socket is down, models change on reconnect.

// WhatsApp lets a sender edit a message for 15 minutes.
const EDIT_WINDOW_S = 15 * 60;
// How long a call rings before it is missed.
const CALL_RING_MS = 45_000;

// An action the simulated person cannot take now; `code` becomes the Node side's error code
// (callSimulator in page-scripts.ts hands it over).
function refuse(code, message) {
  const error = new Error(message);
  error.refusal = code;
  return error;
}

function existingMessage(id) {
  const found = findRecordById(id);
  if (!found) throw refuse('MESSAGE_NOT_FOUND', `There is no message ${id} on this account.`);
  return found;
}

const isLiveRecord = (record) => record.type !== 'revoked' && !NOTIFICATION_TYPES.has(record.type || 'chat');

// The phone user who wrote a record (null for our own).
function senderUser(accountChat, record) {
  if (record.fromMe) return null;
  return accountChat.isGroup ? record.author : phoneUserOf(accountChat.id);
}

function isMember(accountChat, user) {
  if (!accountChat.isGroup) return phoneUserOf(accountChat.id) === user;
  return Boolean(accountChat.group && accountChat.group.participants.some((p) => participantUser(p.user) === user));
}

function isGroupAdminUser(accountChat, user) {
  return Boolean(accountChat.group && accountChat.group.participants.some((p) => participantUser(p.user) === user && (p.isAdmin || p.isSuperAdmin)));
}

function assertMember(accountChat, user) {
  if (!isMember(accountChat, user)) throw refuse('SIMULATOR_REFUSED', `${user} is not in the chat ${accountChat.id}, so they cannot do that there.`);
}

// How a person shows in a chat: by LID in their own chat when WhatsApp addresses them so.
function personWidIn(accountChat, user) {
  return !accountChat.isGroup && accountChat.id.endsWith('@lid') ? createWid(accountChat.id) : userWid(user);
}

// A key for what `user` sends about a message (an edit, a reaction, a vote).
function keyFrom(accountChat, user) {
  const remote = createWid(accountChat.id);
  return new MsgKey({ fromMe: false, remote, id: phoneMessageId(), participant: accountChat.isGroup ? userWid(user) : undefined });
}

// The sender edits a text (or a caption) they sent less than 15 minutes ago.
function editMessage({ id, body }) {
  const { accountChat, record } = existingMessage(id);
  if (record.fromMe) throw refuse('SIMULATOR_REFUSED', 'That message is yours: a contact can only edit their own messages.');
  if (!isLiveRecord(record)) throw refuse('SIMULATOR_REFUSED', `A ${record.type} message cannot be edited.`);
  const field = (record.type || 'chat') === 'chat' ? 'body' : MEDIA_MSG_TYPES.has(record.type) ? 'caption' : null;
  if (!field) throw refuse('SIMULATOR_REFUSED', `A ${record.type} message cannot be edited; only texts and captions can.`);
  const age = nowSeconds() - record.t;
  if (age > EDIT_WINDOW_S) throw refuse('SIMULATOR_REFUSED', `WhatsApp lets a sender edit a message for 15 minutes; this one is ${Math.round(age / 60)} minutes old.`);
  const key = keyFrom(accountChat, senderUser(accountChat, record));
  record[field] = body;
  record.latestEditMsgKey = { fromMe: false, remote: key.remote._serialized, id: key.id, participant: key.participant && key.participant._serialized };
  record.latestEditSenderTimestampMs = Date.now();
  saveActivity(accountChat, record);
  whenOnline(() => {
    const msg = findMessageById(id);
    const { latestEditMsgKey, latestEditSenderTimestampMs } = contentAttrs(record);
    // One set(): the edit's key is there when change:body reaches whatsapp-web.js.
    if (msg) msg.set({ latestEditMsgKey, latestEditSenderTimestampMs, [field]: body });
  });
}

// The sender deletes their message for everyone (within about two days), or `by`, an admin
// of the group, deletes a member's message.
function revokeFromContact({ id, by }) {
  const { accountChat, record } = existingMessage(id);
  if (record.fromMe) throw refuse('SIMULATOR_REFUSED', 'That message is yours: delete it through WhatsApp Web (message.delete(true)).');
  if (record.type === 'revoked') throw refuse('MESSAGE_ALREADY_DELETED', `Message ${id} was already deleted for everyone.`);
  if (!isLiveRecord(record)) throw refuse('SIMULATOR_REFUSED', `A ${record.type} cannot be deleted for everyone.`);
  const sender = senderUser(accountChat, record);
  const who = by == null ? sender : String(by);
  let subtype;
  if (who === sender) {
    if (nowSeconds() - record.t > SENDER_REVOKE_WINDOW_S) throw refuse('REVOKE_NOT_ALLOWED', 'WhatsApp lets a sender delete a message for everyone for about two days; this one is older.');
    subtype = 'sender_revoke';
  } else if (accountChat.isGroup && isGroupAdminUser(accountChat, who)) {
    subtype = 'admin_revoke';
  } else {
    throw refuse('REVOKE_NOT_ALLOWED', `${who} did not write message ${id} and is not an admin of its group, so they cannot delete it for everyone.`);
  }
  revokeRecord(accountChat, record, subtype);
  whenOnline(() => {
    const msg = findMessageById(id);
    if (msg && msg.type !== 'revoked') revokeModel(msg, subtype);
  });
}

// `from` reacts to a message of a chat they are in; '' takes their reaction back.
function reactFromContact({ id, from, emoji }) {
  const { accountChat, record } = existingMessage(id);
  if (!isLiveRecord(record)) throw refuse('SIMULATOR_REFUSED', `Nobody can react to a ${record.type} message.`);
  const user = String(from);
  assertMember(accountChat, user);
  const sender = personWidIn(accountChat, user);
  const key = keyFrom(accountChat, user);
  const reactions = { ...record.reactions };
  if (emoji) reactions[sender._serialized] = { emoji, t: Date.now(), id: key._serialized };
  else delete reactions[sender._serialized];
  record.reactions = reactions;
  saveActivity(accountChat, record);
  whenOnline(() => {
    const msg = findMessageById(id);
    if (!msg) return;
    msg.hasReaction = Object.keys(record.reactions || {}).length > 0;
    const by = accountChat.isGroup ? { author: sender, from: createWid(accountChat.id) } : { from: sender };
    requireModule('WAWebAddonReactionTableMode').reactionTableMode.bulkUpsert([
      { id: key, reactionParentKey: msg.id, reactionText: emoji, reactionTimestamp: Date.now(), ...by, orphan: 0, read: false, ack: 1 },
    ]);
  });
}

// `from` votes in a poll: `options` (names) is their whole choice; [] withdraws their vote.
function voteFromContact({ id, from, options }) {
  const { accountChat, record } = existingMessage(id);
  if (record.type !== 'poll_creation') throw refuse('SIMULATOR_REFUSED', `Message ${id} is not a poll.`);
  const user = String(from);
  assertMember(accountChat, user);
  const names = Array.isArray(options) ? options.map(String) : [];
  const localIds = names.map((name) => {
    const option = record.pollOptions.find((o) => o.name === name);
    if (!option) throw refuse('VALIDATION_ERROR', `The poll has no option "${name}"; it has ${record.pollOptions.map((o) => `"${o.name}"`).join(', ')}.`);
    return option.localId;
  });
  if (new Set(localIds).size !== localIds.length) throw refuse('VALIDATION_ERROR', 'Each option can be chosen once.');
  if (record.pollSelectableOptionsCount === 1 && localIds.length > 1) throw refuse('VALIDATION_ERROR', 'This poll allows one answer only.');
  const voter = personWidIn(accountChat, user);
  const votes = { ...record.votes };
  if (localIds.length) votes[voter._serialized] = { selected: localIds, t: Date.now() };
  else delete votes[voter._serialized];
  record.votes = votes;
  saveActivity(accountChat, record);
  whenOnline(() => {
    const msg = findMessageById(id);
    if (!msg) return;
    const t = Date.now();
    const by = accountChat.isGroup ? { author: voter, from: createWid(accountChat.id) } : { from: voter };
    requireModule('WAWebAddonPollVoteTableMode').pollVoteTableMode.bulkUpsert([
      { id: keyFrom(accountChat, user), pollUpdateParentKey: msg.id, t, senderTimestampMs: t, selectedOptionLocalIds: localIds, ...by },
    ]);
  });
}

// whatsapp-web.js hooks this table to emit vote_update.
defineModule('WAWebAddonPollVoteTableMode', () => ({
  pollVoteTableMode: { bulkUpsert: (rows) => Promise.resolve(rows) },
}));

// The account's own phone sends a text: another device of ours, so WhatsApp Web gets it as
// a new message of ours (message_create), then its acks.
function sendFromPhone({ to, body }) {
  const target = String(to);
  let chatId;
  if (target.endsWith('@g.us')) {
    if (!account.chats.has(target)) throw refuse('GROUP_NOT_FOUND', `The account has no group ${target}.`);
    chatId = target;
  } else {
    const user = target.replace(/@c\.us$/, '');
    if (!isRegistered(user)) throw refuse('CHAT_NOT_FOUND', `${user} is not on WhatsApp.`);
    if (user === account.me.user) throw refuse('VALIDATION_ERROR', 'The phone writes to someone else, not to its own number.');
    chatId = personalChatId(user);
  }
  return addRecord(chatId, { id: phoneMessageId(), fromMe: true, t: nowSeconds(), body, ack: 1 });
}

// Calls: WhatsApp Web keeps the ringing ones in WAWebCallCollection, whose internal Map
// whatsapp-web.js hooks (Client.attachEventListeners) to emit `call`.
class CallModel extends Model {}
defineProps(CallModel, ['id', 'peerJid', 'isVideo', 'isGroup', 'canHandleLocally', 'outgoing', 'webClientShouldHandle', 'participants', 'offerTime']);
defineModule('WAWebCallCollection', () => new Collection());

function ringFrom({ from, video, group }) {
  const user = String(from);
  if (!isRegistered(user)) throw refuse('VALIDATION_ERROR', `${user} is not on WhatsApp.`);
  if (Socket.state !== 'CONNECTED' || !Socket.hasSynced) {
    throw refuse('SIMULATOR_REFUSED', `WhatsApp Web is not connected (socket ${Socket.state}): a call reaches it only while it is.`);
  }
  const calls = requireModule('WAWebCallCollection');
  const call = new CallModel({
    id: randomHex(16),
    peerJid: createWid(personalChatId(user)),
    isVideo: Boolean(video),
    isGroup: Boolean(group),
    canHandleLocally: false,
    outgoing: false,
    webClientShouldHandle: false,
    participants: [],
    offerTime: nowSeconds(),
  });
  calls.add(call);
  setTimeout(() => calls.remove(call), CALL_RING_MS);
  return call.id;
}

// System notices WhatsApp puts in a chat: nobody wrote them, yet WhatsApp Web adds them to
// the Msg collection as new messages, and whatsapp-web.js emits message_create and message
// for them (all but gp2, which are group notifications: groups.js).
const SYSTEM_NOTICES = {
  e2e_notification: 'encrypt', // "Messages are end-to-end encrypted", or 'identity': "security code changed"
  notification_template: 'disappearing_mode',
  notification: 'ephemeral_setting',
  call_log: 'miss', // "Missed voice call"
  protocol: 'ephemeral_setting',
};

// `chat`: a chat id of the account, or a person's phone number (their 1:1 chat).
function addSystemNotice({ chat, type, subtype }) {
  if (!Object.hasOwn(SYSTEM_NOTICES, type)) {
    throw refuse('VALIDATION_ERROR', `systemNotice(): "type" must be one of ${Object.keys(SYSTEM_NOTICES).join(', ')}, got "${type}"`);
  }
  const chatId = PHONE_NUMBER.test(String(chat)) ? personalChatId(String(chat)) : String(chat);
  if (!account.chats.has(chatId)) throw refuse('CHAT_NOT_FOUND', `The account has no chat ${chat}.`);
  const record = { id: phoneMessageId(), fromMe: false, t: nowSeconds(), type, subtype: subtype || SYSTEM_NOTICES[type], body: '' };
  return addRecord(chatId, record);
}
