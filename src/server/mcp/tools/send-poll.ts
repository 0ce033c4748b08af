import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SendControls, SendPollInput, SendResult } from '../../../app/schemas/index.js';
import type { AppServices } from '../../../app/index.js';
import { mcpContext, runTool } from '../result.js';

export function registerSendPollTool(server: McpServer, { sending }: AppServices): void {
  server.registerTool(
    'whatsapp_send_poll',
    {
      title: 'Send a WhatsApp poll',
      description:
        'Send a poll with a question and 2-12 options to a phone number or group (exactly one). selectable_count 1 (default) allows one answer; 0 or more than 1 allows several (WhatsApp Web cannot cap it at a number).',
      inputSchema: { ...SendPollInput.shape, ...SendControls },
      outputSchema: SendResult.shape,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    ({ idempotency_key, wait, ...input }, extra) => runTool(() => sending.poll(mcpContext(extra, { idempotency_key, wait }), input)),
  );
}
