// WhatsApp Web's client-side store: the models and collections whatsapp-web.js reads
// through WAWebCollections, filled from the account (account.js) by the history sync.
// A chat starts with only its newest message loaded (the chat-list preview); older ones
// are loaded in pages by loadEarlierMsgs, as in WhatsApp.

const EARLIER_MSGS_PAGE = 50;
const NOTIFICATION_TYPES = new Set(['gp2', 'notification', 'notification_template', 'e2e_notification', 'call_log', 'protocol']);

class MsgModel extends Model {
  get isNotification() {
    return NOTIFICATION_TYPES.has(this.type);
  }

  get isEphemeral() {
    return false;
  }

  get isStatusV3() {
    return this.id.remote.isStatus();
  }

  // WhatsApp Web's models hide some members behind a proxy; unsafe() is the model itself.
  unsafe() {
    return this;
  }

  // What a reply to this message carries of it (content.js).
  msgContextInfo(chat) {
    const info = { quotedMsg: quotedContent(this), quotedStanzaID: this.id.id, quotedParticipant: this.author || this.from };
    if (chat.id._serialized !== this.id.remote._serialized) info.quotedRemoteJid = this.id.remote;
    return info;
  }

  // The media of a message with a file (media.js); a file this device sent is already here.
  get mediaData() {
    if (!this.directPath) return undefined;
    if (!this._mediaData) this._mediaData = new MediaDataModel({ type: this.type, mimetype: this.mimetype, mediaStage: this.local ? 'RESOLVED' : 'INIT' });
    return this._mediaData;
  }

  get mediaObject() {
    return this.directPath ? requireModule('WAWebMediaStorage').getOrCreateMediaObject(this.filehash) : undefined;
  }

  downloadMedia() {
    return resolveMedia(this);
  }
}
defineProps(MsgModel, [
  'id',
  't',
  'from',
  'to',
  'author',
  'ack',
  'self',
  'local',
  'isNewMsg',
  'star',
  'broadcast',
  'notifyName',
  'mentionedJidList',
  'groupMentions',
  'hasReaction',
  ...CONTENT_ATTRS, // type, body, media, location, poll, link preview, quote, forwarding
  ...WID_ATTRS,
  ...EDIT_ATTRS,
  'recipients', // group notifications
]);

class ChatModel extends Model {
  // whatsapp-web.js reads msgs from the serialized chat (to find the last message), then deletes it.
  serialize() {
    return { ...this._attrs, msgs: this.msgs };
  }

  get formattedTitle() {
    if (this.groupMetadata) return this.groupMetadata.subject;
    return (this.contact && this.contact.name) || `+${this.id.user}`;
  }
}
defineProps(ChatModel, [
  'id',
  'name',
  't',
  'unreadCount',
  'archive',
  'pin',
  'muteExpiration',
  'isReadOnly',
  'isAnnounceGrpRestrict',
  'notSpam',
  'isLocked',
  'lastReceivedKey',
  // 0: the phone holds older messages than WhatsApp Web has (whatsapp-web.js's syncHistory
  // asks for them only then); 1: it holds none.
  'endOfHistoryTransferType',
]);

class MuteModel extends Model {}
defineProps(MuteModel, ['id', 'expiration']);

class ContactModel extends Model {}
defineProps(ContactModel, [
  'id',
  'name',
  'shortName',
  'pushname',
  'type',
  'isAddressBookContact',
  'isBusiness',
  'isEnterprise',
  'isContactBlocked',
  'statusMute',
  'phoneNumber', // of a contact known by LID
]);

class ParticipantModel extends Model {}
defineProps(ParticipantModel, ['id', 'isAdmin', 'isSuperAdmin']);

class ParticipantCollection extends Collection {
  serialize() {
    return this._models.map((p) => p.serialize());
  }
}

