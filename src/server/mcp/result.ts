import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ownerContext, type RequestContext } from '../../app/context.js';
import { AppError, describeError, isAppError } from '../../core/errors.js';
import { mcpMessage } from '../next-steps.js';
import { callerOf, type ToolExtra } from './caller.js';

/** The payload twice, as the seed requires: pretty JSON text, and structured content. */
export function toolResult(payload: object): CallToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(payload, null, 2) }],
    structuredContent: payload as Record<string, unknown>,
  };
}

/** A failure the model can act on: the code first, then what to do. */
export function toolError(err: unknown): CallToolResult {
  const e = isAppError(err) ? err : new AppError('INTERNAL', `Unexpected failure: ${describeError(err)}`);
  return { isError: true, content: [{ type: 'text', text: `${e.code}: ${mcpMessage(e)}` }] };
}

/** Runs a service call and maps its outcome to a tool result. */
export async function runTool(fn: () => Promise<object> | object): Promise<CallToolResult> {
  try {
    return toolResult(await fn());
  } catch (err) {
    return toolError(err);
  }
}

/**
 * The request context of a tool call: the client that opened the session (owner token or
 * client key, from the SDK's `extra.authInfo`), the session, and the send controls the model
 * gave. Without a caller it refuses rather than act as the owner.
 */
export function mcpContext(extra: Pick<ToolExtra, 'authInfo'> | undefined, controls: { idempotency_key?: string | undefined; wait?: boolean | undefined } = {}): RequestContext {
  const caller = callerOf(extra);
  if (!caller) throw new AppError('UNAUTHORIZED', 'This MCP call carries no credential: reconnect the client with the API token or a client key.');
  return ownerContext({
    account: caller.account,
    client: caller.client,
    transport: 'mcp',
    session: caller.session,
    idempotencyKey: controls.idempotency_key ?? null,
    wait: controls.wait ?? true,
  });
}
