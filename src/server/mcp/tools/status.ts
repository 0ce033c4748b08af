import { registerAppTool } from '@modelcontextprotocol/ext-apps/server';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StatusSchema } from '../../../app/schemas/index.js';
import type { AppServices } from '../../../app/index.js';
import { LINK_VIEW, viewMeta, withQrForView } from '../app/index.js';
import { runTool } from '../result.js';

export function registerStatusTool(server: McpServer, { linking }: AppServices): void {
  registerAppTool(
    server,
    'whatsapp_status',
    {
      title: 'WhatsApp status',
      description:
        'Check WhatsApp Web auth and local browser session status. A lightweight, read-only probe: it does not open the browser or start any auth flow. Use it before deciding whether to call whatsapp_start_auth or whatsapp_pairing_code.',
      inputSchema: {},
      outputSchema: StatusSchema.shape,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
      _meta: viewMeta(LINK_VIEW),
    },
    async (_args, extra) => withQrForView(server, linking, extra, await runTool(() => linking.status())),
  );
}
