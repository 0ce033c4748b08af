import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../src/core/errors.js';
import { silentLogger } from '../../../src/core/logger.js';
import { registerIpc, trustedSender, type InvokeEventLike, type IpcHandlers, type IpcMainLike } from '../../../src/main/ipc.js';
import { INVOKE_CHANNELS, type StatusView } from '../../../src/shared/ipc.js';

const WINDOW_ID = 7;
const STATUS: StatusView = { state: 'qr', ready: false, has_qr: true, last_error: null, account: null };
const AGENTS = { paused: false, since: null, by: null, held: 0, awaiting_approval: 0 };
const KEY = {
  id: 'key_01J00000000000000000000000',
  name: 'Script',
  key_prefix: 'wak_abcdef',
  scopes: ['read' as const, 'send' as const],
  recipients: 'reply_only' as const,
  allowlist: [],
  reply_window_hours: 24,
  approve: 'new_recipients' as const,
  quarantine: true,
  max_new_recipients_per_day: 20,
  max_messages_per_chat_per_minute: 6,
  created_at: '2026-01-01T00:00:00.000Z',
  last_used_at: null,
  revoked_at: null,
};

function setup(overrides: Partial<IpcHandlers> = {}) {
  const registered = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
  const ipcMain: IpcMainLike = {
    handle: (channel, fn) => registered.set(channel, fn),
    removeHandler: (channel) => registered.delete(channel),
  };
  const handlers: IpcHandlers = {
    'status:get': vi.fn(async () => STATUS),
    'qr:get': vi.fn(async () => 'data:image/png;base64,AAAA'),
    'config:get': vi.fn(async () => ({ api_url: 'http://127.0.0.1:8790', mcp_url: 'http://127.0.0.1:8790/mcp', token: 't', demo: false, install: [] })),
    'auth:start': vi.fn(async () => STATUS),
    'auth:pairing-code': vi.fn(async ({ phone_number }) => ({ already_authenticated: false, code: 'ABCD-EFGH', phone_number })),
    'auth:logout': vi.fn(async () => ({ ...STATUS, state: 'stopped' as const })),
    'clipboard:copy': vi.fn(async () => true as const),
    'demo:link': vi.fn(async () => true as const),
    'activity:get': vi.fn(async () => ({ events: [], sends: [] })),
    'chats:get': vi.fn(async () => []),
    'health:get': vi.fn(async () => ({ uptime_s: 1, queued: { count: 0, more: false }, webhooks: [] })),
    'approvals:get': vi.fn(async () => []),
    'approvals:decide': vi.fn(async () => {
      throw new AppError('NOT_AWAITING_APPROVAL', 'Send ob_… is sent: only a send awaiting approval can be approved or denied.');
    }),
    'send:get': vi.fn(async () => {
      throw new AppError('OUTBOX_NOT_FOUND', 'No send.');
    }),
    'keys:get': vi.fn(async () => []),
    'keys:create': vi.fn(async (input) => ({ ...KEY, name: input.name, key: 'wak_x' })),
    'keys:revoke': vi.fn(async () => KEY),
    'agents:get': vi.fn(async () => AGENTS),
    'agents:set': vi.fn(async ({ paused }) => ({ ...AGENTS, paused })),
    'link:open': vi.fn(async () => true as const),
    'accounts:get': vi.fn(async () => ({ shown: 'default', accounts: [] })),
    'accounts:create': vi.fn(async (input) => ({ id: input.id, name: input.name ?? input.id, default: false, state: 'starting' as const, me: null, created_at: '', updated_at: '' })),
    'accounts:remove': vi.fn(async () => true as const),
    'accounts:select': vi.fn(async () => true as const),
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
    ['approvals:decide', [{ id: 'ob_01J00000000000000000000000', decision: 'approve-all' }]],
    ['approvals:decide', [{ id: '../../etc', decision: 'approve' }]],
    ['approvals:decide', [{ id: 'ob_01J00000000000000000000000' }]],
    ['send:get', [{ id: 42 }]],
    ['keys:create', [{}]],
    ['keys:create', [{ name: 'x', scopes: ['root'] }]],
    ['keys:create', [{ name: 'x', recipients: 'everyone' }]],
    ['keys:create', [{ name: 'x', key: 'wak_chosen' }]],
    ['keys:revoke', [{ id: 'all' }]],
    ['agents:set', [{ paused: 'yes' }]],
    ['link:open', [{ client: 'claude-code' }]],
    ['link:open', [{ url: 'https://evil.example/' }]],
    ['accounts:get', [{ all: true }]],
    ['accounts:create', [{}]],
    ['accounts:create', [{ id: 'Work Phone' }]],
    ['accounts:create', [{ id: 'work', extra: 1 }]],
    ['accounts:remove', [{ id: '../default' }]],
    ['accounts:remove', [{ id: 'work', confirm: 'work' }]],
    ['accounts:select', [{ id: 42 }]],
  ])('rejects a bad payload for %s: %j', async (channel, args) => {
    const { invoke, handlers } = setup();
    const r = await invoke(channel, own, ...args);
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    expect(handlers[channel as keyof IpcHandlers]).not.toHaveBeenCalled();
  });

  it('a new key takes the REST route\'s rules: the name is trimmed, control characters refused in its words', async () => {
    const { invoke, handlers } = setup();
    expect(await invoke('keys:create', own, { name: '  Script  ', approve: 'always' })).toMatchObject({ ok: true, value: { name: 'Script' } });
    expect(handlers['keys:create']).toHaveBeenCalledWith({ name: 'Script', approve: 'always' });
    expect(await invoke('keys:create', own, { name: 'a\nb' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR', message: expect.stringMatching(/control characters/) } });
  });

  it('a new account takes the REST route\'s schema', async () => {
    const { invoke, handlers } = setup();
    expect(await invoke('accounts:create', own, { id: 'work', name: 'Work phone' })).toMatchObject({ ok: true, value: { id: 'work', name: 'Work phone' } });
    expect(handlers['accounts:create']).toHaveBeenCalledWith({ id: 'work', name: 'Work phone' });
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
