// What the phone and WhatsApp's servers do, on request: the controls SimulatorControl
// (index.ts) calls. Each throws a clear Error when the action makes no sense right now.
// Arguments left out in Node arrive here as null (puppeteer passes them as JSON).

const DISCONNECT_STATES = ['CONFLICT', 'TIMEOUT', 'UNLAUNCHED', 'PROXYBLOCK', 'TOS_BLOCK', 'SMB_TOS_BLOCK', 'DEPRECATED_VERSION'];
const MAX_SEEDED_MESSAGES = 1_000_000; // per seed() call, to keep the page's memory sane

function assertLinked(action) {
  if (!account.me) throw new Error(`${action}: no phone is linked; call link() while a QR code or pairing code is pending`);
}

function assertPositiveInteger(action, name, value, allowZero) {
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new Error(`${action}: ${name} must be a${allowZero ? ' non-negative' : ' positive'} integer, got ${value}`);
  }
}

function enterPairingCode(code) {
  const pending = linking.pendingCode;
  if (!pending) throw new Error('enterPairingCode(): no pairing code is pending; call client.requestPairingCode(phone) first');
  if (code != null && String(code).replace(/-/g, '').toUpperCase() !== pending.code) {
    throw new Error(`enterPairingCode(): "${code}" is not the pending pairing code`);
  }
  completeLink({ ...DEFAULT_PHONE, user: pending.user });
}

