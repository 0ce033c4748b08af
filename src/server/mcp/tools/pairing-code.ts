import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { PairingCodeInput, PairingCodeResult } from '../../../app/schemas/index.js';
import type { AppServices } from '../../../app/index.js';
import { runTool } from '../result.js';

export function registerPairingCodeTool(server: McpServer, { linking }: AppServices): void {
  server.registerTool(
    'whatsapp_pairing_code',
    {
      title: 'Get a WhatsApp pairing code',
      description:
        'Link this device by phone number instead of a QR code: returns an 8-character code (shown as "ABCD-EFGH") that the user enters in WhatsApp on that phone under Linked devices → Link a device → Link with phone number instead. Starts WhatsApp Web first if needed (may take a few seconds). If already linked, returns already_authenticated: true and the status.',
      inputSchema: PairingCodeInput.shape,
      outputSchema: PairingCodeResult.shape,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    (args) => runTool(() => linking.pairingCode(args)),
  );
}
