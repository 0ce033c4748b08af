import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../src/core/errors.js';
import type { AccountView, StatusView } from '../../../src/shared/ipc.js';
import { WindowAccount, type AccountHandlers } from '../../../src/main/window-account.js';

const status = (account: string): StatusView => ({ state: 'ready', ready: true, has_qr: false, last_error: null, account: { wid: `${account}@c.us`, pushname: account, platform: 'android' } });
const entry = (id: string): AccountView => ({ id, name: id === 'default' ? 'Default' : id, default: id === 'default', state: 'ready', me: null, created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' });

/** A handler set whose status names its account, so a call shows where it went. */
function handlersOf(account: string): AccountHandlers {
  return new Proxy({} as AccountHandlers, {
    get: (_t, channel: string) => vi.fn(async () => (channel === 'status:get' ? status(account) : { channel, account })),
  });
}

function setup(running = ['default', 'work']) {
  const rows = running.map(entry);
  const accounts = {
    list: vi.fn(() => rows),
    create: vi.fn(async (input: { id: string; name?: string }) => ({ ...entry(input.id), name: input.name ?? input.id, state: 'starting' as const })),
    remove: vi.fn(async (id: string) => ({ id })),
  };
  const audit = { record: vi.fn() };
  const built: string[] = [];
  const selected = vi.fn();
  const removed = vi.fn();
  const shown = new WindowAccount({
    accounts,
    audit,
    handlersFor: (id) => {
      if (!running.includes(id)) return null;
      built.push(id);
      return handlersOf(id);
    },
    selected,
    removed,
  });
  return { shown, handlers: shown.handlers(), accounts, audit, built, selected, removed };
}

describe('the account the window shows', () => {
  it('routes every call to the default account at first, then to the selected one', async () => {
    const { handlers, selected } = setup();
    expect((await handlers['status:get']()).account?.wid).toBe('default@c.us');
    expect(await handlers['keys:get']()).toEqual({ channel: 'keys:get', account: 'default' });
    expect(await handlers['accounts:select']({ id: 'work' })).toBe(true);
    expect(selected).toHaveBeenCalledWith('work');
    expect((await handlers['status:get']()).account?.wid).toBe('work@c.us');
    expect(await handlers['approvals:decide']({ id: 'ob_x', decision: 'approve' })).toEqual({ channel: 'approvals:decide', account: 'work' });
    expect(await handlers['accounts:get']()).toMatchObject({ shown: 'work', accounts: [{ id: 'default' }, { id: 'work' }] });
  });

  it('builds one handler set per account and keeps it', async () => {
    const { handlers, built } = setup();
    await handlers['status:get']();
    await handlers['accounts:select']({ id: 'work' });
    await handlers['status:get']();
    await handlers['accounts:select']({ id: 'default' });
    await handlers['status:get']();
    await handlers['accounts:select']({ id: 'work' });
    expect(built).toEqual(['default', 'work']);
  });

  it('refuses to select an account that does not run, and keeps showing the one it showed', async () => {
    const { handlers, selected } = setup();
    await expect(handlers['accounts:select']({ id: 'nope' })).rejects.toMatchObject({ code: 'ACCOUNT_NOT_FOUND', message: expect.stringMatching(/"nope"/) });
    expect(selected).not.toHaveBeenCalled();
    expect((await handlers['status:get']()).account?.wid).toBe('default@c.us');
  });

  it('refuses to remove the default account, and audits the refusal', async () => {
    const { handlers, accounts, audit } = setup();
    await expect(handlers['accounts:remove']({ id: 'default' })).rejects.toBeInstanceOf(AppError);
    await expect(handlers['accounts:remove']({ id: 'default' })).rejects.toMatchObject({ code: 'ACCOUNT_NOT_DELETABLE' });
    expect(accounts.remove).not.toHaveBeenCalled();
    expect(audit.record).toHaveBeenCalledWith(expect.objectContaining({ client: expect.objectContaining({ kind: 'window' }) }), 'delete_account', 'default', 'ACCOUNT_NOT_DELETABLE');
  });

  it('removes another account with its confirmation, and shows the default again when it was the one shown', async () => {
    const { handlers, accounts, selected, audit } = setup();
    await handlers['accounts:select']({ id: 'work' });
    expect(await handlers['accounts:remove']({ id: 'work' })).toBe(true);
    expect(accounts.remove).toHaveBeenCalledWith('work', 'work');
    expect(selected).toHaveBeenLastCalledWith('default');
    expect((await handlers['status:get']()).account?.wid).toBe('default@c.us');
    expect(audit.record).toHaveBeenCalledWith(expect.anything(), 'delete_account', 'work', 'ok');
  });

  it('tells the desktop an account was removed once the registry removed it (the tray drops its line), and not when the removal is refused', async () => {
    const { handlers, accounts, removed } = setup();
    await expect(handlers['accounts:remove']({ id: 'default' })).rejects.toMatchObject({ code: 'ACCOUNT_NOT_DELETABLE' });
    accounts.remove.mockRejectedValueOnce(new AppError('ACCOUNT_NOT_FOUND', 'There is no account "work".'));
    await expect(handlers['accounts:remove']({ id: 'work' })).rejects.toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
    expect(removed).not.toHaveBeenCalled();
    await handlers['accounts:remove']({ id: 'work' });
    expect(removed).toHaveBeenCalledExactlyOnceWith('work');
  });

  it('an account deleted elsewhere (REST) and re-created with the same id gets new handlers; a window showing it shows the default', async () => {
    const { shown, handlers, built, selected } = setup();
    await handlers['accounts:select']({ id: 'work' });
    const before = built.filter((id) => id === 'work').length;
    shown.forget('work');
    expect(shown.shown).toBe('default');
    expect(selected).toHaveBeenLastCalledWith('default');
    await handlers['accounts:select']({ id: 'work' });
    expect(built.filter((id) => id === 'work')).toHaveLength(before + 1);
    // Forgetting an account the window does not show leaves the window where it is.
    selected.mockClear();
    shown.forget('other');
    expect(shown.shown).toBe('work');
    expect(selected).not.toHaveBeenCalled();
  });

  it('creates an account through the registry', async () => {
    const { handlers, accounts, audit } = setup();
    expect(await handlers['accounts:create']({ id: 'shop', name: 'Shop' })).toMatchObject({ id: 'shop', name: 'Shop', default: false, state: 'starting' });
    expect(accounts.create).toHaveBeenCalledWith({ id: 'shop', name: 'Shop' });
    expect(audit.record).toHaveBeenCalledWith(expect.anything(), 'create_account', 'shop', 'ok');
  });
});
