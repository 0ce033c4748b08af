import { describe, expect, it } from 'vitest';
import { trayMenuTemplate, trayTooltip, type TrayActions, type TrayMenuItem } from '../../../src/main/tray-menu.js';
import { trayStatusOf, type AccountPart } from '../../../src/main/tray-status.js';

const noop = () => undefined;
const actions: TrayActions = {
  openWindow: noop,
  openApprovals: noop,
  start: noop,
  linkWithPhoneNumber: noop,
  cancel: noop,
  logOut: noop,
  copyToken: noop,
  copyMcpConfig: noop,
  setAgentsPaused: noop,
  setOpenAtLogin: noop,
  quit: noop,
};
const EXTRAS = { openAtLogin: false, demo: false };

const part = (id: string, name: string, patch: Partial<AccountPart> = {}): AccountPart => ({
  id,
  name,
  status: { state: 'ready', last_error: null, account: { wid: '15551234567@c.us', pushname: 'Ada', platform: null } },
  agents: { paused: false, awaiting_approval: 0 },
  ...patch,
});

const flat = (items: TrayMenuItem[]): TrayMenuItem[] => items.flatMap((i) => [i, ...flat(i.submenu ?? [])]);
const byId = (items: TrayMenuItem[], id: string): TrayMenuItem | undefined => flat(items).find((i) => i.id === id);

describe("the tray's status from every account (issue 14)", () => {
  it('one account: the status of today (its heading, count and switch)', () => {
    const s = trayStatusOf([part('default', 'Default', { agents: { paused: true, awaiting_approval: 2 } })], EXTRAS);
    expect(s).toMatchObject({ state: 'ready', account: { wid: '15551234567@c.us', pushname: 'Ada' }, lastError: null, approvals: 2, agentsPaused: true });
    expect(trayTooltip(s)).toBe('WhatsApp MCP Desktop — Linked as Ada (+15551234567) — 2 sends waiting for approval — agents paused');
  });

  it("the heading is the default account's; the count of sends waiting is every account's", () => {
    const s = trayStatusOf(
      [
        part('default', 'Default', { status: { state: 'qr', last_error: null, account: null }, agents: { paused: false, awaiting_approval: 1 } }),
        part('work', 'Work phone', { agents: { paused: false, awaiting_approval: 3 } }),
      ],
      EXTRAS,
    );
    expect(s).toMatchObject({ state: 'qr', account: null, approvals: 4 });
    expect(s.accounts?.map((a) => [a.id, a.state, a.approvals])).toEqual([
      ['default', 'qr', 1],
      ['work', 'ready', 3],
    ]);
    // A send held only on "work": the top item leads there.
    const menu = trayMenuTemplate(s, actions, 'linux');
    expect(byId(menu, 'approvals')?.label).toBe('4 sends waiting for approval…');
    expect(byId(menu, 'account-work/approvals')?.label).toBe('3 sends waiting for approval…');
    expect(byId(menu, 'account-default/approvals')?.label).toBe('1 send waiting for approval…');
  });

  it('"Pause agents" is checked only when every running account is paused; where only some are, the tooltip and their submenus say so', () => {
    const some = trayStatusOf([part('default', 'Default'), part('work', 'Work phone', { agents: { paused: true, awaiting_approval: 0 } })], EXTRAS);
    expect(some.agentsPaused).toBe(false);
    expect(byId(trayMenuTemplate(some, actions, 'linux'), 'pause-agents')?.checked).toBe(false);
    expect(trayTooltip(some)).toBe('WhatsApp MCP Desktop — Linked as Ada (+15551234567) — agents paused on Work phone');
    expect(byId(trayMenuTemplate(some, actions, 'linux'), 'account-work/paused')).toMatchObject({ label: 'Agents paused', enabled: false });
    expect(byId(trayMenuTemplate(some, actions, 'linux'), 'account-default/paused')).toBeUndefined();

    const all = trayStatusOf([part('default', 'Default', { agents: { paused: true, awaiting_approval: 0 } }), part('work', 'Work phone', { agents: { paused: true, awaiting_approval: 0 } })], EXTRAS);
    expect(all.agentsPaused).toBe(true);
    expect(byId(trayMenuTemplate(all, actions, 'linux'), 'pause-agents')?.checked).toBe(true);
    expect(trayTooltip(all)).toMatch(/ — agents paused$/);
  });

  it('an account in the registry that does not run reads as not linked, counts no sends, and does not keep the switch unchecked', () => {
    const s = trayStatusOf([part('default', 'Default', { agents: { paused: true, awaiting_approval: 0 } }), part('old', 'Old phone', { status: null, agents: null })], EXTRAS);
    expect(s.accounts?.find((a) => a.id === 'old')).toEqual({ id: 'old', name: 'Old phone', state: 'stopped', lastError: null, approvals: 0, agentsPaused: false });
    expect(s.agentsPaused).toBe(true);
    expect(s.approvals).toBe(0);
  });
});
