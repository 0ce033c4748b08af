import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { GroupsResult } from '../../../app/schemas/index.js';
import type { AppServices } from '../../../app/index.js';
import { runTool } from '../result.js';

export function registerListGroupsTool(server: McpServer, { reading }: AppServices): void {
  server.registerTool(
    'whatsapp_list_groups',
    {
      title: 'List WhatsApp groups',
      description:
        'List the groups you are in: id (use as group_id), name, number of members, and whether you are an admin.',
      inputSchema: {},
      outputSchema: GroupsResult.shape,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
    },
    () => runTool(() => reading.listGroups()),
  );
}
