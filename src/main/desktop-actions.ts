import type { Linking } from '../app/linking.js';
import type { StatusDto } from '../app/schemas/index.js';
import { AppError } from '../core/errors.js';
import type { DashboardConfig, StatusView } from '../shared/ipc.js';
import { copyText, mcpSnippets } from '../shared/mcp-clients.js';
import type { IpcHandlers } from './ipc.js';

export interface DesktopActionDeps {
  /** The bridge's own application services: every policy applies to the window too. */
  linking: Linking;
  /** e.g. http://127.0.0.1:8790 */
  url: string;
  token: string;
  /** Demo mode: the simulated phone scans the QR code. Null otherwise. */
  linkSimulatedPhone: (() => Promise<void>) | null;
  writeClipboard(text: string): void;
}

export function toStatusView(s: StatusDto): StatusView {
  return { state: s.state, ready: s.ready, has_qr: s.has_qr, last_error: s.last_error, account: s.account };
}

export function dashboardConfig(url: string, token: string, demo: boolean): DashboardConfig {
  const mcpUrl = `${url}/mcp`;
  return { api_url: url, mcp_url: mcpUrl, token, demo, snippets: mcpSnippets(mcpUrl, token) };
}

/** What the window's IPC calls do: the same application services the REST routes and MCP tools use. */
export function desktopHandlers(deps: DesktopActionDeps): IpcHandlers {
  const { linking: service, linkSimulatedPhone } = deps;
  const config = dashboardConfig(deps.url, deps.token, linkSimulatedPhone !== null);
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
