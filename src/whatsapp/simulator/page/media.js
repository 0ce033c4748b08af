// Media. Sending: whatsapp-web.js's processMediaData turns the file into opaque data,
// prepares it (WhatsApp decides the message type: image, video, audio, voice note `ptt`,
// document), finds its media object and uploads it; the message then carries the upload's
// directPath and mediaKey. Downloading: msg.downloadMedia() resolves the media, and the
// download manager fetches it by directPath and unlocks it with the mediaKey.
//
// The media server stands in for WhatsApp's: it keeps each file under a direct path with
// the key that unlocks it, in this page and in IndexedDB (storage.js), so files sent or
// received before a restart can still be downloaded. Real WhatsApp encrypts the file with
// the key and stores the ciphertext; the simulated server keeps the bytes as they are (so
// encFilehash equals filehash) and only checks the key. No thumbnails, dimensions,
// durations or transcoding: WhatsApp Web computes those from the decoded media.

const mediaServer = new Map(); // directPath -> { directPath, blob, mediaKey, mediaKeyTimestamp, filehash, size }

class OpaqueData {
  constructor(blob) {
    this._blob = blob;
    this._url = null;
  }

  static createFromData(data, mimetype) {
    if (!(data instanceof Blob)) return Promise.reject(new Error('OpaqueData.createFromData: expected a Blob or a File'));
    return Promise.resolve(new OpaqueData(data.type === mimetype ? data : new File([data], data.name || '', { type: mimetype })));
  }

  get type() {
    return this._blob.type;
  }

  get size() {
    return this._blob.size;
  }

  // A File keeps the name it was sent with; documents show it.
  get name() {
    return this._blob.name;
  }

  url() {
    if (!this._url) this._url = URL.createObjectURL(this._blob);
    return this._url;
  }

  // Releases the object URL once nothing shows the media; nothing does in the simulator.
  autorelease() {
    if (this._url) URL.revokeObjectURL(this._url);
    this._url = null;
  }

  formData() {
    return this._blob;
  }

  arrayBuffer() {
    return this._blob.arrayBuffer();
  }
}
defineModule('WAWebMediaOpaqueData', () => OpaqueData);

// A message's media: what it is, where it lives, and how far it is resolved (mediaStage:
// INIT, FETCHING, RESOLVED, ERROR_MISSING).
class MediaDataModel extends Model {}
defineProps(MediaDataModel, [
  'type',
  'mimetype',
  'filename',
  'filehash',
  'size',
  'isGif',
  'isViewOnce',
  'caption',
  'waveform',
  'preview',
  'mediaBlob',
  'renderableUrl',
  'mediaStage',
  'clientUrl',
  'deprecatedMms3Url',
  'directPath',
  'mediaKey',
  'mediaKeyTimestamp',
  'encFilehash',
  'uploadhash',
  'streamingSidecar',
  'firstFrameSidecar',
  'mediaHandle',
]);

// What WhatsApp makes of a file: the flags apply only to files they fit.
function mediaMsgType(mimetype, { asDocument, isPtt } = {}) {
  if (asDocument) return 'document';
  const top = mimetype.split('/')[0];
  if (top === 'image' || top === 'video') return top;
  if (top === 'audio') return isPtt ? 'ptt' : 'audio';
  return 'document';
}

async function sha256Base64(buffer) {
  return encodeB64(await crypto.subtle.digest('SHA-256', buffer));
}

defineModule('WAWebPrepRawMedia', () => ({
  prepRawMedia(opaqueData, params) {
    const prepared = (async () => {
      const type = mediaMsgType(opaqueData.type, params);
      return new MediaDataModel({
        type,
        mimetype: opaqueData.type,
        // Only documents carry a file name in WhatsApp.
        filename: type === 'document' ? opaqueData.name : undefined,
        filehash: await sha256Base64(await opaqueData.arrayBuffer()),
        size: opaqueData.size,
        isGif: type === 'video' && Boolean(params.asGif),
        mediaBlob: opaqueData,
        mediaStage: 'PREPARED',
      });
    })();
    return { waitForPrep: () => prepared };
  },
}));

// One media object per file content (filehash), shared by the messages that carry it.
const mediaObjects = new Map();

class MediaObject {
  constructor(filehash) {
    this.filehash = filehash;
    this.contentInfo = {}; // a waveform, once WhatsApp has one
  }

  consolidate(mediaData) {
    for (const key of ['type', 'mimetype', 'size', 'mediaBlob']) if (mediaData[key] !== undefined) this[key] = mediaData[key];
  }
}

