import type { Agents } from '../app/agents.js';
import type { Approvals } from '../app/approvals.js';
import type { Audit } from '../app/audit.js';
import { DEFAULT_ACCOUNT, type RequestContext } from '../app/context.js';
import type { Keys } from '../app/keys.js';
import type { Linking } from '../app/linking.js';
import type { Outbox } from '../app/outbox.js';
import { outboxView } from '../app/outbox-view.js';
import { AppError, isAppError } from '../core/errors.js';
import type { AgentsView, DashboardConfig, PendingApproval } from '../shared/ipc.js';
import type { IpcHandlers } from './ipc.js';

/** How many held sends the Approvals panel lists (the REST page size; more never wait in practice). */
export const PENDING_PAGE = 100;

/** The window acts as the person at the computer: every change it makes is theirs, and audited as the window's. */
export function windowContext(account: string = DEFAULT_ACCOUNT): RequestContext {
  return { account, client: { kind: 'window', id: null, name: 'window' }, transport: 'window', idempotencyKey: null, wait: false };
}

export type ControlChannel = 'approvals:get' | 'approvals:decide' | 'send:get' | 'keys:get' | 'keys:create' | 'keys:revoke' | 'agents:get' | 'agents:set' | 'link:open';

export interface ControlDeps {
  /** The account these act on (the one the window shows); default: the default account. */
  account?: string;
  linking: Pick<Linking, 'status'>;
  outbox: Pick<Outbox, 'list' | 'get'>;
  approvals: Pick<Approvals, 'approve' | 'deny' | 'describe'>;
  keys: Pick<Keys, 'list' | 'create' | 'revoke'>;
  agents: Pick<Agents, 'state' | 'pause' | 'resume'>;
  audit: Pick<Audit, 'record'>;
  /** The install links of this machine's one-click set-up. */
  config: Pick<DashboardConfig, 'install'>;
  /** Hands a link to the OS (Electron's shell.openExternal). */
  openExternal(url: string): Promise<void>;
}

/** Only these schemes leave the app, whatever a config holds: each opens its client's own install prompt. */
export const INSTALL_LINK = /^(cursor:\/\/anysphere\.cursor-deeplink\/mcp\/install\?|vscode:mcp\/install\?)/;

const agentsView = ({ paused, since, by, held, awaiting_approval }: AgentsView): AgentsView => ({ paused, since, by, held, awaiting_approval });

/**
 * The control centre's calls from the window: pending approvals (with names while WhatsApp is
 * ready), deciding them, one send's details, client keys, the kill switch, and the install
 * links — over the same application services as REST, as the person at the computer, audited.
 */
export function controlHandlers(deps: ControlDeps): Pick<IpcHandlers, ControlChannel> {
  /** Runs a change and records it in the audit trail like the REST route of the same action. */
  const audited = async <T>(action: string, target: string | null, run: (ctx: RequestContext) => T | Promise<T>, outboxId: string | null = null): Promise<T> => {
    const ctx = windowContext(deps.account);
    try {
      const result = await run(ctx);
      deps.audit.record(ctx, action, target, 'ok', { outboxId });
      return result;
    } catch (err) {
      deps.audit.record(ctx, action, target, isAppError(err) ? err.code : 'INTERNAL', { outboxId });
      throw err;
    }
  };
  return {
    'approvals:get': async () => pendingApprovals(deps),
    'approvals:decide': async ({ id, decision }) =>
      outboxView(await audited(decision === 'approve' ? 'approve_send' : 'deny_send', id, (ctx) => (decision === 'approve' ? deps.approvals.approve(ctx, id) : deps.approvals.deny(ctx, id)), id)),
    'send:get': async ({ id }) => {
      const entry = deps.outbox.get(id);
      if (!entry) throw new AppError('OUTBOX_NOT_FOUND', `No send ${id} in the outbox.`);
      return outboxView(entry);
    },
    'keys:get': async () => deps.keys.list(),
    'keys:create': async (input) => audited('create_key', input.name, (ctx) => deps.keys.create(ctx.client, input)),
    'keys:revoke': async ({ id }) => audited('revoke_key', id, () => deps.keys.revoke(id)),
    'agents:get': async () => agentsView(deps.agents.state()),
    'agents:set': async ({ paused }) => agentsView(await audited(paused ? 'pause_agents' : 'resume_agents', null, (ctx) => (paused ? deps.agents.pause(ctx) : deps.agents.resume(ctx)))),
    'link:open': async ({ client }) => {
      const link = deps.config.install.find((o) => o.client === client)?.link ?? null;
      if (!link || !INSTALL_LINK.test(link)) throw new AppError('NOT_FOUND', `There is no install link for ${client} here: copy its configuration instead.`);
      await deps.openExternal(link);
      return true;
    },
  };
}

/**
 * The sends awaiting approval, the first to expire first, each with the recipient's name
 * where WhatsApp knows it (asked only while ready: a lookup must not wait for a session).
 */
export async function pendingApprovals(deps: Pick<ControlDeps, 'linking' | 'outbox' | 'approvals'>): Promise<PendingApproval[]> {
  const entries = deps.outbox.list({ status: 'awaiting_approval', limit: PENDING_PAGE }).entries.reverse();
  const ready = deps.linking.status().ready;
  const names = new Map<string, string | null>();
  const out: PendingApproval[] = [];
  for (const entry of entries) {
    if (ready && !names.has(entry.chatId)) {
      const described = await deps.approvals.describe([entry.id]).catch(() => null);
      names.set(entry.chatId, described?.recipient.name ?? null);
    }
    out.push({ send: outboxView(entry), recipient_name: names.get(entry.chatId) ?? null });
  }
  return out;
}
