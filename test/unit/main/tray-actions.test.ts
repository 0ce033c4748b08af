import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../src/core/logger.js';
import { trayActions, type TrayActionDeps } from '../../../src/main/tray-actions.js';
import { dashboardConfig } from '../../../src/main/desktop-actions.js';
import type { AgentsView } from '../../../src/shared/ipc.js';
import type { StdioEntry } from '../../../src/shared/mcp-install.js';

const STDIO: StdioEntry = { command: '/opt/app/whatsapp-mcp-desktop', args: ['/opt/app/dist/src/mcp-stdio.js'], env: { ELECTRON_RUN_AS_NODE: '1' } };
const NAMES: Record<string, string> = { default: 'Default', work: 'Work phone', shop: 'Shop' };

/** Two or three running accounts, each with its own linking and kill switch, recorded. */
function setup(running = ['default', 'work'], confirm = true) {
  const linkings = Object.fromEntries(running.map((id) => [id, { startAuth: vi.fn(async () => undefined), logout: vi.fn(async () => undefined) }]));
  const paused = new Map<string, boolean>();
  const agentsSet = vi.fn(async (id: string, { paused: p }: { paused: boolean }): Promise<AgentsView> => {
    if (id === 'shop') throw new Error('shop refused');
    paused.set(id, p);
    return { paused: p, since: null, by: 'window', held: 0, awaiting_approval: 0 };
  });
  const deps = {
    linking: (id: string) => linkings[id] ?? null,
    control: (id: string) => (running.includes(id) ? { 'agents:set': (arg: { paused: boolean }) => agentsSet(id, arg) } : null),
    running: () => running,
    accountName: (id: string) => (running.length > 1 ? (NAMES[id] ?? id) : null),
    confirmUnlink: vi.fn(async (_name: string | null) => confirm),
    show: vi.fn(),
    dashboard: dashboardConfig('http://127.0.0.1:8790', 'owner-token', false, STDIO),
    stdio: STDIO,
    writeClipboard: vi.fn(),
    notify: vi.fn(),
    setOpenAtLogin: vi.fn(),
    refresh: vi.fn(),
    quit: vi.fn(),
    log: silentLogger(),
  } satisfies TrayActionDeps;
  return { actions: trayActions(deps), deps, linkings, paused, agentsSet };
}

describe("the tray's actions act on the account they name (issue 14)", () => {
  it('with no account named (the one-account menu) they act on the default account', async () => {
    const t = setup(['default']);
    t.actions.start();
    await vi.waitFor(() => expect(t.linkings.default!.startAuth).toHaveBeenCalledTimes(1));
    expect(t.deps.show).toHaveBeenCalledWith(undefined);
    t.actions.logOut();
    await vi.waitFor(() => expect(t.linkings.default!.logout).toHaveBeenCalledTimes(1));
    // One account: the window's own question, naming no account.
    expect(t.deps.confirmUnlink).toHaveBeenCalledWith(null);
  });

  it("Log in / Cancel on another account start or stop that account's WhatsApp Web, not the default's, and show it in the window", async () => {
    const t = setup();
    t.actions.start('work');
    await vi.waitFor(() => expect(t.linkings.work!.startAuth).toHaveBeenCalledTimes(1));
    expect(t.deps.show).toHaveBeenLastCalledWith('work');
    t.actions.cancel('work');
    await vi.waitFor(() => expect(t.linkings.work!.logout).toHaveBeenCalledTimes(1));
    expect(t.linkings.default!.startAuth).not.toHaveBeenCalled();
    expect(t.linkings.default!.logout).not.toHaveBeenCalled();
    t.actions.linkWithPhoneNumber('work');
    expect(t.deps.show).toHaveBeenLastCalledWith('work', 'pair');
    t.actions.openApprovals('work');
    expect(t.deps.show).toHaveBeenLastCalledWith('work', 'waiting-approvals');
  });

  it('Log out… asks first, naming the account, and unlinks only that account, only on "Log out"', async () => {
    const kept = setup(['default', 'work'], false);
    kept.actions.logOut('work');
    await vi.waitFor(() => expect(kept.deps.confirmUnlink).toHaveBeenCalledWith('Work phone'));
    await new Promise((r) => setImmediate(r));
    expect(kept.linkings.work!.logout).not.toHaveBeenCalled();

    const t = setup();
    t.actions.logOut('work');
    await vi.waitFor(() => expect(t.linkings.work!.logout).toHaveBeenCalledTimes(1));
    expect(t.linkings.default!.logout).not.toHaveBeenCalled();
  });

  it('an account that stopped running meanwhile: nothing is done to another account, and the failure is logged', async () => {
    const t = setup();
    const warn = vi.spyOn(t.deps.log, 'warn');
    t.actions.cancel('gone');
    await vi.waitFor(() => expect(warn).toHaveBeenCalledWith(expect.objectContaining({ err: expect.stringMatching(/"gone"/) }), 'cancel failed'));
    expect(t.linkings.default!.logout).not.toHaveBeenCalled();
  });

  it("Copy MCP client config copies the account's own set-up and names the account; the default's is the one-account set-up", () => {
    const t = setup();
    t.actions.copyMcpConfig('claude-desktop', 'work');
    const work = JSON.parse(t.deps.writeClipboard.mock.calls[0]![0] as string);
    expect(work).toEqual({ mcpServers: { 'whatsapp-work': { command: STDIO.command, args: [...STDIO.args, '--account', 'work', '--client', 'claude-desktop'], env: STDIO.env } } });
    expect(t.deps.notify).toHaveBeenLastCalledWith('Claude Desktop set-up for Work phone copied', expect.stringMatching(/then uses Work phone/));

    t.actions.copyMcpConfig('claude-desktop');
    expect(t.deps.writeClipboard).toHaveBeenLastCalledWith(t.deps.dashboard.install.find((o) => o.client === 'claude-desktop')!.text);
    expect(t.deps.notify).toHaveBeenLastCalledWith('Claude Desktop set-up copied', expect.any(String));
    t.actions.copyToken();
    expect(t.deps.writeClipboard).toHaveBeenLastCalledWith('owner-token');
  });

  it('Pause agents pauses every running account (each its own switch), then Resume resumes them all; the tray is refreshed after', async () => {
    const t = setup(['default', 'work']);
    t.actions.setAgentsPaused(true);
    await vi.waitFor(() => expect(t.deps.refresh).toHaveBeenCalledTimes(1));
    expect(Object.fromEntries(t.paused)).toEqual({ default: true, work: true });
    t.actions.setAgentsPaused(false);
    await vi.waitFor(() => expect(t.deps.refresh).toHaveBeenCalledTimes(2));
    expect(Object.fromEntries(t.paused)).toEqual({ default: false, work: false });
  });

  it("one account refusing to pause does not keep the others running: they are paused, the refusal is logged", async () => {
    const t = setup(['default', 'shop', 'work']);
    const warn = vi.spyOn(t.deps.log, 'warn');
    t.actions.setAgentsPaused(true);
    await vi.waitFor(() => expect(t.deps.refresh).toHaveBeenCalledTimes(1));
    expect(Object.fromEntries(t.paused)).toEqual({ default: true, work: true });
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ err: expect.stringMatching(/shop refused/) }), 'pause agents failed');
  });
});
