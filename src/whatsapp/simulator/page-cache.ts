import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PRIVATE_DIR_MODE } from '../../core/private-dir.js';

/*
 * The simulator page as whatsapp-web.js's local web cache serves it, and what WhatsApp's
 * servers hold for the account while no page is open (written into the page).
 */

/**
 * The WhatsApp Web version the simulator page reports (window.Debug.VERSION) and the name
 * of its file in the web-version cache. whatsapp-web.js compares versions numerically after
 * stripping only "-beta", so this must be all digits; the highest 2.3000 build takes every
 * modern code path.
 */
export const SIMULATOR_VERSION = '2.3000.9999999999';

/** Page sources in load order: each may use what the ones before it define. */
const PAGE_SOURCES = [
  'loader.js',
  'events.js',
  'wid.js',
  'socket.js',
  'storage.js',
  'account.js',
  'content.js',
  'media.js',
  'store.js',
  'linking.js',
  'actions.js',
  'message-actions.js',
  'contact-actions.js',
  'groups.js',
  'offline.js',
  'contacts.js',
  'controls.js',
] as const;

/**
 * People of the default account whom WhatsApp addresses by their LID ("…@lid", a privacy id)
 * rather than their phone number: phone number → LID, digits. Their chat is "<LID>@lid" and
 * WhatsApp Web knows the phone number that goes with it. Grace (…07) has no chat yet; Hana
 * (…08) was moved to her LID after she had written, so she has both chats, as WhatsApp Web
 * shows people after WhatsApp's LID migration: the phone-number chat with the older
 * messages, the LID chat with the newer ones.
 */
export const LID_CONTACTS: Readonly<Record<string, string>> = { '15550100007': '185000000000007', '15550100008': '185000000000008' };

/** Where deliverWhileClosed keeps what WhatsApp's servers hold for a closed page, next to the page. */
const OFFLINE_FILE = 'offline-deliveries.json';

const SCRIPT_SLOT = '<!-- simulator-script -->';

export interface SimulatorCache {
  webVersionCache: { type: 'local'; path: string; strict: true };
  webVersion: string;
}

/**
 * Writes the simulator page to `dir/<SIMULATOR_VERSION>.html`. Pass the result to the
 * whatsapp-web.js Client options: it then answers https://web.whatsapp.com/ with that file.
 */
export async function prepareSimulatorCache(dir: string): Promise<SimulatorCache> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const html = await buildSimulatorPage(await readOfflineDeliveries(dir));
  // whatsapp-web.js reads the file at every initialize(): never let it see half of one.
  const file = path.join(dir, `${SIMULATOR_VERSION}.html`);
  await writeFile(`${file}.tmp`, html);
  await rename(`${file}.tmp`, file);
  return { webVersionCache: { type: 'local', path: dir, strict: true }, webVersion: SIMULATOR_VERSION };
}

/** JSON for an inline script: "<" escaped so that no text can end the script element. */
const inlineJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

async function buildSimulatorPage(offline: OfflineDelivery[]): Promise<string> {
  const read = (name: string) => readFile(new URL(`./page/${name}`, import.meta.url), 'utf8');
  const [template, ...sources] = await Promise.all([read('template.html'), ...PAGE_SOURCES.map(read)]);
  if (!template?.includes(SCRIPT_SLOT)) throw new Error(`page/template.html has lost its ${SCRIPT_SLOT} marker`);
  // All sources share one function scope: the page is one inline script, since the
  // browser cannot fetch anything else while whatsapp-web.js serves it from the cache.
  const script = [
    '(() => {',
    "'use strict';",
    `const SIMULATOR_VERSION = ${JSON.stringify(SIMULATOR_VERSION)};`,
    `const LID_CONTACTS = ${inlineJson(LID_CONTACTS)};`,
    `const OFFLINE_DELIVERIES = ${inlineJson(offline)};`,
    ...sources.map((source, i) => `// ---- ${PAGE_SOURCES[i]}\n${source}`),
    '})();',
  ].join('\n');
  if (/<\/script/i.test(script)) throw new Error('a simulator page source contains "</script", which would end the inline script');
  return template.replace(SCRIPT_SLOT, () => `<script>\n${script}\n</script>`);
}

/** A text that reaches the account while no WhatsApp Web page is open (deliverWhileClosed). */
export interface OfflineMessage {
  /** Sender's phone number, digits only. */
  from: string;
  body: string;
  pushname?: string;
  /** A group id (…@g.us) of the account: posted there by `from`. */
  group?: string;
}

interface OfflineDelivery extends OfflineMessage {
  /** The id the sender's phone gave it. */
  id: string;
  /** Seconds. */
  t: number;
}

async function readOfflineDeliveries(dir: string): Promise<OfflineDelivery[]> {
  try {
    return JSON.parse(await readFile(path.join(dir, OFFLINE_FILE), 'utf8')) as OfflineDelivery[];
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

const offlineWrites = new Map<string, Promise<unknown>>();

/**
 * A contact writes while the bridge, or at least its WhatsApp Web, is not running: WhatsApp's
 * servers keep the message, and the phone syncs it back with the history when the page in
 * `dir` (the one prepareSimulatorCache wrote) loads next, for the account linked there. It
 * is in the chat then, unread, without a new-message event: what a bridge must catch up
 * on. Texts only. Resolves with the message id WhatsApp Web will give it.
 */
export async function deliverWhileClosed(dir: string, input: OfflineMessage): Promise<{ id: string }> {
  const [id] = await deliverAllWhileClosed(dir, [input]);
  return { id: id! };
}

/** deliverWhileClosed for many messages at once, in this order (one write of the page). */
export async function deliverAllWhileClosed(dir: string, inputs: readonly OfflineMessage[]): Promise<string[]> {
  const t = Math.floor(Date.now() / 1000);
  const deliveries = inputs.map((input) => offlineDelivery(input, t));
  const write = (offlineWrites.get(dir) ?? Promise.resolve())
    .catch(() => undefined)
    .then(async () => {
      const queued = [...(await readOfflineDeliveries(dir)), ...deliveries];
      await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
      await writeFile(path.join(dir, `${OFFLINE_FILE}.tmp`), JSON.stringify(queued));
      await rename(path.join(dir, `${OFFLINE_FILE}.tmp`), path.join(dir, OFFLINE_FILE));
      await prepareSimulatorCache(dir);
    });
  offlineWrites.set(dir, write);
  await write;
  return deliveries.map(({ id, from, group }) => {
    const lid = LID_CONTACTS[from];
    const chat = group ?? (lid ? `${lid}@lid` : `${from}@c.us`);
    return `false_${chat}_${id}${group ? `_${from}@c.us` : ''}`;
  });
}

function offlineDelivery({ from, body, pushname, group }: OfflineMessage, t: number): OfflineDelivery {
  if (!/^\d{7,15}$/.test(from)) throw new Error(`deliverWhileClosed(): "from" must be the sender's phone number in digits, got "${from}"`);
  if (typeof body !== 'string' || !body) throw new Error('deliverWhileClosed(): "body" must be a non-empty string');
  if (group !== undefined && !/^[\d-]+@g\.us$/.test(group)) throw new Error(`deliverWhileClosed(): "group" must be a group id (…@g.us), got "${group}"`);
  // A phone's message ids are 32 uppercase hex digits, as in the page (account.js).
  const delivery: OfflineDelivery = { id: randomBytes(16).toString('hex').toUpperCase(), t, from, body };
  if (pushname) delivery.pushname = pushname;
  if (group) delivery.group = group;
  return delivery;
}
