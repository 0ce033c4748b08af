// Messages WhatsApp's servers held for this device while no WhatsApp Web page was open at
// all (index.ts deliverWhileClosed writes them into the page as OFFLINE_DELIVERIES). The
// phone syncs them back with the rest of the history when the page loads, as it does for
// everything else: they are in the chats, unread, but arrive as no new-message event. Each
// is applied once (by id) and only to a link older than the message.

function applyOfflineDeliveries(epoch) {
  for (const d of OFFLINE_DELIVERIES) {
    if (d.t < epoch) continue;
    const chatId = d.group || personalChatId(d.from);
    if (d.group && !account.chats.has(chatId)) continue;
    const accountChat = account.chats.get(chatId) || addAccountChat({ id: chatId, t: d.t });
    if (findRecord(accountChat, d.id)) continue;
    const known = account.contacts.get(d.from) || {};
    if (d.pushname) account.contacts.set(d.from, { ...known, pushname: d.pushname });
    const record = { id: d.id, fromMe: false, t: d.t, body: d.body, ack: 1, author: d.group ? d.from : undefined, notifyName: d.pushname || known.pushname };
    accountChat.messages.push(record);
    accountChat.t = Math.max(accountChat.t, d.t);
    accountChat.unreadCount += 1;
    saveActivity(accountChat, record);
  }
}
