// The far side of the link: the phone and WhatsApp's servers. This is the account's data
// (contacts, chats, full message history) as plain records. WhatsApp Web's own models
// (store.js) are filled from it by the history sync and load older messages from it on
// demand, so a huge account costs records, not models.
//
// The default account is rebuilt at every page load, deterministically (ids, and times
// counted from the account's epoch, saved with the link). What changed at runtime (chats,
// messages, unread counts, acks) is saved in IndexedDB (storage.js) and replayed on top of
// it, as a phone would sync that history back. seed() data lives in this page only.

const account = {
  me: null, // { user, pushname, platform } while a device link exists
  epoch: 0, // seconds; the default account's times are relative to it
  contacts: new Map(), // phone user -> { name?, pushname?, lid? }
  lids: new Map(), // LID user -> phone user, for people WhatsApp addresses by LID (LID_CONTACTS)
  chats: new Map(), // chat id -> account chat, see addAccountChat()
  unregistered: new Set(), // users that are not on WhatsApp, see setUnregisteredNumbers()
  seeded: 0, // chats created by seed(), to keep generated numbers unique
  seededGroups: 0, // groups created by seed()
  messageCounter: 0, // for deterministic ids of generated messages
};

const PHONE_NUMBER = /^\d{7,15}$/;

function nowSeconds() {
  return Math.floor(Date.now() / 1000);
}

function isRegistered(user) {
  return PHONE_NUMBER.test(user) && !account.unregistered.has(user);
}

// A phone's message ids are 32 uppercase hex digits (whatsapp-web.js reports those as
// sent from Android); ids of messages this client sent come from MsgKey.newId().
function phoneMessageId() {
  return randomHex(16);
}

function generatedMessageId(fromMe) {
  const n = (++account.messageCounter).toString(16).toUpperCase();
  return fromMe ? `3EB0${n.padStart(16, '0')}` : n.padStart(32, '0');
}

// People WhatsApp addresses by their LID ("…@lid", a privacy id) rather than their phone
// number: their 1:1 chat and their messages carry the LID, and WhatsApp Web knows the phone
// number that goes with it (WAWebApiContact). LID_CONTACTS (phone → LID) comes from index.ts.
function lidUserOf(user) {
  return account.contacts.get(user)?.lid ?? null;
}

// The phone user behind a person's id (…@c.us or …@lid); null for a LID nobody is known by.
function phoneUserOf(id) {
  const [user, server] = String(id).split('@');
  if (server === 'lid') return account.lids.get(user) ?? null;
  return server === 'c.us' ? user : null;
}

// A person's 1:1 chat: by LID for the people WhatsApp addresses that way.
function personalChatId(user) {
  const lid = lidUserOf(user);
  return lid ? `${lid}@lid` : `${user}@c.us`;
}

function addAccountChat(fields) {
  const chat = {
    id: fields.id,
    isGroup: fields.id.endsWith('@g.us'),
    t: fields.t ?? nowSeconds(),
    archive: Boolean(fields.archive),
    pin: fields.pin ?? 0,
    muteExpiration: fields.muteExpiration ?? 0,
    unreadCount: fields.unreadCount ?? 0,
    group: fields.group, // { subject, creation, owner, desc, announce, restrict, participants }
    // { id, fromMe, t, ack, author?, notifyName?, reactions?, seq? } and the content (content.js), oldest first
    messages: fields.messages ?? [],
  };
  if (chat.messages.length) chat.t = chat.messages[chat.messages.length - 1].t;
  account.chats.set(chat.id, chat);
  return chat;
}

// A conversation written as [fromMe, body, authorUser?] lines, the last one `endsAt`.
function conversation(lines, endsAt, gapSeconds) {
  return lines.map(([fromMe, body, author], i) => {
    const contact = author && account.contacts.get(author);
    return {
      id: generatedMessageId(fromMe),
      fromMe,
      t: endsAt - (lines.length - 1 - i) * gapSeconds,
      body,
      ack: fromMe ? 3 : 1,
      author,
      notifyName: contact ? contact.pushname : undefined,
    };
  });
}

