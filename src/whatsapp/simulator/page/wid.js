// WhatsApp ids. A Wid ("WhatsApp id") is `<user>@<server>`: c.us for phone numbers,
// lid for privacy ids, g.us for groups. Its own properties are exactly server, user and
// _serialized, which is what page.evaluate hands back to Node; JSON.stringify (used by
// puppeteer for exposed-function arguments) turns it into the plain string.

const SERVERS = new Set(['c.us', 'g.us', 'lid', 'broadcast', 'newsletter']);

class Wid {
  constructor(serialized) {
    const at = serialized.indexOf('@');
    this.server = serialized.slice(at + 1);
    this.user = serialized.slice(0, at);
    this._serialized = serialized;
  }

  isUser() {
    return this.server === 'c.us' || this.server === 'lid';
  }

  isLid() {
    return this.server === 'lid';
  }

  isGroup() {
    return this.server === 'g.us';
  }

  isBroadcast() {
    return this.server === 'broadcast';
  }

  isStatus() {
    return this._serialized === 'status@broadcast';
  }

  isNewsletter() {
    return this.server === 'newsletter';
  }

  toString() {
    return this._serialized;
  }

  toJSON() {
    return this._serialized;
  }
}

function createWid(value) {
  if (typeof value !== 'string') throw new Error(`createWid: expected a string, got ${typeof value}`);
  // Jids from the wire use s.whatsapp.net; WhatsApp Web normalises them to c.us.
  const serialized = value.replace(/@s\.whatsapp\.net$/, '@c.us');
  const at = serialized.indexOf('@');
  if (at <= 0 || !SERVERS.has(serialized.slice(at + 1))) throw new Error(`createWid: invalid wid "${value}"`);
  return new Wid(serialized);
}

function userWid(user) {
  return createWid(`${user}@c.us`);
}

defineModule('WAWebWidFactory', () => ({
  createWid,
  createWidFromWidLike(widLike) {
    if (widLike instanceof Wid) return widLike;
    return createWid(typeof widLike === 'string' ? widLike : widLike._serialized);
  },
  asUserWidOrThrow(wid) {
    if (!(wid instanceof Wid) || !wid.isUser()) throw new Error(`asUserWidOrThrow: ${wid} is not a user wid`);
    return wid;
  },
}));

// A message key: who sent it (fromMe), which chat (remote), the id the sender generated,
// and for groups the participant who wrote it.
class MsgKey {
  constructor(fields) {
    if (!fields) throw new Error('MsgKey error: obj is null/undefined');
    const fromMe = fields.selfDir !== undefined ? fields.selfDir === 'out' : Boolean(fields.fromMe);
    const remote = fields.selfDir !== undefined ? (fromMe ? fields.to : fields.from) : fields.remote;
    if (!(remote instanceof Wid) || typeof fields.id !== 'string') throw new Error('MsgKey error: remote and id are required');
    this.fromMe = fromMe;
    this.remote = remote;
    this.id = fields.id;
    if (fields.participant) this.participant = fields.participant;
    this._serialized = [String(fromMe), remote._serialized, fields.id, fields.participant && fields.participant._serialized]
      .filter(Boolean)
      .join('_');
  }

  static newId() {
    return Promise.resolve(newMessageId());
  }
}

// Ids WhatsApp Web generates for its own messages: "3EB0" and uppercase hex.
function newMessageId() {
  return `3EB0${randomHex(8)}`;
}

defineModule('WAWebMsgKey', () => MsgKey);

function randomBytes(length) {
  return crypto.getRandomValues(new Uint8Array(length));
}

function randomHex(byteLength) {
  return Array.from(randomBytes(byteLength), (b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
}

function encodeB64(bytes) {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let binary = '';
  for (const byte of view) binary += String.fromCharCode(byte);
  return btoa(binary);
}

defineModule('WABase64', () => ({ encodeB64 }));
