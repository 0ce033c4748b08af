import type { Page } from 'puppeteer-core';
import { AppError } from '../core/errors.js';
import { qrImage } from '../server/routes/qr-page.js';
import type { StatusDto } from '../server/schemas.js';
import type { WhatsAppService } from '../server/service.js';
import type { DashboardConfig, StatusView } from '../shared/ipc.js';
import { copyText, mcpSnippets } from '../shared/mcp-clients.js';
import { SimulatorControl } from '../whatsapp/simulator/index.js';
import { linkPhone } from '../whatsapp/simulator/refusals.js';
import type { IpcHandlers } from './ipc.js';

export interface DesktopActionDeps {
  service: WhatsAppService;
  /** e.g. http://127.0.0.1:8790 */
  url: string;
  token: string;
  demo: boolean;
  /** The WhatsApp Web page, for the simulator's controls in demo mode. */
  page(): Page | null;
  writeClipboard(text: string): void;
}

export function toStatusView(s: StatusDto): StatusView {
  return { state: s.state, ready: s.ready, has_qr: s.has_qr, last_error: s.last_error, account: s.account };
}

export function dashboardConfig(url: string, token: string, demo: boolean): DashboardConfig {
  const mcpUrl = `${url}/mcp`;
  return { api_url: url, mcp_url: mcpUrl, token, demo, snippets: mcpSnippets(mcpUrl, token) };
}

/** What the window's IPC calls do: the same service the REST routes and MCP tools use. */
export function desktopHandlers(deps: DesktopActionDeps): IpcHandlers {
  const { service } = deps;
  const config = dashboardConfig(deps.url, deps.token, deps.demo);
  return {
    'status:get': async () => toStatusView(service.status()),
    'qr:get': async () => {
      const { qr } = service.qr();
      return qr ? qrImage(qr) : null;
    },
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
      if (!deps.demo) throw new AppError('NOT_FOUND', 'The simulated phone exists only in demo mode (start the app with --demo).');
      const page = deps.page();
      if (!page) throw new AppError('WA_NOT_STARTED', 'The simulator is not running: press Log in first.');
      await linkPhone(new SimulatorControl(page));
      return true;
    },
  };
}
