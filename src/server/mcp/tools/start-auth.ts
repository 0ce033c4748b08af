import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StatusSchema } from '../../schemas.js';
import type { Services } from '../server.js';
import { runTool } from '../result.js';

export function registerStartAuthTool(server: McpServer, { service }: Services): void {
  server.registerTool(
    'whatsapp_start_auth',
    {
      title: 'Start WhatsApp login',
      description:
        'Start the browser and WhatsApp Web login if needed. Returns the status at once (usually state "starting"); if already linked, returns the current status without restarting anything. When state becomes "qr", the user scans the QR code shown at http://127.0.0.1:8790/qr (or in the app window) with WhatsApp → Linked devices; or call whatsapp_pairing_code to link by phone number. Poll whatsapp_status until ready is true.',
      inputSchema: {},
      outputSchema: StatusSchema.shape,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    () => runTool(() => service.startAuth()),
  );
}
