import { registerAppTool } from '@modelcontextprotocol/ext-apps/server';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StatusSchema } from '../../../app/schemas/index.js';
import type { AppServices } from '../../../app/index.js';
import { LINK_VIEW, viewMeta, withQrForView } from '../app/index.js';
import type { BridgeInfo } from '../deps.js';
import { runTool } from '../result.js';

export function registerStartAuthTool(server: McpServer, { linking }: AppServices, { url }: BridgeInfo): void {
  registerAppTool(
    server,
    'whatsapp_start_auth',
    {
      title: 'Start WhatsApp login',
      description:
        'Start the browser and WhatsApp Web login if needed. Returns the status at once (usually state "starting"), not the QR code itself; if already linked, returns the current status without restarting anything. ' +
        'When state becomes "qr", the user scans the QR code with WhatsApp on their phone (Settings → Linked devices → Link a device). ' +
        `In the desktop app, its window shows the code (tray menu → Log in…). Headless, the user opens the link page: the link ${url}/qr?token=… that the bridge printed when it started (without the token, ${url}/qr only asks for it). ` +
        'Or call whatsapp_pairing_code to link by phone number instead. Poll whatsapp_status until ready is true.',
      inputSchema: {},
      outputSchema: StatusSchema.shape,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
      _meta: viewMeta(LINK_VIEW),
    },
    async (_args, extra) => withQrForView(server, linking, extra, await runTool(() => linking.startAuth())),
  );
}
