// What one can do to a message that exists: react to it, delete it for everyone while
// WhatsApp allows that (or only for me), forward it. Each change reaches the account's record (so the
// history keeps it) and the message model (so whatsapp-web.js sees it).

// WhatsApp lets a sender delete a message for everyone for "about two days": 2 days and 12 hours.
const SENDER_REVOKE_WINDOW_S = 60 * 3600;

function recordOfMsg(msg) {
  const found = findRecordById(msg.id._serialized);
  if (!found) throw new Error(`WhatsApp Web simulator: no record of message ${msg.id._serialized}`);
  return found;
}

function isGroupAdmin(chatWid) {
  const chat = collections.Chat.get(chatWid);
  const me = chat && chat.groupMetadata && chat.groupMetadata.participants.get(meWid());
  return Boolean(me && (me.isAdmin || me.isSuperAdmin));
}

const isLiveMessage = (msg) => Boolean(msg) && !msg.isNotification && msg.type !== 'revoked';

// Admins may delete other members' messages; the simulator sets them no time limit.
defineModule('WAWebMsgActionCapability', () => ({
  canSenderRevokeMsg: (msg) => isLiveMessage(msg) && msg.id.fromMe && nowSeconds() - msg.t <= SENDER_REVOKE_WINDOW_S,
  canAdminRevokeMsg: (msg) => isLiveMessage(msg) && !msg.id.fromMe && isGroupAdmin(msg.id.remote),
}));

// Cmd.sendRevokeMsgs(chat, { list, type: 'message' }, { clearMedia }): delete for everyone.
// The message stays, as "This message was deleted", without its content.
function revokeMessages(chat, selection) {
  if (!selection || selection.type !== 'message' || !Array.isArray(selection.list)) {
    return Promise.reject(new Error("sendRevokeMsgs: expected { list: [msg], type: 'message' }"));
  }
  const can = requireModule('WAWebMsgActionCapability');
  for (const msg of selection.list) {
    const by = can.canSenderRevokeMsg(msg) ? 'sender' : can.canAdminRevokeMsg(msg) ? 'admin' : null;
    if (!by) return Promise.reject(new Error(`sendRevokeMsgs: ${msg && msg.id._serialized} can no longer be deleted for everyone`));
    const { accountChat, record } = recordOfMsg(msg);
    revokeRecord(accountChat, record, `${by}_revoke`);
    revokeModel(msg, record.subtype);
  }
  return Promise.resolve();
}

// The server keeps the message as "This message was deleted", without its content.
function revokeRecord(accountChat, record, subtype) {
  for (const key of [...CONTENT_ATTRS, ...WID_ATTRS, ...EDIT_ATTRS, 'mentionedJidList', 'reactions', 'votes']) delete record[key];
  Object.assign(record, { type: 'revoked', subtype, body: '' });
  saveActivity(accountChat, record);
}

// The content goes quietly; whatsapp-web.js learns of the revoke from change:type.
function revokeModel(msg, subtype) {
  for (const key of [...CONTENT_ATTRS, ...WID_ATTRS, ...EDIT_ATTRS]) delete msg._attrs[key];
  Object.assign(msg._attrs, { subtype, body: '', mentionedJidList: [], hasReaction: false });
  msg._mediaData = undefined;
  msg.type = 'revoked';
}

// Cmd.sendDeleteMsgs(chat, { list, type: 'message' }, clearMedia): delete for me, which
// whatsapp-web.js's message.delete(true) falls back to when revoking is not allowed. The
// message leaves this device and the phone's history (both are "me"; a restart does not
// bring it back), while the other side keeps its copy: the record stays, marked.
function deleteMessagesForMe(chat, selection) {
  if (!selection || selection.type !== 'message' || !Array.isArray(selection.list)) {
    return Promise.reject(new Error("sendDeleteMsgs: expected { list: [msg], type: 'message' }"));
  }
  for (const msg of selection.list) {
    const { accountChat, record } = recordOfMsg(msg);
    record.deletedForMe = true;
    saveActivity(accountChat, record);
    chat.msgs.remove(msg);
    collections.Msg.remove(msg); // whatsapp-web.js emits message_revoke_me here
  }
  return Promise.resolve();
}