class GroupMetadataModel extends Model {
  serialize() {
    return { ...this._attrs, participants: this.participants.serialize() };
  }
}
defineProps(GroupMetadataModel, [
  'id',
  'creation',
  'owner',
  'subject',
  'desc',
  'restrict',
  'announce',
  'size',
  'isLidAddressingMode',
]);

class MsgCollection extends Collection {
  getMessagesById(ids) {
    return Promise.resolve({ messages: ids.map(findMessageById).filter(Boolean) });
  }
}

// WhatsApp Web keeps the chat list newest first: a chat with new activity moves to the
// front, even when its `t` ties with another chat's (same second). Callers that sort by `t`
// with a stable sort (our adapter) rely on that order for ties.
class ChatCollection extends Collection {
  // Added chats go before existing ones with the same `t`: they are the newer activity.
  add(modelOrModels) {
    super.add(modelOrModels, { at: 0 });
    this._models.sort((a, b) => (b.t || 0) - (a.t || 0));
  }

  bump(chat) {
    const index = this._models.indexOf(chat);
    if (index <= 0) return;
    this._models.splice(index, 1);
    this._models.unshift(chat);
  }
}

class ContactCollection extends Collection {
  // WhatsApp creates a bare contact for a number it has not seen yet.
  find(wid) {
    return Promise.resolve(contactFor(typeof wid === 'string' ? createWid(wid) : wid));
  }
}

class GroupMetadataCollection extends Collection {
  // WhatsApp refreshes metadata from the server here; the simulated copy is always current.
  update(wid) {
    if (!this.get(wid)) return Promise.reject(new Error(`GroupMetadata.update: unknown group ${wid}`));
    return Promise.resolve();
  }
}

const collections = {
  Chat: new ChatCollection(),
  Msg: new MsgCollection(),
  Contact: new ContactCollection(),
  GroupMetadata: new GroupMetadataCollection(),
  Blocklist: new Collection(),
};
defineModule('WAWebCollections', () => collections);

function meWid() {
  return userWid(account.me.user);
}

function meLidWid() {
  return createWid(`${meLidUser()}@lid`);
}

function contactFor(wid) {
  const existing = collections.Contact.get(wid);
  if (existing) return existing;
  const phoneUser = phoneUserOf(wid._serialized);
  const known = (phoneUser && account.contacts.get(phoneUser)) || {};
  const contact = new ContactModel({
    phoneNumber: wid.isLid() && phoneUser ? userWid(phoneUser) : undefined,
    id: wid,
    name: known.name,
    shortName: known.name && known.name.split(' ')[0],
    pushname: known.pushname,
    type: 'in',
    isAddressBookContact: Boolean(known.name),
    isBusiness: false,
    isEnterprise: false,
    isContactBlocked: false,
    statusMute: false,
  });
  collections.Contact.add(contact);
  return contact;
}

function groupMetadataFor(accountChat, wid) {
  const group = accountChat.group;
  const participants = new ParticipantCollection();
  participants.add(
    group.participants.map(
      (p) => new ParticipantModel({ id: userWid(participantUser(p.user)), isAdmin: p.isAdmin, isSuperAdmin: p.isSuperAdmin }),
    ),
  );
  const metadata = new GroupMetadataModel({
    id: wid,
    creation: group.creation,
    owner: userWid(participantUser(group.owner)),
    subject: group.subject,
    desc: group.desc,
    restrict: group.restrict,
    announce: group.announce,
    size: group.participants.length,
    isLidAddressingMode: false,
  });
  metadata.participants = participants;
  collections.GroupMetadata.add(metadata);
  return metadata;
}

