import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export interface McpConnection {
  client: Client;
  transport: StreamableHTTPClientTransport;
  /** Ends the MCP session on the server too (DELETE /mcp), then closes the client. */
  close(): Promise<void>;
}

/** The official SDK client over Streamable HTTP, connected as an agent would: initialize, then tools/list. */
export async function connectMcp(baseUrl: string, token: string): Promise<McpConnection> {
  const client = new Client({ name: 'bench-agent', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp`), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  await client.listTools();
  return {
    client,
    transport,
    async close() {
      await transport.terminateSession().catch(() => undefined);
      await client.close();
    },
  };
}
