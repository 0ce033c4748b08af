import type { LoggedEvent } from '../app/events.js';
import { EVENT_CHANNEL, STATUS_CHANNEL, type EventView, type StatusView } from '../shared/ipc.js';

/** The part of a BrowserWindow a push needs (tests pass fakes). */
export interface PushTarget {
  isDestroyed(): boolean;
  webContents: { send(channel: string, payload: unknown): void };
}

export interface PushSources {
  /** Every status change of the session (QR codes and errors within a state too); returns the unsubscribe. */
  onStatus(listener: () => void): () => void;
  status(): StatusView;
  /** The event log's live feed (the EventHub). */
  events: { on(event: 'event', fn: (e: LoggedEvent) => void): unknown; off(event: 'event', fn: (e: LoggedEvent) => void): unknown };
}

/**
 * The window follows the bridge by pushes, never by polling: each status change and each new
 * event of the log is sent to the window that exists at that moment (none while it was never
 * opened or is destroyed; a new one reads the current state when it loads). `onStatus` also
 * runs for the tray. Returns the unsubscribe.
 */
export function pushToWindow(window: () => PushTarget | null, sources: PushSources, onStatus: () => void = () => undefined): () => void {
  const send = (channel: string, payload: unknown): void => {
    const win = window();
    if (win && !win.isDestroyed()) win.webContents.send(channel, payload);
  };
  const offStatus = sources.onStatus(() => {
    onStatus();
    send(STATUS_CHANNEL, sources.status());
  });
  const onEvent = (e: LoggedEvent): void => {
    const view: EventView = e;
    send(EVENT_CHANNEL, view);
  };
  sources.events.on('event', onEvent);
  return () => {
    offStatus();
    sources.events.off('event', onEvent);
  };
}
