// Device linking and the connection lifecycle: QR refs, pairing codes, the saved link,
// connecting, the history sync and logging out.
//
// The link is saved in IndexedDB (storage.js), so a new browser on the same profile
// connects without a QR code, as WhatsApp Web does with its own keys.

const DEVICE_PLATFORM = 1; // what real QR payloads end with
const PAIRING_CODE_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTVWXYZ'; // 32 symbols, no 0/I/O/U
const DEFAULT_PHONE = { user: '15550100100', pushname: 'Sim Phone', platform: 'android' };
const BOOT_DELAY_MS = 150;
const PAIRING_DELAY_MS = 200;
const RECONNECT_DELAY_MS = 1000;
const RELOAD_AFTER_LOGOUT_MS = 300;

// This browser's companion keys, shown to the phone inside the QR code. Only the public
// halves exist: the simulator does no cryptography.
const registration = {
  noiseKeyPair: { pubKey: randomBytes(32) },
  identityKeyPair: { pubKey: randomBytes(32) },
  advSecretKey: encodeB64(randomBytes(32)),
};

const linking = {
  pairingType: 'QR', // or 'ALT_DEVICE_LINKING' once a pairing code was asked for
  qrRotationMs: 20000,
  qrTimer: null,
  pendingCode: null, // { code, user } while a pairing code waits for the phone
  device: null, // what the phone lists under "Linked devices"
};

const historySync = { progress: 0 };

defineModule('WAWebCompanionRegClientUtils', () => ({ DEVICE_PLATFORM }));
// Required by whatsapp-web.js's AuthStore, which reads none of its members.
defineModule('WAWebAdvSignatureApi', () => ({}));
defineModule('WAWebUserPrefsInfoStore', () => ({
  waNoiseInfo: { get: () => Promise.resolve({ staticKeyPair: registration.noiseKeyPair }) },
}));
defineModule('WAWebSignalStoreApi', () => ({
  waSignalStore: {
    getRegistrationInfo: () => Promise.resolve({ identityKeyPair: registration.identityKeyPair }),
  },
}));
defineModule('WAWebUserPrefsMultiDevice', () => ({ getADVSecretKey: () => registration.advSecretKey }));

defineModule('WAWebUserPrefsMeUser', () => ({
  getMaybeMePnUser: () => (account.me ? userWid(account.me.user) : null),
  // WhatsApp also gives every account a LID (privacy id); the simulator derives one.
  getMaybeMeLidUser: () => (account.me ? createWid(`${meLidUser()}@lid`) : null),
}));

defineModule('WAWebMiscBrowserUtils', () => ({
  info() {
    const chrome = /Chrome\/([\d.]+)/.exec(navigator.userAgent);
    return { name: 'Chrome', version: chrome ? chrome[1] : '', os: navigator.platform };
  },
}));

defineModule('WAWebAltDeviceLinkingApi', () => ({
  setPairingType(type) {
    if (type !== 'ALT_DEVICE_LINKING' && type !== 'QR') throw new Error(`setPairingType: unknown pairing type "${type}"`);
    linking.pairingType = type;
  },
  // The QR screen gives way to the phone-number screen: refs stop rotating.
  initializeAltDeviceLinking() {
    clearTimeout(linking.qrTimer);
    return Promise.resolve();
  },
  startAltLinkingFlow(phoneNumber, _showNotification) {
    assertUnpaired('startAltLinkingFlow');
    if (linking.pairingType !== 'ALT_DEVICE_LINKING') {
      return Promise.reject(new Error("startAltLinkingFlow: call setPairingType('ALT_DEVICE_LINKING') first"));
    }
    const user = String(phoneNumber);
    if (!PHONE_NUMBER.test(user)) {
      return Promise.reject(new Error(`startAltLinkingFlow: "${user}" is not a phone number (7 to 15 digits, no symbols)`));
    }
    if (!isRegistered(user)) return Promise.reject(new Error(`startAltLinkingFlow: ${user} is not on WhatsApp`));
    const code = Array.from(randomBytes(8), (b) => PAIRING_CODE_ALPHABET[b % 32]).join('');
    linking.pendingCode = { code, user };
    return Promise.resolve(code);
  },
  initializeQRLinking() {
    linking.pairingType = 'QR';
    linking.pendingCode = null;
    scheduleQrRotation();
    return Promise.resolve();
  },
}));

