import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { LoggedEvent } from '../../../src/app/events.js';
import { pushToWindow, type PushTarget } from '../../../src/main/window-push.js';
import { EVENT_CHANNEL, STATUS_CHANNEL, type StatusView } from '../../../src/shared/ipc.js';

const READY: StatusView = { state: 'ready', ready: true, has_qr: false, last_error: null, account: { wid: '15550000000@c.us', pushname: 'Me', platform: 'android' } };
const EVENT: LoggedEvent = {
  cursor: 7,
  id: 'ev_01',
  type: 'message_ack',
  account: 'default',
  chat_id: '15550100001@c.us',
  at: '2026-12-01T10:00:00.000Z',
  backfilled: false,
  data: { type: 'message_ack', chat_id: '15550100001@c.us', timestamp: null, message_id: 'true_15550100001@c.us_A', ack: 'read' },
};

function setup() {
  const status = new EventEmitter();
  const events = new EventEmitter<{ event: [LoggedEvent] }>();
  let window: (PushTarget & { destroyed: boolean; send: ReturnType<typeof vi.fn> }) | null = null;
  const open = () => {
    const send = vi.fn();
    window = { destroyed: false, send, isDestroyed: () => window!.destroyed, webContents: { send } };
    return window;
  };
  const tray = vi.fn();
  const stop = pushToWindow(
    () => window,
    {
      onStatus: (fn) => {
        status.on('change', fn);
        return () => status.off('change', fn);
      },
      status: () => READY,
      events,
    },
    tray,
  );
  return { status, events, open, tray, stop, close: () => (window = null) };
}

describe('the window follows the bridge by pushes', () => {
  it('sends every status change and every event of the log to the open window, in order', () => {
    const { status, events, open, tray } = setup();
    const win = open();
    status.emit('change');
    events.emit('event', EVENT);
    events.emit('event', { ...EVENT, cursor: 8, id: 'ev_02' });
    expect(win.send.mock.calls).toEqual([
      [STATUS_CHANNEL, READY],
      [EVENT_CHANNEL, EVENT],
      [EVENT_CHANNEL, { ...EVENT, cursor: 8, id: 'ev_02' }],
    ]);
    expect(tray).toHaveBeenCalledTimes(1);
  });

  it('tells the tray even while there is no window, and never sends to a destroyed one', () => {
    const { status, events, open, tray, close } = setup();
    status.emit('change');
    events.emit('event', EVENT);
    expect(tray).toHaveBeenCalledTimes(1);
    const win = open();
    win.destroyed = true;
    status.emit('change');
    events.emit('event', EVENT);
    expect(win.send).not.toHaveBeenCalled();
    close();
    const again = open();
    events.emit('event', EVENT);
    expect(again.send).toHaveBeenCalledWith(EVENT_CHANNEL, EVENT);
  });

  it('stops listening when unsubscribed', () => {
    const { status, events, open, stop } = setup();
    const win = open();
    stop();
    status.emit('change');
    events.emit('event', EVENT);
    expect(win.send).not.toHaveBeenCalled();
    expect(events.listenerCount('event')).toBe(0);
    expect(status.listenerCount('change')).toBe(0);
  });
});
