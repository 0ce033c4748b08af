import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../src/core/errors.js';
import { silentLogger } from '../../../src/core/logger.js';
import { registerIpc, trustedSender, type InvokeEventLike, type IpcHandlers, type IpcMainLike } from '../../../src/main/ipc.js';
import { INVOKE_CHANNELS, type StatusView } from '../../../src/shared/ipc.js';

const WINDOW_ID = 7;
const STATUS: StatusView = { state: 'qr', ready: false, has_qr: true, last_error: null, account: null };

function setup(overrides: Partial<IpcHandlers> = {}) {
  const registered = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
  const ipcMain: IpcMainLike = {
    handle: (channel, fn) => registered.set(channel, fn),
    removeHandler: (channel) => registered.delete(channel),
  };
  const handlers: IpcHandlers = {
    'status:get': vi.fn(async () => STATUS),
    'qr:get': vi.fn(async () => 'data:image/png;base64,AAAA'),
    'config:get': vi.fn(async () => ({ api_url: 'http://127.0.0.1:8790', mcp_url: 'http://127.0.0.1:8790/mcp', token: 't', demo: false, snippets: [] })),
    'auth:start': vi.fn(async () => STATUS),
    'auth:pairing-code': vi.fn(async ({ phone_number }) => ({ already_authenticated: false, code: 'ABCD-EFGH', phone_number })),
    'auth:logout': vi.fn(async () => ({ ...STATUS, state: 'stopped' as const })),
    'clipboard:copy': vi.fn(async () => true as const),
    'demo:link': vi.fn(async () => true as const),
    'activity:get': vi.fn(async () => ({ events: [], sends: [] })),
    'chats:get': vi.fn(async () => []),
    'health:get': vi.fn(async () => ({ uptime_s: 1, queued: { count: 0, more: false }, webhooks: [] })),
    ...overrides,
  };
  const unregister = registerIpc(ipcMain, { isTrustedSender: trustedSender(() => WINDOW_ID, 'app://desktop'), handlers, log: silentLogger() });
  const invoke = (channel: string, event: InvokeEventLike, ...args: unknown[]) => registered.get(channel)!(event, ...args);
  return { registered, handlers, invoke, unregister };
}

const own: InvokeEventLike = { sender: { id: WINDOW_ID }, senderFrame: { url: 'app://desktop/', parent: null } };

describe('IPC gateway', () => {
  it('registers every channel of the contract, and unregisters them', () => {
    const { registered, unregister } = setup();
    expect([...registered.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    unregister();
    expect(registered.size).toBe(0);
  });

  it('answers our own window with the handler result', async () => {
    const { invoke, handlers } = setup();
    expect(await invoke('status:get', own)).toEqual({ ok: true, value: STATUS });
    expect(await invoke('auth:pairing-code', own, { phone_number: '+44 7700 900123' })).toEqual({
      ok: true,
      value: { already_authenticated: false, code: 'ABCD-EFGH', phone_number: '+44 7700 900123' },
    });
    expect(handlers['auth:pairing-code']).toHaveBeenCalledWith({ phone_number: '+44 7700 900123' });
  });

  it.each([
    ['another window', { sender: { id: 99 }, senderFrame: { url: 'app://desktop/', parent: null } }],
    ['an iframe in our window', { sender: { id: WINDOW_ID }, senderFrame: { url: 'app://desktop/', parent: {} } }],
    ['our window navigated elsewhere', { sender: { id: WINDOW_ID }, senderFrame: { url: 'https://evil.example/', parent: null } }],
    ['a look-alike origin', { sender: { id: WINDOW_ID }, senderFrame: { url: 'app://desktop.evil/', parent: null } }],
    ['a frame that is gone', { sender: { id: WINDOW_ID }, senderFrame: null }],
  ])('ignores %s, and never runs the handler', async (_name, event) => {
    const { invoke, handlers } = setup();
    const r = await invoke('clipboard:copy', event as InvokeEventLike, { item: 'token' });
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(handlers['clipboard:copy']).not.toHaveBeenCalled();
  });

  it.each([
    ['auth:pairing-code', [undefined]],
    ['auth:pairing-code', [{}]],
    ['auth:pairing-code', [{ phone_number: 15551234567 }]],
    ['auth:pairing-code', [{ phone_number: '1'.repeat(65) }]],
    ['auth:pairing-code', [{ phone_number: '+15551234567', extra: true }]],
    ['auth:pairing-code', ['+15551234567']],
    ['clipboard:copy', [{ item: 'password' }]],
    ['clipboard:copy', [{ item: 'token' }, 'second argument']],
    ['status:get', [{ sneaky: 1 }]],
    ['auth:logout', ['now']],
    ['activity:get', [{ after: 0 }]],
    ['chats:get', [{ limit: 1000 }]],
    ['health:get', ['all']],
  ])('rejects a bad payload for %s: %j', async (channel, args) => {
    const { invoke, handlers } = setup();
    const r = await invoke(channel, own, ...args);
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    expect(handlers[channel as keyof IpcHandlers]).not.toHaveBeenCalled();
  });

  it('passes coded errors through in the bridge\'s words and hides nothing else', async () => {
    const { invoke } = setup({
      'auth:pairing-code': async () => {
        throw new AppError('INVALID_PHONE', 'phone_number must have 8-15 digits');
      },
      'auth:start': async () => {
        throw new Error('boom');
      },
    });
    expect(await invoke('auth:pairing-code', own, { phone_number: '12' })).toEqual({
      ok: false,
      error: { code: 'INVALID_PHONE', message: 'phone_number must have 8-15 digits' },
    });
    expect(await invoke('auth:start', own)).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'boom' } });
  });

  it('trusts no one while the window does not exist', () => {
    expect(trustedSender(() => null, 'app://desktop')(own)).toBe(false);
  });
});
