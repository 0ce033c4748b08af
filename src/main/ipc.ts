import { z } from 'zod';
import { describeError, isAppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { AccountId, CreateAccountInput, CreateKeyInput } from '../app/schemas/index.js';
import { KEY_ID, OUTBOX_ID } from '../store/ids.js';
import { COPY_ITEMS, INVOKE_CHANNELS, LINK_CLIENTS, type InvokeArg, type InvokeChannel, type InvokeResult, type IpcResult } from '../shared/ipc.js';

/** The parts of Electron's ipcMain and IpcMainInvokeEvent the gateway uses (tests pass fakes). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface InvokeEventLike {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

export type IpcHandlers = { [C in InvokeChannel]: (arg: InvokeArg<C>) => Promise<InvokeResult<C>> };

const none = z.undefined();

/** Every argument is validated as unknown input: a compromised renderer gets no further than this. */
export const ARG_SCHEMAS: { [C in InvokeChannel]: z.ZodType<InvokeArg<C>> } = {
  'status:get': none,
  'qr:get': none,
  'config:get': none,
  'auth:start': none,
  'auth:logout': none,
  'demo:link': none,
  'activity:get': none,
  'chats:get': none,
  'health:get': none,
  'auth:pairing-code': z.object({ phone_number: z.string().min(1).max(64) }).strict(),
  'clipboard:copy': z.object({ item: z.enum(COPY_ITEMS as [string, ...string[]]) }).strict() as z.ZodType<InvokeArg<'clipboard:copy'>>,
  'approvals:get': none,
  'approvals:decide': z.object({ id: z.string().regex(OUTBOX_ID), decision: z.enum(['approve', 'deny']) }).strict(),
  'send:get': z.object({ id: z.string().regex(OUTBOX_ID) }).strict(),
  'keys:get': none,
  // The REST route's own schema: the same rules, the same words when something is wrong.
  'keys:create': CreateKeyInput as unknown as z.ZodType<InvokeArg<'keys:create'>>,
  'keys:revoke': z.object({ id: z.string().regex(KEY_ID) }).strict(),
  'agents:get': none,
  'agents:set': z.object({ paused: z.boolean() }).strict(),
  'link:open': z.object({ client: z.enum(LINK_CLIENTS as [string, ...string[]]) }).strict() as z.ZodType<InvokeArg<'link:open'>>,
  'accounts:get': none,
  // The REST route's own schema, as for keys.
  'accounts:create': CreateAccountInput,
  'accounts:remove': z.object({ id: AccountId }).strict(),
  'accounts:select': z.object({ id: AccountId }).strict(),
};

export interface IpcGatewayOptions {
  /** true only for our own window's main frame showing our own page. */
  isTrustedSender(event: InvokeEventLike): boolean;
  handlers: IpcHandlers;
  log: Logger;
}

/**
 * The one IPC entry point: checks who is asking, validates what they sent, and answers
 * every call with an IpcResult (coded errors travel as data, in the bridge's own words).
 * Returns a function that unregisters every channel.
 */
export function registerIpc(ipcMain: IpcMainLike, opts: IpcGatewayOptions): () => void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, (event, ...args) => dispatch(channel, event, args, opts));
  }
  return () => {
    for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel);
  };
}

async function dispatch<C extends InvokeChannel>(channel: C, event: InvokeEventLike, args: unknown[], opts: IpcGatewayOptions): Promise<IpcResult<InvokeResult<C>>> {
  if (!opts.isTrustedSender(event)) {
    opts.log.warn({ channel, url: event.senderFrame?.url ?? null }, 'IPC call from a foreign sender ignored');
    return { ok: false, error: { code: 'FORBIDDEN_SENDER', message: 'This IPC call did not come from the app window.' } };
  }
  const parsed = args.length > 1 ? null : ARG_SCHEMAS[channel].safeParse(args[0]);
  if (!parsed?.success) {
    const detail = parsed ? parsed.error.issues.map((i) => `${i.path.join('.') || 'argument'}: ${i.message}`).join('; ') : 'too many arguments';
    opts.log.warn({ channel, detail }, 'IPC call with an invalid payload rejected');
    return { ok: false, error: { code: 'VALIDATION_ERROR', message: `Invalid ${channel} call: ${detail}` } };
  }
  try {
    const handler = opts.handlers[channel] as (arg: InvokeArg<C>) => Promise<InvokeResult<C>>;
    return { ok: true, value: await handler(parsed.data as InvokeArg<C>) };
  } catch (err) {
    if (isAppError(err)) return { ok: false, error: { code: err.code, message: err.message } };
    opts.log.error({ channel, err: describeError(err) }, 'IPC handler failed');
    return { ok: false, error: { code: 'INTERNAL', message: describeError(err) } };
  }
}

/** Our own window's main frame on our own origin; anything else (other windows, iframes, navigated pages) is foreign. */
export function trustedSender(windowContentsId: () => number | null, appOrigin: string): (event: InvokeEventLike) => boolean {
  return (event) => {
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null) return false;
    if (event.sender.id !== windowContentsId()) return false;
    try {
      // Not URL.origin: for a custom scheme like app:// it is the opaque "null" for every host.
      const url = new URL(frame.url);
      const app = new URL(appOrigin);
      return url.protocol === app.protocol && url.host === app.host;
    } catch {
      return false;
    }
  };
}
