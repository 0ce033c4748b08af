// Contact getters, as used by whatsapp-web.js's getContactModel (client.getContactById,
// message.getContact(), chat.getContact()).

defineModule('WAWebContactGetters', () => ({
  getIsMe: (contact) => Boolean(account.me) && contact.id._serialized === `${account.me.user}@c.us`,
  getIsUser: (contact) => contact.id.isUser(),
  getIsGroup: (contact) => contact.id.isGroup(),
  getIsWAContact: (contact) => contact.id.isUser() && isRegistered(contact.id.user),
  getUserid: (contact) => contact.id.user,
  getName: (contact) => contact.name,
  getShortName: (contact) => contact.shortName,
  getPushname: (contact) => contact.pushname,
  // No simulated contact is a verified business.
  getVerifiedName: () => undefined,
  getVerifiedLevel: () => undefined,
  getStatusMute: (contact) => contact.statusMute,
  getIsEnterprise: (contact) => contact.isEnterprise,
}));

defineModule('WAWebFrontendContactGetters', () => ({
  getIsMyContact: (contact) => Boolean(contact.isAddressBookContact),
}));

// Only the account owner's phone number and LID are known to belong together; LIDs of
// other people are not simulated.
defineModule('WAWebApiContact', () => ({
  getAlternateUserWid(wid) {
    if (!account.me) return null;
    if (wid.isLid()) return wid.user === meLidUser() ? meWid() : null;
    return wid.user === account.me.user ? createWid(`${meLidUser()}@lid`) : null;
  },
}));
