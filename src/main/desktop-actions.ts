import type { EventHub } from '../app/events.js';
import type { Linking } from '../app/linking.js';
import type { Outbox } from '../app/outbox.js';
import { outboxView } from '../app/outbox-view.js';
import type { Reading } from '../app/reading.js';
import type { StatusDto } from '../app/schemas/index.js';
import type { Webhooks } from '../app/webhooks.js';
import { AppError } from '../core/errors.js';
import type { ActivitySeed, DashboardConfig, EventView, HealthView, StatusView } from '../shared/ipc.js';
import { copyText } from '../shared/mcp-clients.js';
import { DEFAULT_ACCOUNT } from '../app/context.js';
import { accountInstall } from '../shared/account-install.js';
import type { StdioEntry } from '../shared/mcp-install.js';
import type { ControlChannel } from './control-actions.js';
import type { IpcHandlers } from './ipc.js';
import type { AccountsChannel } from './window-account.js';

/** How much the Activity and Health panels read at once (the same bounds as the dashboard's). */
export const RECENT_EVENTS = 200;
export const RECENT_SENDS = 50;
export const RECENT_CHATS = 50;
export const QUEUE_PAGE = 100;

export interface DesktopActionDeps {
  /** The bridge's own application services: every policy applies to the window too. */
  linking: Linking;
  /** e.g. http://127.0.0.1:8790 */
  url: string;
  token: string;
  /** How MCP clients here start the stdio entry: the app's own executable. */
  stdio: StdioEntry;
  /** Demo mode: the simulated phone scans the QR code. Null otherwise. */
  linkSimulatedPhone: (() => Promise<void>) | null;
  writeClipboard(text: string): void;
  /** The account the window shows (its MCP set-up is copied); default: the default account. */
  account?: string;
}

export function toStatusView(s: StatusDto): StatusView {
  return { state: s.state, ready: s.ready, has_qr: s.has_qr, last_error: s.last_error, account: s.account };
}

/** The window's set-up data for one account: its MCP endpoint and one-click set-ups (the default's: /mcp, `whatsapp`). */
export function dashboardConfig(url: string, token: string, demo: boolean, stdio: StdioEntry, account: string = DEFAULT_ACCOUNT): DashboardConfig {
  return { api_url: url, token, demo, ...accountInstall({ api_url: url }, stdio, account) };
}

/** The Activity and Health panels' reads. */
export type PanelChannel = 'activity:get' | 'chats:get' | 'health:get';

export interface PanelDeps {
  linking: Pick<Linking, 'status'>;
  events: Pick<EventHub, 'after' | 'latestCursor'>;
  outbox: Pick<Outbox, 'list'>;
  reading: Pick<Reading, 'listChats'>;
  webhooks: Pick<Webhooks, 'list'>;
  /** Seconds since the app started (the bridge runs in the main process). */
  uptime(): number;
}

/** What the window's IPC calls do: the same application services the REST routes and MCP tools use. */
export function desktopHandlers(deps: DesktopActionDeps): Omit<IpcHandlers, PanelChannel | ControlChannel | AccountsChannel> {
  const { linking: service, linkSimulatedPhone } = deps;
  const config = dashboardConfig(deps.url, deps.token, linkSimulatedPhone !== null, deps.stdio, deps.account);
  return {
    'status:get': async () => toStatusView(service.status()),
    'qr:get': async () => service.qrImage(),
    'config:get': async () => config,
    'auth:start': async () => toStatusView(await service.startAuth()),
    'auth:pairing-code': async ({ phone_number }) => {
      const r = await service.pairingCode({ phone_number });
      return {
        already_authenticated: r.already_authenticated,
        code: r.code,
        ...(r.phone_number ? { phone_number: r.phone_number } : {}),
        ...(r.instructions ? { instructions: r.instructions } : {}),
      };
    },
    'auth:logout': async () => {
      await service.logout();
      return toStatusView(service.status());
    },
    'clipboard:copy': async ({ item }) => {
      const text = copyText(config, item);
      if (text === null) throw new AppError('NOT_FOUND', `Nothing to copy for "${item}".`);
      deps.writeClipboard(text);
      return true;
    },
    'demo:link': async () => {
      if (!linkSimulatedPhone) throw new AppError('NOT_FOUND', 'The simulated phone exists only in demo mode (start the app with --demo).');
      await linkSimulatedPhone();
      return true;
    },
  };
}

/** The Activity and Health panels read the same services as REST: the event log, the outbox, the chats, the webhooks. */
export function panelHandlers(deps: PanelDeps): Pick<IpcHandlers, PanelChannel> {
  return {
    'activity:get': async () => recentActivity(deps),
    // Without a session this would wait up to 120 s for one; the window asks while ready, and gets nothing otherwise.
    'chats:get': async () => (deps.linking.status().ready ? (await deps.reading.listChats({ limit: RECENT_CHATS })).chats : []),
    'health:get': async () => health(deps),
  };
}

/** The log's latest entries (cursors only grow, so the last N cursors hold at most N events) and the latest sends. */
export function recentActivity(deps: Pick<PanelDeps, 'events' | 'outbox'>): ActivitySeed {
  const from = Math.max(0, deps.events.latestCursor() - RECENT_EVENTS);
  const events: EventView[] = deps.events.after(from, { limit: RECENT_EVENTS });
  const sends = deps.outbox.list({ limit: RECENT_SENDS }).entries.map(outboxView);
  return { events, sends };
}

export function health(deps: Pick<PanelDeps, 'outbox' | 'webhooks' | 'uptime'>): HealthView {
  const queued = deps.outbox.list({ status: 'queued', limit: QUEUE_PAGE });
  return {
    uptime_s: Math.floor(deps.uptime()),
    queued: { count: queued.entries.length, more: queued.nextBefore !== null },
    webhooks: deps.webhooks.list().map(({ id, url, enabled, disabled_reason, failure_count }) => ({ id, url, enabled, disabled_reason, failure_count })),
  };
}
