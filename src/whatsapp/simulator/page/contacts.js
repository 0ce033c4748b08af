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

// The account owner's phone number and LID belong together, and so do those of the people
// WhatsApp addresses by LID (account.js); other people's LIDs are not simulated.
function alternateWid(wid) {
  if (!account.me) return null;
  if (wid.isLid()) {
    if (wid.user === meLidUser()) return meWid();
    const phone = phoneUserOf(wid._serialized);
    return phone ? userWid(phone) : null;
  }
  if (wid.user === account.me.user) return meLidWid();
  const lid = lidUserOf(wid.user);
  return lid ? createWid(`${lid}@lid`) : null;
}

defineModule('WAWebApiContact', () => ({
  getAlternateUserWid: alternateWid,
  // whatsapp-web.js's enforceLidAndPnRetrieval (getContactLidAndPhone) asks these.
  getCurrentLid: (wid) => (wid.isLid() ? wid : alternateWid(wid)),
  getPhoneNumber: (wid) => (wid.isLid() ? alternateWid(wid) : wid),
}));
