import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { LoggedEvent } from '../../../src/app/events.js';
import { silentLogger } from '../../../src/core/logger.js';
import type { ApprovalSummary } from '../../../src/main/approval-notices.js';

vi.mock('electron', () => import('../../helpers/electron-mock.js'));

const { Notification } = await import('../../helpers/electron-mock.js');
const { ApprovalNotifier } = await import('../../../src/main/approval-notifier.js');

let cursor = 0;
const approval = (id: string, state: 'pending' | 'approved' | 'denied' | 'expired' | 'canceled'): LoggedEvent => ({
  cursor: ++cursor,
  id: `ev_${cursor}`,
  type: 'approval',
  account: 'default',
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

function setup(platform: NodeJS.Platform = 'darwin') {
  const events = new EventEmitter();
  let inFront = false;
  let describe = vi.fn(async (_id: string): Promise<ApprovalSummary> => SUMMARY);
  const deps = {
    events: events as unknown as ConstructorParameters<typeof ApprovalNotifier>[0]['events'],
    describe: (id: string) => describe(id),
    decide: vi.fn(async () => undefined),
    windowInFront: () => inFront,
    openApproval: vi.fn(),
    failed: vi.fn(),
    platform,
    log: silentLogger(),
  };
  const notifier = new ApprovalNotifier(deps);
  notifier.start();
  return {
    deps,
    notifier,
    emit: (e: LoggedEvent) => events.emit('event', e),
    setInFront: (v: boolean) => (inFront = v),
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
    expect(t.notifier.showing()).toEqual(['ob_1']);
  });

  it('shows none while the window is in front (the Approvals panel shows it), nor where notifications are unsupported, nor for other events', async () => {
    const t = setup('win32');
    t.setInFront(true);
    t.emit(approval('ob_1', 'pending'));
    t.setInFront(false);
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
    expect(t.deps.decide).toHaveBeenLastCalledWith('ob_1', 'approve');
    t.emit(approval('ob_2', 'pending'));
    await vi.waitFor(() => expect(Notification.created).toHaveLength(2));
    t.deps.decide.mockRejectedValueOnce(Object.assign(new Error('Send ob_2 was decided meanwhile: it is canceled.'), { code: 'NOT_AWAITING_APPROVAL' }));
    Notification.created[1]!.emit('action', {}, 1);
    expect(t.deps.decide).toHaveBeenLastCalledWith('ob_2', 'deny');
    await vi.waitFor(() => expect(t.deps.failed).toHaveBeenCalledWith('Not denied', expect.stringMatching(/decided meanwhile/)));
    expect(t.notifier.showing()).toEqual([]);
  });

  it('on Linux (no buttons) a click opens the window at that approval', async () => {
    const t = setup('linux');
    t.emit(approval('ob_9', 'pending'));
    const n = await lastNotification();
    expect(n.options.actions).toEqual([]);
    n.emit('click', {});
    expect(t.deps.openApproval).toHaveBeenCalledWith('ob_9');
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

  it('stop() stops listening and closes what is on screen', async () => {
    const t = setup('darwin');
    t.emit(approval('ob_1', 'pending'));
    const n = await lastNotification();
    t.notifier.stop();
    expect(n.close).toHaveBeenCalled();
    expect(t.listeners()).toBe(0);
  });
});
