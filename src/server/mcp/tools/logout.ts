import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { OkResult } from '../../../app/schemas/index.js';
import type { AppServices } from '../../../app/index.js';
import { runTool } from '../result.js';

export function registerLogoutTool(server: McpServer, { linking }: AppServices): void {
  server.registerTool(
    'whatsapp_logout',
    {
      title: 'Log out of WhatsApp',
      description:
        'Unlink this device from the WhatsApp account (it disappears from Linked devices on the phone), close the browser and delete the saved session. Linking again needs a new QR scan or pairing code. Only do this when the user asks for it.',
      inputSchema: {},
      outputSchema: OkResult.shape,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    },
    () => runTool(() => linking.logout()),
  );
}
