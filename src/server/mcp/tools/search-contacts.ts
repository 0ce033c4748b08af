import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ContactsQuery, ContactsResult } from '../../../app/schemas/index.js';
import type { AppServices } from '../../../app/index.js';
import { runTool } from '../result.js';

export function registerSearchContactsTool(server: McpServer, { reading }: AppServices): void {
  server.registerTool(
    'whatsapp_search_contacts',
    {
      title: 'Search WhatsApp contacts',
      description:
        'Find contacts by part of their name or number, to get the phone number to message.',
      inputSchema: ContactsQuery.shape,
      outputSchema: ContactsResult.shape,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
    },
    (args) => runTool(() => reading.searchContacts(args)),
  );
}
