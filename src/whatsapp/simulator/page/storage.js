// What survives a restart: the device link and the account's runtime history, in IndexedDB
// of the https://web.whatsapp.com origin, i.e. in the browser profile (whatsapp-web.js's
// LocalAuth keeps that profile in <dataPath>/session). Real WhatsApp Web keeps its keys and
// messages in IndexedDB too. Not localStorage: Chromium writes that to disk seconds later,
// so a browser closed soon after linking (WhatsApp dropping the connection, a crash) came
// back unpaired. An IndexedDB transaction is written when it completes.
//
// Stores: 'link' (one record under 'link': the phone, the device, the account's epoch),
// 'chats' ({ id, t, unreadCount, group? } of chats created or changed at runtime), 'messages'
// (messages sent, received or changed at runtime, with their chat id, keyed by `seq` in the
// order they were first saved) and 'media' (the media server's files, by direct path).

const DB_NAME = 'WAWebSimulator';
const DB_VERSION = 2; // 2 added 'media'
const STORES = ['link', 'chats', 'messages', 'media'];

const storage = {
  db: null, // null before boot, and once the link is being cleared: later writes are dropped
  lastSeq: 0, // of the newest saved message
};

function openStorage() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      const create = (name, options) => db.objectStoreNames.contains(name) || db.createObjectStore(name, options);
      create('link');
      create('chats', { keyPath: 'id' });
      create('messages', { keyPath: 'seq' });
      create('media', { keyPath: 'directPath' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

// Runs `work(transaction)` and resolves with what it returns once the transaction completes.
// 'strict' waits until the data is flushed to the disk; 'relaxed' until the OS has it, which
// survives the browser being killed (not a power cut).
function transact(db, mode, durability, work) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORES, mode, { durability });
    const result = work(tx);
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error('IndexedDB transaction aborted'));
  });
}

// Reads everything at boot: { link, chats, messages } (messages oldest first).
async function loadSaved() {
  storage.db = await openStorage();
  const requests = await transact(storage.db, 'readonly', 'default', (tx) => ({
    link: tx.objectStore('link').get('link'),
    chats: tx.objectStore('chats').getAll(),
    messages: tx.objectStore('messages').getAll(),
  }));
  const saved = { link: requests.link.result || null, chats: requests.chats.result, messages: requests.messages.result };
  storage.lastSeq = saved.messages.length ? saved.messages[saved.messages.length - 1].seq : 0;
  return saved;
}

// Resolves once the link is on disk: only then may the device connect.
function saveLink(link) {
  if (!storage.db) return Promise.reject(new Error('saveLink: the simulator storage is not open'));
  return transact(storage.db, 'readwrite', 'strict', (tx) => tx.objectStore('link').put(link, 'link'));
}

// Saves a chat's state and, if given, one of its messages (new, or with a new ack).
// Transactions run in the order they are created, so acks cannot overtake their message.
// Resolves when this write is committed: WhatsApp's servers hold a message once it is
// accepted, so what a send or an incoming message resolves with must survive a restart.
function saveActivity(accountChat, record) {
  if (!storage.db) return Promise.resolve();
  if (record && record.seq === undefined) record.seq = ++storage.lastSeq;
  return transact(storage.db, 'readwrite', 'relaxed', (tx) => {
    tx.objectStore('chats').put({ id: accountChat.id, t: accountChat.t, unreadCount: accountChat.unreadCount, group: accountChat.group });
    if (record) tx.objectStore('messages').put({ ...record, chatId: accountChat.id });
  }).catch((error) => console.error('WhatsApp Web simulator: could not save the history', error));
}

// Saves a file of the media server, so that it can still be downloaded after a restart.
function saveMedia(entry) {
  if (!storage.db) return;
  transact(storage.db, 'readwrite', 'relaxed', (tx) => tx.objectStore('media').put(entry)).catch((error) =>
    console.error('WhatsApp Web simulator: could not save a media file', error),
  );
}

// A file of the media server saved by an earlier page, or undefined.
async function loadMedia(directPath) {
  if (!storage.db) return undefined;
  const request = await transact(storage.db, 'readonly', 'default', (tx) => tx.objectStore('media').get(directPath));
  return request.result;
}

// Forgets the link and the history: a new link starts from the default account again.
function clearSaved() {
  const db = storage.db;
  storage.db = null;
  if (!db) return Promise.resolve();
  return transact(db, 'readwrite', 'strict', (tx) => {
    for (const name of STORES) tx.objectStore(name).clear();
  });
}
