import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { LoggedEvent } from '../../../src/app/events.js';
import { silentLogger } from '../../../src/core/logger.js';
import type { ApprovalSummary } from '../../../src/main/approval-notices.js';

vi.mock('electron', () => import('../../helpers/electron-mock.js'));

const { Notification } = await import('../../helpers/electron-mock.js');
const { ApprovalNotifier } = await import('../../../src/main/approval-notifier.js');

let cursor = 0;
const approval = (id: string, state: 'pending' | 'approved' | 'denied' | 'expired' | 'canceled', account = 'default'): LoggedEvent => ({
  cursor: ++cursor,
  id: `ev_${cursor}`,
  type: 'approval',
  account,
  chat_id: '15550100001@c.us',
  at: new Date().toISOString(),
  backfilled: false,
  data: { type: 'approval', outbox_id: id, chat_id: '15550100001@c.us', state, reason: 'new_recipient', client: 'Cursor', client_id: null, expires_at: null },
});

const SUMMARY: ApprovalSummary = {
  recipient: { chat_id: '15550100001@c.us', number: '15550100001', name: 'Alice', is_group: false },
  requested_by: 'Cursor',
  reason_text: 'nobody has written to this recipient from this account before',
  messages: [{ kind: 'text', text: 'Hi Alice', files: [] }],
};

/** One account (the default) watched, as with a single account: the notification names no account. */
function setup(platform: NodeJS.Platform = 'darwin', names: Record<string, string> | null = null) {
  const events = new EventEmitter();
  let inFront: string | null = null;
  let describe = vi.fn(async (_id: string, _account: string): Promise<ApprovalSummary> => SUMMARY);
  const deps = {
    describe: (id: string, account: string) => describe(id, account),
    decide: vi.fn(async (_id: string, _decision: string, _account: string) => undefined),
    windowInFront: (account: string) => inFront === account,
    openApproval: vi.fn(),
    accountName: (account: string) => names?.[account] ?? null,
    failed: vi.fn(),
    platform,
    log: silentLogger(),
  };
  const notifier = new ApprovalNotifier(deps);
  const unwatch = notifier.watch('default', events);
  return {
    deps,
    notifier,
    unwatch,
    emit: (e: LoggedEvent) => events.emit('event', e),
    /** The window is in front showing this account (or none). */
    setInFront: (account: string | null) => (inFront = account),
    setDescribe: (fn: typeof describe) => (describe = fn),
    listeners: () => events.listenerCount('event'),
  };
}

/** The notification made for the last pending send, once its description was read. */
const lastNotification = async () => {
  await vi.waitFor(() => expect(Notification.created.length).toBeGreaterThan(0));
  return Notification.created.at(-1)!;
};

describe('a native notification for each send that starts waiting for approval', () => {
  beforeEach(() => {
    Notification.created.length = 0;
    Notification.shown.length = 0;
    Notification.supported = true;
  });

  it('shows one when the window is not in front, with Approve / Deny on macOS, kept until decided', async () => {
    const t = setup('darwin');
    t.emit(approval('ob_1', 'pending'));
    const n = await lastNotification();
    expect(n.options).toMatchObject({ title: 'Approve a send to Alice (+15550100001)?', actions: [{ type: 'button', text: 'Approve' }, { type: 'button', text: 'Deny' }], timeoutType: 'never' });
    expect(Notification.shown).toHaveLength(1);
    expect(t.notifier.showing()).toEqual(['default/ob_1']);
  });

  it('shows none while the window is in front (the Approvals panel shows it), nor where notifications are unsupported, nor for other events', async () => {
    const t = setup('win32');
    t.setInFront('default');
    t.emit(approval('ob_1', 'pending'));
    t.setInFront(null);
    Notification.supported = false;
    t.emit(approval('ob_2', 'pending'));
    Notification.supported = true;
    t.emit({ ...approval('ob_3', 'pending'), type: 'message', data: { type: 'message_ack', chat_id: 'x', timestamp: null, message_id: 'm', ack: 'read' } });
    await new Promise((r) => setImmediate(r));
    expect(Notification.created).toEqual([]);
  });

  it('Approve in the notification approves as the window; Deny denies; a refusal is reported, not swallowed', async () => {
    const t = setup('win32');
    t.emit(approval('ob_1', 'pending'));
    (await lastNotification()).emit('action', {}, 0);
    expect(t.deps.decide).toHaveBeenLastCalledWith('ob_1', 'approve', 'default');
    t.emit(approval('ob_2', 'pending'));
    await vi.waitFor(() => expect(Notification.created).toHaveLength(2));
    t.deps.decide.mockRejectedValueOnce(Object.assign(new Error('Send ob_2 was decided meanwhile: it is canceled.'), { code: 'NOT_AWAITING_APPROVAL' }));
    Notification.created[1]!.emit('action', {}, 1);
    expect(t.deps.decide).toHaveBeenLastCalledWith('ob_2', 'deny', 'default');
    await vi.waitFor(() => expect(t.deps.failed).toHaveBeenCalledWith('Not denied', expect.stringMatching(/decided meanwhile/)));
    expect(t.notifier.showing()).toEqual([]);
  });

  it('on Linux (no buttons) a click opens the window at that approval', async () => {
    const t = setup('linux');
    t.emit(approval('ob_9', 'pending'));
    const n = await lastNotification();
    expect(n.options.actions).toEqual([]);
    n.emit('click', {});
    expect(t.deps.openApproval).toHaveBeenCalledWith('ob_9', 'default');
    expect(t.deps.decide).not.toHaveBeenCalled();
  });

  it.each(['approved', 'denied', 'expired', 'canceled'] as const)('a send %s elsewhere takes its notification away', async (state) => {
    const t = setup('darwin');
    t.emit(approval('ob_1', 'pending'));
    const n = await lastNotification();
    t.emit(approval('ob_1', state));
    expect(n.close).toHaveBeenCalled();
    expect(t.notifier.showing()).toEqual([]);
  });

  it('a send decided while its description was read gets no notification', async () => {
    const t = setup('darwin');
    let release!: () => void;
    t.setDescribe(vi.fn(() => new Promise<ApprovalSummary>((r) => (release = () => r(SUMMARY)))));
    t.emit(approval('ob_1', 'pending'));
    t.emit(approval('ob_1', 'approved'));
    release();
    await new Promise((r) => setImmediate(r));
    expect(Notification.created).toEqual([]);
  });

  it('a single account: the title names no account', async () => {
    const t = setup('darwin');
    t.emit(approval('ob_1', 'pending'));
    expect((await lastNotification()).options.title).toBe('Approve a send to Alice (+15550100001)?');
  });

  it('stop() stops listening and closes what is on screen', async () => {
    const t = setup('darwin');
    t.emit(approval('ob_1', 'pending'));
    const n = await lastNotification();
    t.notifier.stop();
    expect(n.close).toHaveBeenCalled();
    expect(t.listeners()).toBe(0);
  });
});

