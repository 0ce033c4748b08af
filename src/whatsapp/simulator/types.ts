/** What the simulator's controls take and give (SimulatorControl, page/controls.js). */

/** Socket states disconnect() can put WhatsApp Web in; see WAState in whatsapp-web.js. */
export type DisconnectState =
  | 'CONFLICT'
  | 'TIMEOUT'
  | 'UNLAUNCHED'
  | 'PROXYBLOCK'
  | 'TOS_BLOCK'
  | 'SMB_TOS_BLOCK'
  | 'DEPRECATED_VERSION';

/** The phone that links: its number (digits), WhatsApp display name and platform. */
export interface SimulatedPhone {
  user?: string;
  pushname?: string;
  platform?: string;
}

export interface IncomingMessage {
  /** Sender's phone number, digits only. */
  from: string;
  /** The text; with `media`, its caption (optional). */
  body?: string;
  /** Sender's WhatsApp display name (notifyName on the message). */
  pushname?: string;
  /** A group id (…@g.us) of the account: the message is posted there by `from`. */
  group?: string;
  /** A file the sender's phone uploads and sends. */
  media?: IncomingMedia;
}

/** A system notice in a chat; `subtype` defaults to a typical one for the type. */
export interface SystemNoticeInput {
  /** A chat id of the account, or a person's phone number (digits): their 1:1 chat. */
  chat: string;
  type: 'e2e_notification' | 'notification_template' | 'notification' | 'call_log' | 'protocol';
  subtype?: string;
}

/** What WhatsApp makes of the file follows its type; the flags apply where they fit. */
export interface IncomingMedia {
  /** The file, base64. */
  data: string;
  mimetype: string;
  /** Kept for documents only, as in WhatsApp. */
  filename?: string;
  /** Audio as a voice note (type 'ptt'). */
  asVoice?: boolean;
  /** A video that plays as a GIF. */
  asGif?: boolean;
  asDocument?: boolean;
  /** A photo or video that can be opened once. */
  viewOnce?: boolean;
}

/** What WhatsApp holds for one message: what the other side received. */
export interface SimulatedMessage {
  /** Serialized, as whatsapp-web.js and the bridge name it. */
  id: string;
  chatId: string;
  fromMe: boolean;
  /** In groups: who wrote it (…@c.us). */
  author: string | null;
  /** chat, image, video, audio, ptt (voice note), document, location, poll_creation, revoked */
  type: string;
  body: string;
  caption: string | null;
  /** Seconds. */
  t: number;
  ack: number;
  /** The message this one replies to. */
  quotedId: string | null;
  /** Mentioned ids (…@c.us), whether or not the text shows them. */
  mentions: string[];
  linkPreview: { title: string; description: string; url: string } | null;
  /** filehash: base64 SHA-256 of the file's bytes. */
  media: { mimetype: string; filename: string | null; size: number; filehash: string; viewOnce: boolean; gif: boolean } | null;
  location: { latitude: number; longitude: number; description: string | null } | null;
  /** selectableCount: 0 means any number of answers. */
  poll: { name: string; options: string[]; selectableCount: number } | null;
  reactions: { sender: string; emoji: string }[];
  /** Deleted for everyone, by its sender or a group admin. */
  revoked: 'sender' | 'admin' | null;
  forwarded: boolean;
  forwardingScore: number;
  /** Deleted only for us: gone from this device and the phone, while the other side still has it. */
  deletedForMe: boolean;
  /** Whether its sender edited it. */
  edited: boolean;
  /** Of a poll: each voter's current choice (option names). */
  votes: { voter: string; options: string[] }[];
}

/** A group's member (phone number, digits) acts: `by` adds or removes; without it they join by link, or leave. */
export interface GroupMembersInput {
  group: string;
  participants: string[];
  by?: string;
}

/** `by`, a member, changes the group; settings and (while restricted) the info need an admin. */
export interface GroupUpdateInput {
  group: string;
  by: string;
  subject?: string;
  description?: string;
  /** A new group picture (only the notification: pictures are not simulated). */
  picture?: boolean;
  /** Only admins can send messages. */
  announce?: boolean;
  /** Only admins can edit the group info. */
  restrict?: boolean;
}

/** Codes a refused action of the simulated people carries (see SimulatorRefusal). */
export type RefusalCode =
  | 'MESSAGE_NOT_FOUND'
  | 'MESSAGE_ALREADY_DELETED'
  | 'REVOKE_NOT_ALLOWED'
  | 'GROUP_NOT_FOUND'
  | 'CHAT_NOT_FOUND'
  | 'VALIDATION_ERROR'
  | 'SIMULATOR_REFUSED';

/** The simulated person cannot do that now; `code` says which kind of refusal it is. */
export class SimulatorRefusal extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
    this.name = 'SimulatorRefusal';
  }
}

/** Generated account data; see page/account.js. */
export interface SeedInput {
  /** New 1:1 chats with "Contact <n>". */
  chats: number;
  messagesPerChat: number;
  /** New groups "Group <n>" with Alice, Bob, Carla and us; we administer every other one. */
  groups?: number;
}

export interface SimulatorSnapshot {
  linked: boolean;
  /** The account's id (…@c.us) once a phone has linked. */
  me: string | null;
  socketState: string;
  hasSynced: boolean;
  /** The QR ref on screen, if the page is showing a QR code. */
  qrRef: string | null;
  qrRotationMs: number;
  pendingPairingCode: string | null;
  linkedDevice: { name: string; version: string; os: string } | null;
  /** Chats loaded in WhatsApp Web (WAWebCollections.Chat). */
  chats: number;
  /** Chats the account has, loaded or not. */
  accountChats: number;
  unregisteredNumbers: string[];
  /** Modules something asked window.require for that the simulator does not provide. */
  missingModules: string[];
  /** Errors thrown by event listeners inside the page, whatsapp-web.js's included. */
  listenerErrors: string[];
  /** How often WhatsApp Web asked the phone for a chat's older messages (syncHistory). */
  historySyncRequests: number;
}

/** The in-page object, window.__waSimulator (page/controls.js). */

export interface ContactReadsOptions {
  /** They also listen to our voice notes: those go to ack 4 (played) instead of 3 (read). */
  played?: boolean;
}