// Our reaction to a message: one per sender, replaced by the next, removed by ''.
defineModule('WAWebSendReactionMsgAction', () => ({
  sendReactionToMsg(msg, reactionText) {
    if (typeof reactionText !== 'string') return Promise.reject(new Error('sendReactionToMsg: the reaction must be a string'));
    if (!isLiveMessage(msg)) return Promise.reject(new Error(`sendReactionToMsg: cannot react to a ${msg.type} message`));
    const { accountChat, record } = recordOfMsg(msg);
    const me = meWid();
    const reactionKey = new MsgKey({ fromMe: true, remote: msg.id.remote, id: newMessageId(), participant: msg.id.remote.isGroup() ? me : undefined });
    const reactions = { ...record.reactions };
    if (reactionText) reactions[me._serialized] = { emoji: reactionText, t: Date.now(), id: reactionKey._serialized };
    else delete reactions[me._serialized];
    record.reactions = reactions;
    saveActivity(accountChat, record);
    msg.hasReaction = Object.keys(reactions).length > 0;
    // whatsapp-web.js hooks this table to emit message_reaction.
    requireModule('WAWebAddonReactionTableMode').reactionTableMode.bulkUpsert([
      { id: reactionKey, reactionParentKey: msg.id, reactionText, reactionTimestamp: Date.now(), from: me, orphan: 0, read: true, ack: 1 },
    ]);
    return Promise.resolve();
  },
}));

defineModule('WAWebAddonReactionTableMode', () => ({
  reactionTableMode: { bulkUpsert: (rows) => Promise.resolve(rows) },
}));

// WAWebCollections.Reactions.find(msgId): the reactions to a message, by emoji (message.getReactions()).
class ReactionsCollection extends Collection {
  find(msgId) {
    const found = findRecordById(msgId);
    const byEmoji = new Map();
    for (const [sender, r] of Object.entries((found && found.record.reactions) || {})) {
      if (!byEmoji.has(r.emoji)) byEmoji.set(r.emoji, []);
      byEmoji.get(r.emoji).push({
        msgKey: r.id,
        parentMsgKey: msgId,
        senderUserJid: sender,
        reactionText: r.emoji,
        timestamp: r.t,
        read: true,
        orphan: 0,
        ack: 1,
      });
    }
    const me = account.me && meWid()._serialized;
    const reactions = [...byEmoji].map(([emoji, senders]) => ({
      id: emoji,
      aggregateEmoji: emoji,
      hasReactionByMe: senders.some((s) => s.senderUserJid === me),
      senders,
    }));
    return Promise.resolve({ reactions: { length: reactions.length, serialize: () => reactions } });
  }
}
collections.Reactions = new ReactionsCollection();

// Forwarding copies a message's content (its caption too with includeCaption) into a new
// message of ours, marked forwarded; its forwarding score counts the hops.
defineModule('WAWebChatForwardMessage', () => ({
  forwardMessages({ chat, msgs, includeCaption }) {
    if (!chat || !chat.accountChat) return Promise.reject(new Error('forwardMessages: no chat to forward to'));
    if (!Array.isArray(msgs) || !msgs.every(isLiveMessage)) return Promise.reject(new Error('forwardMessages: nothing that can be forwarded'));
    const me = meWid();
    const sent = msgs.map((source) => {
      const content = {};
      for (const key of CONTENT_ATTRS) if (source[key] !== undefined) content[key] = source[key];
      delete content.quotedMsg;
      delete content.quotedStanzaID;
      if (!includeCaption) delete content.caption;
      const id = new MsgKey({ from: me, to: chat.id, id: newMessageId(), participant: chat.id.isGroup() ? me : undefined, selfDir: 'out' });
      const msgData = { ...content, id, from: me, to: chat.id, t: nowSeconds(), ack: 0, local: true, self: 'out', isNewMsg: true };
      Object.assign(msgData, { isForwarded: true, forwardingScore: (source.forwardingScore || 0) + 1 });
      const [msg, , saved] = addOutgoing(chat, msgData);
      return saved.then(() => untilReleased(msg)).then(() => msg);
    });
    // Like a send: resolves once WhatsApp holds the copies (and holdSends() lets go).
    return Promise.all(sent);
  },
}));
