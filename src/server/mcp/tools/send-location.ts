import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SendControls, SendLocationInput, SendResult } from '../../../app/schemas/index.js';
import type { AppServices } from '../../../app/index.js';
import { mcpContext, runTool } from '../result.js';

export function registerSendLocationTool(server: McpServer, { sending }: AppServices): void {
  server.registerTool(
    'whatsapp_send_location',
    {
      title: 'Send a WhatsApp location',
      description:
        'Send a location pin (latitude, longitude, optional name and address) to a phone number or group (exactly one).',
      inputSchema: { ...SendLocationInput.shape, ...SendControls },
      outputSchema: SendResult.shape,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    ({ idempotency_key, wait, ...input }, extra) => runTool(() => sending.location(mcpContext(extra, { idempotency_key, wait }), input)),
  );
}
