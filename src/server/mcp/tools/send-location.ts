import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SendLocationInput } from '../../messaging-schemas.js';
import { SendResult } from '../../schemas.js';
import type { Services } from '../server.js';
import { runTool } from '../result.js';

export function registerSendLocationTool(server: McpServer, { messaging }: Services): void {
  server.registerTool(
    'whatsapp_send_location',
    {
      title: 'Send a WhatsApp location',
      description:
        'Send a location pin (latitude, longitude, optional name and address) to a phone number or group (exactly one).',
      inputSchema: SendLocationInput.shape,
      outputSchema: SendResult.shape,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    (args) => runTool(() => messaging.sendLocation(args)),
  );
}