function msgFromRecord(chat, record, isNewMsg) {
  // In a chat addressed by LID, we are our LID too (as whatsapp-web.js sends there).
  const me = chat.id.isLid() ? meLidWid() : meWid();
  const isGroup = chat.id.isGroup();
  const author = isGroup ? (record.fromMe ? me : userWid(record.author)) : undefined;
  return new MsgModel({
    ...contentAttrs(record),
    id: new MsgKey({ fromMe: record.fromMe, remote: chat.id, id: record.id, participant: author }),
    t: record.t,
    from: record.fromMe ? me : chat.id,
    to: record.fromMe ? chat.id : me,
    author: record.fromMe ? undefined : author,
    ack: record.ack,
    self: record.fromMe ? 'out' : 'in',
    notifyName: record.notifyName,
    isNewMsg,
    star: false,
    broadcast: false,
  });
}

// Creates the client-side chat for an account chat, with messages [0, loadedUpTo) known
// and only the newest of them loaded.
function materializeChat(accountChat, loadedUpTo = accountChat.messages.length) {
  const wid = createWid(accountChat.id);
  const groupMetadata = accountChat.group ? groupMetadataFor(accountChat, wid) : undefined;
  const chat = new ChatModel({
    id: wid,
    name: groupMetadata ? groupMetadata.subject : account.contacts.get(phoneUserOf(accountChat.id))?.name,
    t: accountChat.t,
    unreadCount: accountChat.unreadCount,
    archive: accountChat.archive,
    pin: accountChat.pin,
    muteExpiration: accountChat.muteExpiration,
    isReadOnly: false,
    isAnnounceGrpRestrict: Boolean(groupMetadata && groupMetadata.announce),
    notSpam: true,
    isLocked: false,
    endOfHistoryTransferType: phoneOnly(accountChat) > 0 ? 0 : 1,
  });
  chat.msgs = new Collection();
  chat.mute = new MuteModel({ id: wid, expiration: accountChat.muteExpiration });
  chat.groupMetadata = groupMetadata;
  chat.contact = groupMetadata ? undefined : contactFor(wid);
  chat.accountChat = accountChat;
  let newest = loadedUpTo - 1;
  while (newest >= 0 && accountChat.messages[newest].deletedForMe) newest--;
  chat.loadedFrom = Math.max(phoneOnly(accountChat), newest);
  if (newest >= 0) {
    const preview = msgFromRecord(chat, accountChat.messages[newest], false);
    chat.msgs.add(preview);
    collections.Msg.add(preview);
    chat.lastReceivedKey = preview.id;
  }
  return chat;
}

function materializeChats(accountChats) {
  collections.Chat.add(accountChats.map((accountChat) => materializeChat(accountChat)));
}

// The oldest messages of a chat may be on the phone only (olderOnPhone()): WhatsApp Web
// loads them once the phone sent them (syncHistory, actions.js).
function phoneOnly(accountChat) {
  return accountChat.phoneOnly || 0;
}

// Messages deleted for me are not part of this device's history.
function loadEarlierMsgs(chat) {
  let msgs = [];
  const floor = phoneOnly(chat.accountChat);
  while (!msgs.length && chat.loadedFrom > floor) {
    const end = chat.loadedFrom;
    const start = Math.max(floor, end - EARLIER_MSGS_PAGE);
    const records = chat.accountChat.messages.slice(start, end).filter((record) => !record.deletedForMe);
    msgs = records.map((record) => msgFromRecord(chat, record, false));
    chat.loadedFrom = start;
  }
  chat.msgs.add(msgs, { at: 0 });
  collections.Msg.add(msgs);
  return msgs;
}

// Serialized message ids are `<fromMe>_<chat>_<id>[_<participant>]`.
function findMessageById(serializedId) {
  const loaded = collections.Msg.get(serializedId);
  if (loaded) return loaded;
  const [, remote, id] = String(serializedId).split('_');
  const chat = collections.Chat.get(remote);
  if (!chat) return undefined;
  const messages = chat.accountChat.messages;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i].id !== id) continue;
    if (messages[i].deletedForMe) return undefined;
    const msg = msgFromRecord(chat, messages[i], false);
    collections.Msg.add(msg);
    return msg;
  }
  return undefined;
}