defineModule('WAWebMediaStorage', () => ({
  getOrCreateMediaObject(filehash) {
    if (!mediaObjects.has(filehash)) mediaObjects.set(filehash, new MediaObject(filehash));
    return mediaObjects.get(filehash);
  },
}));

// Media types of the media servers (v4); a GIF is a video with its own type there.
const MMS_TYPES = new Set(['image', 'video', 'gif', 'audio', 'ptt', 'document', 'sticker']);

defineModule('WAWebMmsMediaTypes', () => ({
  msgToMediaType({ type, isGif }) {
    return type === 'video' && isGif ? 'gif' : type;
  },
  castToV4(type) {
    if (!MMS_TYPES.has(type)) throw new Error(`castToV4: unknown media type "${type}"`);
    return type;
  },
}));

// Pictures are kept in memory to show them; the rest is fetched when played or opened.
defineModule('WAWebMediaDataUtils', () => ({
  shouldUseMediaCache: (mmsType) => mmsType === 'image' || mmsType === 'sticker',
}));

defineModule('WAWebMediaInMemoryBlobCache', () => {
  const blobs = new Map();
  return {
    InMemoryMediaBlobCache: {
      put: (filehash, data) => blobs.set(filehash, data),
      get: (filehash) => blobs.get(filehash),
    },
  };
});

defineModule('WAWebMediaMmsV4Upload', () => ({
  async uploadMedia({ mediaObject, mediaType }) {
    if (!MMS_TYPES.has(mediaType)) throw new Error(`uploadMedia: unknown media type "${mediaType}"`);
    if (!(mediaObject.mediaBlob instanceof OpaqueData)) throw new Error('uploadMedia: the media object has no data to upload');
    const entry = await storeOnMediaServer(mediaObject.mediaBlob.formData());
    return {
      mediaEntry: {
        mmsUrl: `https://mmg.whatsapp.net${entry.directPath}`,
        deprecatedMms3Url: `https://mmg.whatsapp.net${entry.directPath}`,
        directPath: entry.directPath,
        mediaKey: entry.mediaKey,
        mediaKeyTimestamp: entry.mediaKeyTimestamp,
        encFilehash: entry.filehash,
        uploadHash: entry.filehash,
      },
    };
  },
}));

defineModule('WAWebDownloadManager', () => ({
  downloadManager: {
    async downloadAndMaybeDecrypt({ directPath, mediaKey }) {
      const entry = await findOnMediaServer(directPath);
      if (!entry) throw Object.assign(new Error(`media-fault: 404 for ${directPath}`), { status: 404 });
      if (entry.mediaKey !== mediaKey) throw new Error('media-fault: the media key does not unlock this file');
      return entry.blob.arrayBuffer();
    },
  },
}));

// Somebody uploads a file: it gets a direct path and a key, and the server keeps it.
async function storeOnMediaServer(blob) {
  const filehash = await sha256Base64(await blob.arrayBuffer());
  const entry = {
    directPath: `/v/t62.7118-24/${randomHex(16)}.enc`,
    blob,
    mediaKey: encodeB64(randomBytes(32)),
    mediaKeyTimestamp: nowSeconds(),
    filehash,
    size: blob.size,
  };
  mediaServer.set(entry.directPath, entry);
  saveMedia(entry);
  return entry;
}

async function findOnMediaServer(directPath) {
  if (!mediaServer.has(directPath)) {
    const saved = await loadMedia(directPath);
    if (saved) mediaServer.set(directPath, saved);
  }
  return mediaServer.get(directPath);
}

// msg.downloadMedia(): the media of a message that has not been fetched yet.
async function resolveMedia(msg) {
  const mediaData = msg.mediaData;
  if (!mediaData) throw new Error('downloadMedia: this message has no media');
  mediaData.mediaStage = 'FETCHING';
  mediaData.mediaStage = (await findOnMediaServer(msg.directPath)) ? 'RESOLVED' : 'ERROR_MISSING';
}

// A contact's phone uploads a file and sends it: the record of the message it becomes.
async function incomingMediaRecord({ data, mimetype, filename, asVoice, asGif, asDocument, viewOnce }) {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const type = mediaMsgType(mimetype, { asDocument, isPtt: asVoice });
  const entry = await storeOnMediaServer(new Blob([bytes], { type: mimetype }));
  return {
    type,
    mimetype,
    filename: type === 'document' ? filename || 'file' : undefined,
    size: entry.size,
    filehash: entry.filehash,
    encFilehash: entry.filehash,
    directPath: entry.directPath,
    mediaKey: entry.mediaKey,
    mediaKeyTimestamp: entry.mediaKeyTimestamp,
    isGif: type === 'video' && Boolean(asGif),
    isViewOnce: (type === 'image' || type === 'video') && Boolean(viewOnce),
  };
}
