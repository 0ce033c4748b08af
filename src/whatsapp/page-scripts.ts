/**
 * Every function here runs inside the WhatsApp Web page (`page.evaluate`), not in Node:
 * puppeteer sends its source text, so the body must be self-contained and must not depend
 * on how the Node side was compiled. tsx and other esbuild loaders (`keepNames`) wrap named
 * inner functions — `function f() {}` and `const f = () => …` inside a body — in
 * `__name(…)`, a helper that exists only in Node. Hence, in these bodies: no named inner
 * functions, no inner `const x = function/arrow`; anonymous callbacks are fine.
 * `test/unit/whatsapp/page-scripts.test.ts` loads this module through tsx, as
 * `npm run headless` would, and checks every export.
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- WhatsApp Web's internal modules are untyped */
type PageWindow = {
  require(name: string): any;
  WWebJS: {
    getMessageModel(m: unknown): unknown;
    getChatModel(c: unknown): Promise<unknown>;
    getContactModel(c: unknown): Record<string, any>;
    forwardMessage(chat: string, msg: string): Promise<void>;
    getChat(id: string, options: { getAsModel: false }): Promise<any>;
  };
};
type Model = { id: { _serialized: string; fromMe?: boolean; server?: string; user?: string }; isNotification?: boolean; t?: number; type?: string };

/**
 * Whether WhatsApp still allows deleting this message for everyone (whatsapp-web.js would
 * silently delete it "for me" instead), or whether it already was.
 */
export function revokeState(msgId: string): 'allowed' | 'revoked' | 'not_allowed' {
  const req = (window as unknown as PageWindow).require;
  const m = req('WAWebCollections').Msg.get(msgId);
  if (m?.type === 'revoked') return 'revoked';
  const can = req('WAWebMsgActionCapability');
  return m && (can.canSenderRevokeMsg(m) || can.canAdminRevokeMsg(m)) ? 'allowed' : 'not_allowed';
}

/**
 * Forwards a message. The chat is found or opened first, as whatsapp-web.js does for a
 * send (a number not on WhatsApp fails there, as a send to it does). forwardMessage
 * resolves without the new message, whose id is the newest of ours in the target chat.
 */
export async function forwardMessage(msgId: string, to: string): Promise<{ missing: true } | { id: string | null }> {
  const w = window as unknown as PageWindow;
  const chat = await w.WWebJS.getChat(to, { getAsModel: false });
  if (!chat) return { missing: true };
  await w.WWebJS.forwardMessage(to, msgId);
  const mine = chat.msgs.getModelsArray().filter((m: Model) => m.id.fromMe);
  return { id: (mine.at(-1)?.id._serialized as string | undefined) ?? null };
}

/** Whether a chat is loaded; getChatById would open a new chat for an unknown number, and reading must not create one. */
export function chatExists(id: string): boolean {
  const req = (window as unknown as PageWindow).require;
  return Boolean(req('WAWebCollections').Chat.get(req('WAWebWidFactory').createWid(id)));
}

export function listGroups(): { id: string; name: string | null; participants: number; is_admin: boolean }[] {
  const req = (window as unknown as PageWindow).require;
  const me = req('WAWebUserPrefsMeUser').getMaybeMePnUser()?._serialized;
  return req('WAWebCollections')
    .Chat.getModelsArray()
    .filter((c: { groupMetadata?: unknown }) => c.groupMetadata)
    .map((c: { id: { _serialized: string }; formattedTitle?: string; name?: string; groupMetadata: { participants: { getModelsArray(): { id: { _serialized: string }; isAdmin?: boolean; isSuperAdmin?: boolean }[] } } }) => {
      const members = c.groupMetadata.participants.getModelsArray();
      const self = members.find((p) => p.id._serialized === me);
      return { id: c.id._serialized, name: c.formattedTitle ?? c.name ?? null, participants: members.length, is_admin: Boolean(self?.isAdmin || self?.isSuperAdmin) };
    });
}

export function groupParticipants(id: string): string[] | null {
  const req = (window as unknown as PageWindow).require;
  const chat = req('WAWebCollections').Chat.get(req('WAWebWidFactory').createWid(id));
  if (!chat?.groupMetadata) return null;
  return chat.groupMetadata.participants.getModelsArray().map((p: Model) => p.id._serialized);
}

/** Contacts matching a name or number; only the matches are serialized, with whatsapp-web.js's own contact model. */
export function searchContacts(q: string, n: number): Record<string, any>[] {
  const w = window as unknown as PageWindow;
  const text = q.trim().toLowerCase();
  const digits = q.replace(/\D/g, '');
  const matches = w
    .require('WAWebCollections')
    .Contact.getModelsArray()
    .filter((c: { id: { server: string; user: string }; name?: string; pushname?: string }) => {
      if (c.id.server !== 'c.us') return false;
      if (!text) return true;
      return (digits.length > 0 && c.id.user.includes(digits)) || (c.name ?? '').toLowerCase().includes(text) || (c.pushname ?? '').toLowerCase().includes(text);
    })
    .slice(0, n);
  return matches.map((c: unknown) => w.WWebJS.getContactModel(c));
}

/**
 * One round trip for a chat read: whether the chat exists, its summary, and the page of `n`
 * messages ending just before the message `beforeId` (or before the time `beforeTime`, or at
 * the newest), loading earlier history from the phone as whatsapp-web.js's fetchMessages does.
 * Notifications are left out: WhatsApp Web's own, and the `skipTypes` (system-messages.ts).
 */