defineModule('WAWebLaunchSocketUtils', () => ({
  refreshQR() {
    assertUnpaired('refreshQR');
    Conn.ref = newQrRef();
  },
}));

function assertUnpaired(caller) {
  if (Socket.state !== 'UNPAIRED' && Socket.state !== 'UNPAIRED_IDLE') {
    throw new Error(`${caller}: the socket is ${Socket.state}; this needs an unpaired device`);
  }
}

function meLidUser() {
  return `9${account.me.user.padStart(14, '0')}`;
}

function newQrRef() {
  return `2@${encodeB64(randomBytes(60))}`;
}

function scheduleQrRotation() {
  clearTimeout(linking.qrTimer);
  linking.qrTimer = setTimeout(() => {
    if (Socket.state !== 'UNPAIRED' || linking.pairingType !== 'QR') return;
    Conn.ref = newQrRef();
    scheduleQrRotation();
  }, linking.qrRotationMs);
}

function showQrCode() {
  linking.pairingType = 'QR';
  Conn.ref = newQrRef();
  Socket.state = 'UNPAIRED';
  scheduleQrRotation();
}

// The phone accepted this browser (scanned QR or entered code): pair, then connect. The
// link is on disk before the socket connects, so whatever closes the browser after
// 'ready' (a dropped connection, a crash) finds it on the next start.
function completeLink(phone) {
  clearTimeout(linking.qrTimer);
  linking.pendingCode = null;
  linking.device = requireModule('WAWebMiscBrowserUtils').info();
  account.me = phone;
  Socket.state = 'PAIRING';
  Promise.all([saveLink({ me: phone, device: linking.device, epoch: account.epoch }), delay(PAIRING_DELAY_MS)]).then(
    connect,
    (error) => console.error('WhatsApp Web simulator: could not save the link; the device stays PAIRING', error),
  );
}

function connect() {
  const me = account.me;
  Conn.set({ wid: userWid(me.user), pushname: me.pushname, platform: me.platform, connected: true });
  Socket.state = 'CONNECTED';
  if (Socket.hasSynced) deliverQueued();
  else runHistorySync();
}

async function runHistorySync() {
  // WhatsApp's real history sync takes seconds, long enough for whatsapp-web.js to subscribe
  // to change:hasSynced at the end of its inject(); this one is instant, so it waits for
  // that subscription instead of racing it (a restart would otherwise never reach 'ready').
  await Socket.whenListened('change:hasSynced');
  for (const progress of [0, 50, 100]) {
    historySync.progress = progress;
    Cmd.trigger('offline_progress_update_from_bridge');
  }
  materializeChats([...account.chats.values()]);
  queuedDeliveries.length = 0; // they arrived with the history
  Socket.hasSynced = true;
}

// Ends the link from either side; `cmdEvent` is the command WhatsApp Web announces it
// with: 'logout' when this client logs out, 'logout_from_bridge' when the phone removes it.
// The saved link and history are gone first: client.logout() closes the browser as soon
// as Socket.logout() resolves.
async function unlinkDevice(cmdEvent) {
  clearTimeout(linking.qrTimer);
  await clearSaved();
  Cmd.trigger(cmdEvent);
  // WhatsApp then reloads without credentials on its post-logout URL; the web-version
  // cache only serves https://web.whatsapp.com/ itself, so the simulator reloads that.
  setTimeout(() => location.reload(), RELOAD_AFTER_LOGOUT_MS);
}

function reconnect() {
  Socket.state = 'OPENING';
  setTimeout(connect, BOOT_DELAY_MS);
}

function dropConnection(state) {
  Socket.state = state;
  Conn.connected = false;
  // TIMEOUT is a lost connection that WhatsApp retries by itself; the others need the user.
  if (state === 'TIMEOUT') setTimeout(reconnect, RECONNECT_DELAY_MS);
}

// The saved link decides between a QR code and connecting; the history belongs to the link.
async function boot() {
  Socket.state = 'OPENING';
  const [saved] = await Promise.all([loadSaved(), delay(BOOT_DELAY_MS)]);
  if (!saved.link) {
    seedDefaultAccount(nowSeconds());
    return showQrCode();
  }
  seedDefaultAccount(saved.link.epoch);
  replayHistory(saved);
  applyOfflineDeliveries(saved.link.epoch);
  account.me = saved.link.me;
  linking.device = saved.link.device;
  connect();
}