// The demo account: named contacts, a stranger, two groups, and one chat each pinned,
// archived and muted, so every chat flag shows up in a listing. Its times count back from
// `epoch`, the first boot of the link, so they do not move under the saved history.
function seedDefaultAccount(epoch) {
  account.epoch = epoch;
  const now = epoch;
  const people = [
    ['15550100001', 'Alice Martin', 'Alice'],
    ['15550100002', 'Bob Chen', 'Bob'],
    ['15550100003', 'Carla Rossi', 'Carla'],
    ['15550100004', 'David Okafor', 'David'],
    ['15550100005', 'Emma Schulz', 'Emma'],
  ];
  for (const [user, name, pushname] of people) account.contacts.set(user, { name, pushname });
  account.contacts.set('15550100006', { pushname: 'Farid' });
  // Grace writes from her LID; she has no chat until she writes or is written to.
  account.contacts.set('15550100007', { name: 'Grace Lee', pushname: 'Grace' });
  // Hana moved to her LID: her old phone-number chat and her LID chat (below).
  account.contacts.set('15550100008', { name: 'Hana Ito', pushname: 'Hana' });
  for (const [user, lid] of Object.entries(LID_CONTACTS)) {
    account.contacts.set(user, { ...account.contacts.get(user), lid });
    account.lids.set(lid, user);
  }

  const minutes = 60;
  addAccountChat({
    id: '15550100001@c.us',
    pin: now - 30 * 24 * 3600,
    messages: conversation(
      [
        [false, 'Are we still on for lunch tomorrow?'],
        [true, 'Yes! 12:30 at the usual place?'],
        [false, 'Perfect, see you there'],
        [true, 'See you'],
      ],
      now - 5 * minutes,
      2 * minutes,
    ),
  });
  addAccountChat({
    id: '15550100002@c.us',
    muteExpiration: now + 7 * 24 * 3600,
    messages: conversation(
      [
        [false, 'Did you see the match last night?'],
        [true, 'Only the second half'],
        [false, 'That last goal though'],
      ],
      now - 50 * minutes,
      3 * minutes,
    ),
  });
  addAccountChat({
    id: '15550100003@c.us',
    unreadCount: 2,
    messages: conversation(
      [
        [true, 'Can you send me the slides?'],
        [false, 'Sure, give me five minutes'],
        [false, 'Sent them by email, check your inbox'],
      ],
      now - 20 * minutes,
      4 * minutes,
    ),
  });
  addAccountChat({
    id: '15550100004@c.us',
    messages: conversation(
      [
        [false, 'Happy birthday!'],
        [true, 'Thank you David!'],
      ],
      now - 26 * 60 * minutes,
      10 * minutes,
    ),
  });
  addAccountChat({
    id: '15550100005@c.us',
    archive: true,
    messages: conversation(
      [
        [true, 'Thanks for the book recommendation'],
        [false, 'Let me know how you like it'],
      ],
      now - 3 * 24 * 60 * minutes,
      30 * minutes,
    ),
  });
  addAccountChat({
    id: '15550100006@c.us',
    messages: conversation([[false, 'Hi, I found your number on the club website. Is the bike still for sale?']], now - 2 * 60 * minutes, 0),
  });
  addAccountChat({
    id: '120363000000000001@g.us',
    muteExpiration: -1,
    unreadCount: 3,
    group: {
      subject: 'Weekend Hike',
      creation: now - 90 * 24 * 3600,
      owner: 'me',
      desc: 'Saturday hikes, meeting point and weather',
      announce: false,
      restrict: false,
      participants: [
        { user: 'me', isAdmin: true, isSuperAdmin: true },
        { user: '15550100001', isAdmin: true, isSuperAdmin: false },
        { user: '15550100002', isAdmin: false, isSuperAdmin: false },
        { user: '15550100003', isAdmin: false, isSuperAdmin: false },
      ],
    },
    messages: conversation(
      [
        [true, 'Who is in for Saturday?'],
        [false, 'Me!', '15550100001'],
        [false, 'Count me in', '15550100002'],
        [false, 'Forecast says sun all day', '15550100003'],
        [false, 'Meet at the trailhead at 8?', '15550100001'],
      ],
      now - 10 * minutes,
      3 * minutes,
    ),
  });
  addAccountChat({
    id: '120363000000000002@g.us',
    group: {
      subject: 'Family Announcements',
      creation: now - 400 * 24 * 3600,
      owner: '15550100004',
      desc: 'Only admins can send messages',
      announce: true,
      restrict: true,
      participants: [
        { user: '15550100004', isAdmin: true, isSuperAdmin: true },
        { user: '15550100005', isAdmin: true, isSuperAdmin: false },
        { user: 'me', isAdmin: false, isSuperAdmin: false },
      ],
    },
    messages: conversation(
      [
        [false, 'Dinner at grandma’s on Sunday, 7pm', '15550100004'],
        [false, 'Bring dessert if you can', '15550100005'],
      ],
      now - 5 * 60 * minutes,
      15 * minutes,
    ),
  });
  // After WhatsApp's LID migration WhatsApp Web holds two chats with Hana: her phone-number
  // chat with what was written before, and her LID chat, where everything new goes.
  addAccountChat({
    id: '15550100008@c.us',
    messages: conversation(
      [
        [false, 'Hi! The pottery class starts next week'],
        [true, 'Great, which day?'],
        [false, 'Tuesdays at 6pm'],
      ],
      now - 8 * 24 * 60 * minutes,
      20 * minutes,
    ),
  });
  addAccountChat({
    id: '185000000000008@lid',
    messages: conversation(
      [
        [false, 'Class moved to Wednesday this week'],
        [true, 'Thanks for letting me know'],
      ],
      now - 28 * 60 * minutes,
      5 * minutes,
    ),
  });
}