export async function chatMessages(
  id: string,
  n: number,
  beforeId: string | null,
  beforeTime: number | null,
  skipTypes: readonly string[] = [],
): Promise<{ missingChat: true } | { missingBefore: true } | { chat: unknown; messages: unknown[]; hasOlder: boolean; beforeTime: number | null }> {
  const w = window as unknown as PageWindow;
  const chat = w.require('WAWebCollections').Chat.get(w.require('WAWebWidFactory').createWid(id));
  if (!chat) return { missingChat: true };
  let msgs: Model[] = [];
  let end = -1;
  for (;;) {
    msgs = chat.msgs.getModelsArray().filter((m: Model) => !m.isNotification && !skipTypes.includes(m.type ?? ''));
    if (beforeId !== null) end = msgs.findIndex((m) => m.id._serialized === beforeId);
    else if (beforeTime !== null) {
      end = msgs.findIndex((m) => (m.t ?? 0) >= beforeTime);
      if (end < 0) end = msgs.length;
    } else end = msgs.length;
    if (end >= n) break;
    const more = await w.require('WAWebChatLoadMessages').loadEarlierMsgs({ chat });
    if (!more || !more.length) break;
  }
  if (end < 0) return { missingBefore: true };
  const start = Math.max(0, end - n);
  return {
    chat: await w.WWebJS.getChatModel(chat),
    messages: msgs.slice(start, end).map((m) => w.WWebJS.getMessageModel(m)),
    hasOlder: start > 0,
    beforeTime: beforeId !== null ? (msgs[end]?.t ?? null) : null,
  };
}

/**
 * After the phone was asked for older messages (whatsapp-web.js syncHistory): whether some
 * arrived within `ms`. They arrive as a history sync; loading earlier messages is how
 * WhatsApp Web (and whatsapp-web.js's fetchMessages) finds them.
 */
export async function waitForOlderMessages(id: string, ms: number, pollMs: number): Promise<boolean> {
  const w = window as unknown as PageWindow;
  const chat = w.require('WAWebCollections').Chat.get(w.require('WAWebWidFactory').createWid(id));
  if (!chat) return false;
  const deadline = Date.now() + ms;
  for (;;) {
    const more = await w.require('WAWebChatLoadMessages').loadEarlierMsgs({ chat });
    if (more && more.length) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** The `n` most recent chats, serialized; a large account has thousands and only these are read out. */
export async function recentChats(n: number): Promise<unknown[]> {
  const w = window as unknown as PageWindow;
  const all: Model[] = w.require('WAWebCollections').Chat.getModelsArray();
  const top = [...all].sort((a, b) => (b.t ?? 0) - (a.t ?? 0)).slice(0, n);
  return Promise.all(top.map((c) => w.WWebJS.getChatModel(c)));
}

/**
 * Each id's person as a phone-number id and a LID, as far as WhatsApp Web knows them
 * (WAWebApiContact, as whatsapp-web.js's getContactLidAndPhone reads it, without its
 * fallback query to WhatsApp's servers). Ids that are neither are left out.
 */
export function identities(ids: string[]): Record<string, { phone: string | null; lid: string | null }> {
  const req = (window as unknown as PageWindow).require;
  const contacts = req('WAWebApiContact');
  const factory = req('WAWebWidFactory');
  const me = req('WAWebUserPrefsMeUser');
  const mePhone: string | null = me.getMaybeMePnUser()?._serialized ?? null;
  let meLid: string | null = null;
  try {
    meLid = me.getMaybeMeLidUser()?._serialized ?? null;
  } catch {
    meLid = null;
  }
  const out: Record<string, { phone: string | null; lid: string | null }> = {};
  for (const id of ids) {
    if (id === mePhone || (meLid !== null && id === meLid)) {
      out[id] = { phone: mePhone, lid: meLid };
      continue;
    }
    let wid: { server?: string } | null = null;
    try {
      wid = factory.createWid(id);
    } catch {
      wid = null;
    }
    if (wid?.server !== 'lid' && wid?.server !== 'c.us') continue;
    let other: { _serialized?: string } | null | undefined = null;
    try {
      other = wid.server === 'lid' ? contacts.getPhoneNumber(wid) : contacts.getCurrentLid(wid);
    } catch {
      other = null;
    }
    const found = other?._serialized ?? null;
    out[id] = id.endsWith('@lid') ? { phone: found, lid: id } : { phone: id, lid: found };
  }
  return out;
}

/** A group's settings as WhatsApp Web holds them; null when it has no such group. */
export function groupState(id: string): { subject: string | null; description: string | null; announce: boolean; restrict: boolean } | null {
  const req = (window as unknown as PageWindow).require;
  const meta = req('WAWebCollections').GroupMetadata.get(req('WAWebWidFactory').createWid(id));
  if (!meta) return null;
  return { subject: meta.subject ?? null, description: meta.desc || null, announce: Boolean(meta.announce), restrict: Boolean(meta.restrict) };
}

/**
 * The demo's controls: a method of the simulator page's own API (`window.__waSimulator`).
 * An action the simulated person cannot take comes back as `refused`, with its code.
 */
export async function callSimulator(name: string, params: unknown[]): Promise<{ value: unknown } | { refused: { code: string; message: string } }> {
  const api = (window as unknown as { __waSimulator?: Record<string, (...a: unknown[]) => unknown> }).__waSimulator;
  if (!api) throw new Error('This page is not the WhatsApp Web simulator (window.__waSimulator is missing)');
  try {
    return { value: await api[name]!(...params) };
  } catch (err) {
    const refusal = (err as { refusal?: unknown } | null)?.refusal;
    if (typeof refusal === 'string') return { refused: { code: refusal, message: (err as Error).message } };
    throw err;
  }
}
