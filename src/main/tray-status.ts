import type { AgentsState } from '../app/agents.js';
import { DEFAULT_ACCOUNT } from '../app/context.js';
import type { StatusDto } from '../app/schemas/index.js';
import type { TrayStatus } from './tray-menu.js';

/** What the tray reads of one account of the registry. */
export interface AccountPart {
  id: string;
  name: string;
  /** Its session's status; null when the account does not run (it then reads as not linked). */
  status: Pick<StatusDto, 'state' | 'last_error' | 'account'> | null;
  /** Its kill switch and its sends waiting for approval; null when the account does not run. */
  agents: Pick<AgentsState, 'paused' | 'awaiting_approval'> | null;
}

/**
 * The tray's status from every account (issue 14): the heading is the default account's; the
 * count of sends waiting is every account's (approvals live in each account's services);
 * "Pause agents" is checked only when every running account is paused, since the tray's
 * switch pauses and resumes them all. Pure: main.ts gathers the parts, tests build them.
 */
export function trayStatusOf(parts: readonly AccountPart[], extras: Pick<TrayStatus, 'openAtLogin' | 'demo'>): TrayStatus {
  const main = parts.find((p) => p.id === DEFAULT_ACCOUNT)?.status ?? null;
  const running = parts.filter((p) => p.agents !== null);
  return {
    state: main?.state ?? 'stopped',
    account: main?.account ?? null,
    lastError: main?.last_error ?? null,
    ...extras,
    approvals: running.reduce((sum, p) => sum + p.agents!.awaiting_approval, 0),
    agentsPaused: running.length > 0 && running.every((p) => p.agents!.paused),
    accounts: parts.map((p) => ({
      id: p.id,
      name: p.name,
      state: p.status?.state ?? 'stopped',
      lastError: p.status?.last_error ?? null,
      approvals: p.agents?.awaiting_approval ?? 0,
      agentsPaused: p.agents?.paused ?? false,
    })),
  };
}