// Bulk data for benchmarks and load tests: `chats` new 1:1 chats with contacts named
// "Contact <n>", each with `messagesPerChat` alternating messages, newest chats first; and
// `groups` groups "Group <n>" with Alice, Bob, Carla and us (admin of every other one),
// whose `messagesPerChat` messages go round the members.
function seedAccount(chats, messagesPerChat, groups = 0) {
  const now = nowSeconds();
  const created = [];
  for (let i = 0; i < groups; i++) created.push(seedGroup(now, messagesPerChat));
  for (let i = 0; i < chats; i++) {
    const n = ++account.seeded;
    const user = `49151${String(n).padStart(8, '0')}`;
    const name = `Contact ${n}`;
    account.contacts.set(user, { name, pushname: name });
    const lastAt = now - 3600 - n * 60;
    const messages = new Array(messagesPerChat);
    for (let j = 0; j < messagesPerChat; j++) {
      const fromMe = j % 2 === 1;
      messages[j] = {
        id: generatedMessageId(fromMe),
        fromMe,
        t: lastAt - (messagesPerChat - 1 - j) * 30,
        body: `Message ${j + 1} of ${messagesPerChat} with ${name}`,
        ack: fromMe ? 3 : 1,
      };
    }
    created.push(addAccountChat({ id: `${user}@c.us`, t: lastAt, messages }));
  }
  return created;
}

function seedGroup(now, messageCount) {
  const n = ++account.seededGroups;
  const members = ['me', '15550100001', '15550100002', '15550100003'];
  const lastAt = now - 1800 - n * 60;
  const messages = new Array(messageCount);
  for (let j = 0; j < messageCount; j++) {
    const member = members[j % members.length];
    const fromMe = member === 'me';
    messages[j] = {
      id: generatedMessageId(fromMe),
      fromMe,
      t: lastAt - (messageCount - 1 - j) * 30,
      body: `Message ${j + 1} of ${messageCount} in Group ${n}`,
      ack: fromMe ? 3 : 1,
      author: fromMe ? undefined : member,
      notifyName: fromMe ? undefined : account.contacts.get(member)?.pushname,
    };
  }
  const owner = n % 2 ? 'me' : '15550100001';
  return addAccountChat({
    id: `120363${String(900_000_000_000 + n)}@g.us`,
    t: lastAt,
    group: {
      subject: `Group ${n}`,
      creation: now - 30 * 24 * 3600,
      owner,
      desc: '',
      announce: false,
      restrict: false,
      participants: members.map((user) => ({ user, isAdmin: user === owner, isSuperAdmin: user === owner })),
    },
    messages,
  });
}

// Puts the saved runtime history (storage.js) back on top of the default account.
function replayHistory(saved) {
  for (const { id, t, unreadCount, group } of saved.chats) {
    const chat = account.chats.get(id) || addAccountChat({ id, group });
    Object.assign(chat, { t, unreadCount });
    // Members, subject and settings as they were last changed (groups.js).
    if (group) chat.group = group;
  }
  const positions = new Map(); // chat id -> Map(message id -> index in chat.messages)
  for (const { chatId, ...record } of saved.messages) {
    const chat = account.chats.get(chatId) || addAccountChat({ id: chatId, t: record.t });
    if (!positions.has(chatId)) positions.set(chatId, new Map(chat.messages.map((m, i) => [m.id, i])));
    const ids = positions.get(chatId);
    // A message of the default account that changed at runtime (a reaction, a revoke) replaces it.
    if (ids.has(record.id)) chat.messages[ids.get(record.id)] = record;
    else {
      ids.set(record.id, chat.messages.length);
      chat.messages.push(record);
    }
    // What receiveMessage learnt about the sender's WhatsApp name.
    const user = !record.fromMe && record.notifyName && (record.author || phoneUserOf(chatId));
    if (user) account.contacts.set(user, { ...account.contacts.get(user), pushname: record.notifyName });
  }
}

// Group participants are written with 'me' for the account owner, who is only known once
// a phone links.
function participantUser(user) {
  return user === 'me' ? account.me.user : user;
}