describe('approvals on several accounts (issue 14)', () => {
  beforeEach(() => {
    Notification.created.length = 0;
    Notification.shown.length = 0;
    Notification.supported = true;
  });

  /** The default account and "work" watched, each with its own event feed, as main.ts does for every running account. */
  function twoAccounts(platform: NodeJS.Platform = 'darwin') {
    const t = setup(platform, { default: 'Default', work: 'Work phone' });
    const work = new EventEmitter();
    const unwatchWork = t.notifier.watch('work', work);
    return { ...t, work, unwatchWork, emitWork: (e: LoggedEvent) => work.emit('event', e) };
  }

  it("a send held on another account is noticed, named after its account, and described from that account's services", async () => {
    const t = twoAccounts('darwin');
    const describe = vi.fn(async (_id: string, _account: string) => SUMMARY);
    t.setDescribe(describe);
    t.emitWork(approval('ob_w1', 'pending', 'work'));
    const n = await lastNotification();
    expect(describe).toHaveBeenCalledWith('ob_w1', 'work');
    expect(n.options.title).toBe('Approve a send from Work phone to Alice (+15550100001)?');
    expect(t.notifier.showing()).toEqual(['work/ob_w1']);
  });

  it('Approve / Deny / a click act on the account the send was held on, never on the default', async () => {
    const t = twoAccounts('win32');
    t.emitWork(approval('ob_w1', 'pending', 'work'));
    (await lastNotification()).emit('action', {}, 0);
    expect(t.deps.decide).toHaveBeenLastCalledWith('ob_w1', 'approve', 'work');
    t.emit(approval('ob_d1', 'pending'));
    await vi.waitFor(() => expect(Notification.created).toHaveLength(2));
    Notification.created[1]!.emit('action', {}, 1);
    expect(t.deps.decide).toHaveBeenLastCalledWith('ob_d1', 'deny', 'default');
    t.emitWork(approval('ob_w2', 'pending', 'work'));
    await vi.waitFor(() => expect(Notification.created).toHaveLength(3));
    Notification.created[2]!.emit('click', {});
    expect(t.deps.openApproval).toHaveBeenLastCalledWith('ob_w2', 'work');
  });

  it("the window in front showing one account does not hide another account's held send", async () => {
    const t = twoAccounts('darwin');
    t.setInFront('default');
    t.emit(approval('ob_d1', 'pending'));
    t.emitWork(approval('ob_w1', 'pending', 'work'));
    const n = await lastNotification();
    await new Promise((r) => setImmediate(r));
    expect(Notification.created).toEqual([n]);
    expect(t.notifier.showing()).toEqual(['work/ob_w1']);
  });

  it('a decision on one account does not take away a notification of the same outbox id on another', async () => {
    const t = twoAccounts('darwin');
    t.emit(approval('ob_1', 'pending'));
    t.emitWork(approval('ob_1', 'pending', 'work'));
    await vi.waitFor(() => expect(Notification.created).toHaveLength(2));
    t.emitWork(approval('ob_1', 'approved', 'work'));
    expect(t.notifier.showing()).toEqual(['default/ob_1']);
  });

  it('an account no longer watched (removed) stops being heard and loses its notifications; the others keep theirs', async () => {
    const t = twoAccounts('darwin');
    t.emit(approval('ob_d1', 'pending'));
    t.emitWork(approval('ob_w1', 'pending', 'work'));
    await vi.waitFor(() => expect(Notification.created).toHaveLength(2));
    const workNotice = Notification.created.find((n) => String(n.options.title).includes('Work phone'))!;
    t.unwatchWork();
    expect(workNotice.close).toHaveBeenCalled();
    expect(t.work.listenerCount('event')).toBe(0);
    expect(t.notifier.showing()).toEqual(['default/ob_d1']);
    t.emitWork(approval('ob_w2', 'pending', 'work'));
    await new Promise((r) => setImmediate(r));
    expect(Notification.created).toHaveLength(2);
  });

  it('watching an account again replaces its earlier feed (a re-created account), and an old unwatch does not drop the new one', async () => {
    const t = twoAccounts('darwin');
    const again = new EventEmitter();
    t.notifier.watch('work', again);
    expect(t.work.listenerCount('event')).toBe(0);
    t.unwatchWork();
    expect(again.listenerCount('event')).toBe(1);
    again.emit('event', approval('ob_w3', 'pending', 'work'));
    expect((await lastNotification()).options.title).toMatch(/from Work phone/);
  });
});
