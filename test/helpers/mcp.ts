import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema, type CallToolResult, type ElicitRequest, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';

/**
 * The official SDK client over Streamable HTTP, as an agent would connect. With
 * `eventStream: false` it never opens the standalone GET event stream (as if the server had
 * none): once its requests are answered it holds no connection open, like a client that vanished.
 */
export async function connectMcp(
  baseUrl: string,
  token: string,
  {
    eventStream = true,
    elicit,
    path = '/mcp',
    headers = {},
  }: { eventStream?: boolean; elicit?: (params: ElicitRequest['params']) => ElicitResult | Promise<ElicitResult>; path?: string; headers?: Record<string, string> } = {},
): Promise<Client> {
  // With `elicit`, the client declares form elicitation and answers the server's forms with it (a user in the client).
  const client = new Client({ name: 'test-agent', version: '1.0.0' }, elicit ? { capabilities: { elicitation: { form: {} } } } : {});
  if (elicit) client.setRequestHandler(ElicitRequestSchema, async (req) => elicit(req.params));
  const noEventStream: typeof fetch = (input, init) =>
    init?.method === 'GET' ? Promise.resolve(new Response(null, { status: 405 })) : fetch(input, init);
  const transport = new StreamableHTTPClientTransport(new URL(`${baseUrl}${path}`), {
    requestInit: { headers: { Authorization: `Bearer ${token}`, ...headers } },
    ...(eventStream ? {} : { fetch: noEventStream }),
  });
  await client.connect(transport);
  return client;
}

export async function callTool(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** The payload a seed-following agent reads: JSON in content[0].text. */
export function textPayload(result: CallToolResult): any {
  const first = result.content[0];
  if (!first || first.type !== 'text') throw new Error('no text content');
  return JSON.parse(first.text);
}

export function errorText(result: CallToolResult): string {
  const first = result.content[0];
  return first && first.type === 'text' ? first.text : '';
}
