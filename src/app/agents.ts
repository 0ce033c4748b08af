import { AppError } from '../core/errors.js';
import type { Store } from '../store/index.js';
import type { RequestContext } from './context.js';
import type { Outbox } from './outbox.js';

/** The settings key of the kill switch. */
export const AGENTS_PAUSED = 'agents_paused';

interface PauseRecord {
  paused: boolean;
  /** ISO 8601. */
  since: string | null;
  /** Who flipped the switch last ("owner", "window" or the key's name). */
  by: string | null;
}

export interface AgentsState {
  ok: true;
  paused: boolean;
  since: string | null;
  by: string | null;
  /** Sends by client keys waiting in the queue (while paused: held until resumed). */
  held: number;
  /** Sends waiting for a person's approval. */
  awaiting_approval: number;
}

/**
 * The kill switch (issue 12): "Pause agents" holds every send by a client key in the outbox,
 * queued, neither sent nor dropped; "Resume" lets them go in their original order. The owner
 * and the window keep sending. Persisted, so a restart does not quietly resume.
 */
export class Agents {
  private readonly listeners = new Set<(state: AgentsState) => void>();

  constructor(
    private readonly account: string,
    private readonly store: Store,
    private readonly outbox: Outbox,
    private readonly now: () => number = Date.now,
  ) {}

  /** Applies the saved switch; call before the outbox starts sending. */
  start(): void {
    this.outbox.setKeysPaused(this.record().paused);
  }

  state(): AgentsState {
    const { paused, since, by } = this.record();
    const queued = this.store.outbox.findByStatus(this.account, 'queued');
    return {
      ok: true,
      paused,
      since,
      by,
      held: queued.filter((e) => e.client !== null).length,
      awaiting_approval: this.store.outbox.findByStatus(this.account, 'awaiting_approval').length,
    };
  }

  pause(ctx: RequestContext): AgentsState {
    return this.set(ctx, true);
  }

  resume(ctx: RequestContext): AgentsState {
    return this.set(ctx, false);
  }

  private set(ctx: RequestContext, paused: boolean): AgentsState {
    if (ctx.client.kind === 'key' && !ctx.client.scopes?.includes('admin')) {
      throw new AppError('ADMIN_REQUIRED', `${paused ? 'Pausing' : 'Resuming'} agents needs the owner token or a client key with the admin scope.`);
    }
    const by = ctx.client.kind === 'key' ? (ctx.client.name ?? ctx.client.id) : ctx.client.kind;
    const record: PauseRecord = { paused, since: new Date(this.now()).toISOString(), by };
    this.store.settings.set(this.account, AGENTS_PAUSED, record);
    this.outbox.setKeysPaused(paused);
    const state = this.state();
    for (const listener of this.listeners) listener(state);
    return state;
  }

  /**
   * Told of every flip of the switch, whoever made it (REST, MCP, the window, the tray): the
   * desktop's tray checkbox follows it. Returns the unsubscribe.
   */
  onChange(listener: (state: AgentsState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(): PauseRecord {
    const saved = this.store.settings.get(this.account, AGENTS_PAUSED) as Partial<PauseRecord> | null;
    return { paused: saved?.paused === true, since: saved?.since ?? null, by: saved?.by ?? null };
  }
}
