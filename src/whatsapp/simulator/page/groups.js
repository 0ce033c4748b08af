// Group changes made by other members: people join (added by an admin, or with an invite
// link) or leave (or are removed), admins change the subject, description, picture or
// settings. WhatsApp tells WhatsApp Web with a `gp2` notification message of that subtype
// in the group's chat, after updating the group's metadata; whatsapp-web.js turns the
// notification into group_join, group_leave or group_update.

const GROUP_SETTINGS = { subject: 'subject', description: 'desc', announce: 'announce', restrict: 'restrict' };

function accountGroup(id) {
  const accountChat = account.chats.get(String(id));
  if (!accountChat || !accountChat.isGroup || !accountChat.group) throw refuse('GROUP_NOT_FOUND', `The account has no group ${id}.`);
  return accountChat;
}

function phoneUsers(list, action) {
  if (!Array.isArray(list) || !list.length) throw refuse('VALIDATION_ERROR', `${action}: give at least one phone number.`);
  return [...new Set(list.map(String))].map((user) => {
    if (!isRegistered(user)) throw refuse('VALIDATION_ERROR', `${action}: ${user} is not on WhatsApp.`);
    if (user === account.me.user) throw refuse('VALIDATION_ERROR', `${action}: ${user} is the account itself; these controls play other members.`);
    return user;
  });
}

// Who acts: another member (the account's own changes go through WhatsApp Web).
function actor(by, action) {
  const user = String(by);
  if (user === account.me.user) throw refuse('VALIDATION_ERROR', `${action}: ${user} is the account itself; these controls play other members.`);
  return user;
}

function assertAdmin(accountChat, user) {
  if (!isGroupAdminUser(accountChat, user)) throw refuse('SIMULATOR_REFUSED', `${user} is not an admin of ${accountChat.group.subject}, so they cannot do that.`);
}

// A notification in the group's chat; the group's models follow just before it arrives.
function notifyGroup(accountChat, subtype, author, recipients) {
  const record = { id: phoneMessageId(), fromMe: false, t: nowSeconds(), type: 'gp2', subtype, body: '', author, recipients: recipients.map((u) => `${u}@c.us`) };
  return addRecord(accountChat.id, record, () => syncGroupModel(accountChat));
}

// People join: added by `by` (an admin), or each with the group's invite link.
async function joinGroup({ group, participants, by }) {
  const accountChat = accountGroup(group);
  const users = phoneUsers(participants, 'groupJoin()');
  for (const user of users) if (isMember(accountChat, user)) throw refuse('SIMULATOR_REFUSED', `${user} is already in ${accountChat.group.subject}.`);
  const adder = by == null ? null : actor(by, 'groupJoin()');
  if (adder !== null) assertAdmin(accountChat, adder);
  for (const user of users) accountChat.group.participants.push({ user, isAdmin: false, isSuperAdmin: false });
  if (adder !== null) return [await notifyGroup(accountChat, 'add', adder, users)];
  return Promise.all(users.map((user) => notifyGroup(accountChat, 'invite', user, [user])));
}

// People leave, or `by` (an admin) removes them.
async function leaveGroup({ group, participants, by }) {
  const accountChat = accountGroup(group);
  const users = phoneUsers(participants, 'groupLeave()');
  for (const user of users) if (!isMember(accountChat, user)) throw refuse('SIMULATOR_REFUSED', `${user} is not in ${accountChat.group.subject}.`);
  const remover = by == null ? null : actor(by, 'groupLeave()');
  if (remover !== null) assertAdmin(accountChat, remover);
  const gone = new Set(users);
  accountChat.group.participants = accountChat.group.participants.filter((p) => !gone.has(participantUser(p.user)));
  if (remover !== null) return [await notifyGroup(accountChat, 'remove', remover, users)];
  return Promise.all(users.map((user) => notifyGroup(accountChat, 'leave', user, [user])));
}

// `by` changes the subject, description, picture, or who may send (announce) or edit the
// group info (restrict). Settings need an admin; so does the info while it is restricted.
async function updateGroup({ group, by, subject, description, picture, announce, restrict }) {
  const accountChat = accountGroup(group);
  const user = actor(by, 'groupUpdate()');
  if (!isMember(accountChat, user)) throw refuse('SIMULATOR_REFUSED', `${user} is not in ${accountChat.group.subject}.`);
  const changes = Object.entries({ subject, description, announce, restrict }).filter(([, v]) => v != null);
  if (picture) changes.push(['picture', true]);
  if (!changes.length) throw refuse('VALIDATION_ERROR', 'groupUpdate(): say what changes: subject, description, picture, announce or restrict.');
  if (subject != null && (typeof subject !== 'string' || !subject.trim())) throw refuse('VALIDATION_ERROR', 'groupUpdate(): the subject must be a non-empty text.');
  if (changes.some(([k]) => k === 'announce' || k === 'restrict') || accountChat.group.restrict) assertAdmin(accountChat, user);
  const ids = [];
  for (const [change, value] of changes) {
    if (GROUP_SETTINGS[change]) accountChat.group[GROUP_SETTINGS[change]] = change === 'announce' || change === 'restrict' ? Boolean(value) : String(value);
    ids.push(await notifyGroup(accountChat, change, user, []));
  }
  return ids;
}

// WhatsApp Web's group metadata (and the chat's title) as the server has the group now.
function syncGroupModel(accountChat) {
  const chat = collections.Chat.get(accountChat.id);
  const meta = chat && chat.groupMetadata;
  if (!meta) return;
  const g = accountChat.group;
  meta.set({ subject: g.subject, desc: g.desc, announce: g.announce, restrict: g.restrict, size: g.participants.length });
  chat.set({ name: g.subject, isAnnounceGrpRestrict: Boolean(g.announce) });
  const wanted = new Map(g.participants.map((p) => [userWid(participantUser(p.user))._serialized, p]));
  for (const member of meta.participants.getModelsArray()) if (!wanted.has(member.id._serialized)) meta.participants.remove(member);
  for (const [id, p] of wanted) {
    if (!meta.participants.get(id)) meta.participants.add(new ParticipantModel({ id: createWid(id), isAdmin: p.isAdmin, isSuperAdmin: p.isSuperAdmin }));
  }
}
