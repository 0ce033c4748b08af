import type { IncomingMessage } from 'node:http';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { AgentSession, Client } from '../../app/context.js';

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** Who calls through an MCP session: the credential that opened it, and what the session has done. */
export interface McpCaller {
  client: Client;
  /** The account of the endpoint the session was opened on (/mcp: the default; /mcp/{account}: that one). */
  account: string;
  /** Opened on /mcp/{account}: the session's tools act on that account only (no `account` argument). */
  bound?: boolean;
  session: AgentSession;
}

/**
 * Hands the caller to the SDK the way it expects authentication to arrive: as `req.auth`
 * on the Node request, which the Streamable HTTP transport passes to every handler as
 * `extra.authInfo`. The key itself stays out of it.
 */
export function attachCaller(req: IncomingMessage, caller: McpCaller): void {
  const auth: AuthInfo = {
    token: '',
    clientId: caller.client.id ?? caller.client.kind,
    scopes: [...(caller.client.scopes ?? [])],
    extra: { caller },
  };
  (req as IncomingMessage & { auth?: AuthInfo }).auth = auth;
}

export function callerOf(extra: Pick<ToolExtra, 'authInfo'> | undefined): McpCaller | null {
  const caller = extra?.authInfo?.extra?.caller as McpCaller | undefined;
  return caller?.client ? caller : null;
}
