import { EventEmitter } from 'node:events';
import type { Logger } from './logger.js';

import type { SessionState } from '../shared/wire.js';

export { SESSION_STATES, type SessionState } from '../shared/wire.js';

export interface Account {
  wid: string;
  pushname: string | null;
  platform: string | null;
}

/** What the session knows about itself; the wire status is derived from this. */
export interface SessionSnapshot {
  state: SessionState;
  lastError: string | null;
  account: Account | null;
  qr: string | null;
  /** true while a `disconnected` session is being re-established by itself. */
  reconnecting: boolean;
}

export interface StatusChange {
  from: SessionState;
  to: SessionState;
  snapshot: SessionSnapshot;
}

type Patch = Partial<Omit<SessionSnapshot, 'state'>>;

/**
 * The one place where session state changes: `set()` logs `from -> to`, and emits
 * `change` for every transition and for every change of QR or error within a state, so the
 * tray, the window, REST and MCP all read the same snapshot.
 */
export class StatusMachine extends EventEmitter<{ change: [StatusChange] }> {
  private current: SessionSnapshot = { state: 'stopped', lastError: null, account: null, qr: null, reconnecting: false };

  constructor(private readonly log: Logger) {
    super();
  }

  get snapshot(): SessionSnapshot {
    return this.current;
  }

  set(state: SessionState, patch: Patch = {}): void {
    const from = this.current.state;
    const next: SessionSnapshot = {
      ...this.current,
      // A QR belongs to the `qr` state, an account to `ready`; neither survives leaving it.
      qr: state === 'qr' ? this.current.qr : null,
      account: state === 'ready' ? this.current.account : null,
      reconnecting: state === 'disconnected' ? this.current.reconnecting : false,
      ...patch,
      state,
    };
    if (state === 'ready' || state === 'authenticated') next.lastError = patch.lastError ?? null;
    const same = (Object.keys(next) as (keyof SessionSnapshot)[]).every((k) => next[k] === this.current[k]);
    if (same) return;
    this.current = Object.freeze(next);
    if (from !== state) {
      this.log.info({ from, to: state, lastError: next.lastError ?? undefined }, `session ${from} -> ${state}`);
    }
    this.emit('change', { from, to: state, snapshot: this.current });
  }
}
