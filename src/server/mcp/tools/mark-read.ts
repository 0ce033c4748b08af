import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { ChatIdParams, OkResult } from '../../../app/schemas/index.js';
import type { AppServices } from '../../../app/index.js';
import { runTool } from '../result.js';

export function registerMarkReadTool(server: McpServer, { reading }: AppServices): void {
  server.registerTool(
    'whatsapp_mark_read',
    {
      title: 'Mark a WhatsApp chat as read',
      description:
        'Mark all messages of a chat as read (the sender sees blue ticks). chat_id is a chat id (\u2026@c.us, \u2026@g.us) or a phone number. Reading messages with the other tools never does this by itself.',
      inputSchema: ChatIdParams.shape,
      outputSchema: OkResult.extend({ chat_id: z.string() }).shape,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    ({ chat_id }) => runTool(() => reading.markRead(chat_id)),
  );
}