window.__waSimulator = {
  // The phone links this browser: it scans the QR code on screen, or enters the pending
  // pairing code for the number it was requested for.
  link(phone) {
    if (linking.pendingCode) return enterPairingCode();
    if (Socket.state !== 'UNPAIRED' || linking.pairingType !== 'QR' || !Conn.ref) {
      throw new Error(
        `link(): nothing to link, the socket is ${Socket.state}` +
          (account.me ? ` and ${account.me.user} is already linked` : '') +
          '; link() needs a QR code or a pairing code on screen',
      );
    }
    const overrides = phone || {};
    if (overrides.user != null && !isRegistered(String(overrides.user))) {
      throw new Error(`link(): "${overrides.user}" is not a phone number on WhatsApp`);
    }
    completeLink({ ...DEFAULT_PHONE, ...overrides });
  },

  enterPairingCode,

  // A contact writes: a text, or with `media` ({ data: base64, mimetype, filename?,
  // asVoice?, asGif?, asDocument?, viewOnce? }) a file their phone uploads, `body` its caption.
  incoming(input) {
    assertLinked('incoming()');
    const { from, body, pushname, group, media } = input || {};
    if (!PHONE_NUMBER.test(String(from))) throw new Error(`incoming(): "from" must be the sender's phone number in digits, got "${from}"`);
    if (String(from) === account.me.user) throw new Error('incoming(): a message from the account owner is not incoming');
    if (media) {
      if (typeof media.data !== 'string' || !media.data) throw new Error('incoming(): "media.data" must be the file in base64');
      if (!/^[\w.+-]+\/[\w.+-]+(;.*)?$/.test(String(media.mimetype))) throw new Error(`incoming(): "media.mimetype" must be a MIME type, got "${media.mimetype}"`);
      if (body != null && typeof body !== 'string') throw new Error('incoming(): "body" (the caption) must be a string');
    } else if (typeof body !== 'string' || !body) {
      throw new Error('incoming(): "body" must be a non-empty string');
    }
    return receiveMessage({ from: String(from), body: body || undefined, pushname, group, media }).then((id) => ({ id }));
  },

  // The contact of a 1:1 chat (every member of a group) reads it on their phone: our
  // delivered messages become read, and with `played` our voice notes played. Returns how
  // many messages changed.
  contactReads(chatId, options) {
    assertLinked('contactReads()');
    const accountChat = account.chats.get(String(chatId));
    if (!accountChat) throw new Error(`contactReads(): the account has no chat ${chatId}`);
    return { read: readByContact(accountChat, Boolean(options && options.played)) };
  },

  // The other side acts (contact-actions.js, groups.js). Refusals carry a code for the Node side.
  edit(input) {
    assertLinked('edit()');
    const { id, body } = input || {};
    if (typeof body !== 'string' || !body) throw refuse('VALIDATION_ERROR', 'edit(): "body" must be the new, non-empty text');
    editMessage({ id: String(id), body });
  },

  revoke(input) {
    assertLinked('revoke()');
    const { id, by } = input || {};
    revokeFromContact({ id: String(id), by });
  },

  react(input) {
    assertLinked('react()');
    const { id, from, emoji } = input || {};
    if (typeof emoji !== 'string') throw refuse('VALIDATION_ERROR', 'react(): "emoji" must be a string ("" removes the reaction)');
    reactFromContact({ id: String(id), from, emoji });
  },

  vote(input) {
    assertLinked('vote()');
    const { id, from, options } = input || {};
    if (!Array.isArray(options)) throw refuse('VALIDATION_ERROR', 'vote(): "options" must be the list of option names chosen ([] withdraws the vote)');
    voteFromContact({ id: String(id), from, options });
  },

  groupJoin(input) {
    assertLinked('groupJoin()');
    return joinGroup(input || {}).then((ids) => ({ ids }));
  },

  groupLeave(input) {
    assertLinked('groupLeave()');
    return leaveGroup(input || {}).then((ids) => ({ ids }));
  },

  groupUpdate(input) {
    assertLinked('groupUpdate()');
    return updateGroup(input || {}).then((ids) => ({ ids }));
  },

  call(input) {
    assertLinked('call()');
    const { from, video, group } = input || {};
    return { id: ringFrom({ from, video, group }) };
  },

  phoneSend(input) {
    assertLinked('phoneSend()');
    const { to, body } = input || {};
    if (typeof body !== 'string' || !body) throw refuse('VALIDATION_ERROR', 'phoneSend(): "body" must be a non-empty string');
    return sendFromPhone({ to, body }).then((id) => ({ id }));
  },

  // WhatsApp puts a system notice in a chat (security code changed, a missed call, ...).
  systemNotice(input) {
    assertLinked('systemNotice()');
    const { chat, type, subtype } = input || {};
    return addSystemNotice({ chat, type, subtype }).then((id) => ({ id }));
  },

  // The phone holds `count` messages older than the chat's oldest, which WhatsApp Web gets
  // only when it asks (whatsapp-web.js syncHistory). Resolves with their ids, oldest first.
  olderOnPhone(input) {
    assertLinked('olderOnPhone()');
    const { chat, count } = input || {};
    return { ids: addOlderOnPhone({ chat, count }) };
  },

  // What WhatsApp holds for a message (by its serialized id), or null.
  message(id) {
    assertLinked('message()');
    const found = findRecordById(id);
    return found ? describeMessage(found.accountChat, found.record) : null;
  },

  // The newest `limit` messages of a chat as WhatsApp holds them, oldest first.
  messages(chatId, limit) {
    assertLinked('messages()');
    const accountChat = account.chats.get(String(chatId));
    if (!accountChat) throw new Error(`messages(): the account has no chat ${chatId}`);
    assertPositiveInteger('messages()', 'limit', limit ?? 20, false);
    return accountChat.messages.slice(-(limit ?? 20)).map((record) => describeMessage(accountChat, record));
  },

  disconnect(requested) {
    const state = requested ?? 'CONFLICT';
    if (!DISCONNECT_STATES.includes(state)) {
      throw new Error(`disconnect(): "${state}" is not one of ${DISCONNECT_STATES.join(', ')}; use phoneLogout() to unlink`);
    }
    if (Socket.state !== 'CONNECTED') throw new Error(`disconnect(): the socket is ${Socket.state}, not CONNECTED`);
    // After this call has returned: whatsapp-web.js may react by closing the browser.
    setTimeout(() => dropConnection(state), 0);
  },

  // The user removes this device under "Linked devices" on the phone.
  phoneLogout() {
    assertLinked('phoneLogout()');
    return unlinkDevice('logout_from_bridge');
  },

  seed(input) {
    const { chats, messagesPerChat, groups = 0 } = input || {};
    assertPositiveInteger('seed()', 'chats', chats, groups > 0);
    assertPositiveInteger('seed()', 'messagesPerChat', messagesPerChat, true);
    assertPositiveInteger('seed()', 'groups', groups, true);
    if ((chats + groups) * messagesPerChat > MAX_SEEDED_MESSAGES) {
      throw new Error(`seed(): ${(chats + groups) * messagesPerChat} messages is more than the ${MAX_SEEDED_MESSAGES} a page can hold comfortably`);
    }
    const created = seedAccount(chats, messagesPerChat, groups);
    // Once synced, new account data shows up in WhatsApp Web as the phone sends it over.
    if (Socket.hasSynced) materializeChats(created);
  },

  setQrRotationMs(ms) {
    assertPositiveInteger('setQrRotationMs()', 'ms', ms, false);
    linking.qrRotationMs = ms;
    if (Socket.state === 'UNPAIRED' && linking.pairingType === 'QR') scheduleQrRotation();
  },

  // Numbers that are not on WhatsApp: sending to them fails like it does for real.
  setUnregisteredNumbers(numbers) {
    if (!Array.isArray(numbers)) throw new Error('setUnregisteredNumbers(): pass an array of phone numbers');
    account.unregistered = new Set(numbers.map(String));
  },

  // Sends are accepted and kept, but do not return until releaseSends(); heldSend()
  // resolves with the id of the first one held. A reload releases them (the page is new).
  holdSends,
  releaseSends,
  heldSend() {
    return heldSend().then((id) => ({ id }));
  },

  snapshot() {
    return {
      linked: Boolean(account.me),
      me: account.me ? `${account.me.user}@c.us` : null,
      socketState: Socket.state,
      hasSynced: Boolean(Socket.hasSynced),
      qrRef: Socket.state === 'UNPAIRED' && linking.pairingType === 'QR' ? Conn.ref : null,
      qrRotationMs: linking.qrRotationMs,
      pendingPairingCode: linking.pendingCode ? linking.pendingCode.code : null,
      linkedDevice: linking.device,
      chats: collections.Chat.length,
      accountChats: account.chats.size,
      unregisteredNumbers: [...account.unregistered],
      missingModules: [...missingModules],
      listenerErrors: listenerErrors.slice(),
      historySyncRequests: onDemandSync.requests,
    };
  },
};

// Without IndexedDB WhatsApp Web cannot start either; the page stays OPENING.
boot().catch((error) => console.error('WhatsApp Web simulator: boot failed', error));
