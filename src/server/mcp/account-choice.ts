import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { accountNotFound } from '../../app/accounts.js';
import type { AppServices } from '../../app/index.js';
import { ACCOUNT_ID, ACCOUNT_ID_RULE } from '../../app/schemas/accounts.js';
import { accountRefusal } from '../plugins/security.js';
import type { McpCaller, ToolExtra } from './caller.js';
import { toolError } from './result.js';

type Callback = (...args: unknown[]) => Promise<CallToolResult> | CallToolResult;
type Json = Record<string, unknown>;

/** The argument every tool of an unbound session takes (issue 14). */
export const ACCOUNT_ARGUMENT = 'account';

export const AccountArgument = z
  .string()
  .regex(ACCOUNT_ID, ACCOUNT_ID_RULE)
  .optional()
  .describe("The WhatsApp account to act on: its id from the user's account list (e.g. \"work\"). Leave it out for this connection's own account.");

/** One account's tools, as that account's registrars built them: each callback with that account's services. */
export type AccountTools = (services: AppServices, caller: McpCaller, server: McpServer) => Map<string, Callback>;

export interface AccountChoiceOptions {
  caller: McpCaller;
  /** The running account's services; null for an account that does not exist (or is being removed). */
  servicesOf: (account: string) => AppServices | null;
  tools: AccountTools;
}

/**
 * Lets a tool call name another account (`account` argument) on an MCP session that is not
 * bound to one. The call then runs the tool as that account's session would: its services,
 * its audit trail, its policies, with the caller's own credential and MCP session (so an
 * approval form still reaches this client). A key limited to accounts gets
 * ACCOUNT_FORBIDDEN for any other, an unknown id ACCOUNT_NOT_FOUND, and nothing runs.
 *
 * A session opened on `/mcp/{account}` is bound (`caller.bound`): its tools have no
 * `account` argument, so a client configured for one account can never touch another.
 *
 * Installed first, so it sees each tool's final (strict) input schema and is the callback
 * the SDK calls: the session's own gate and audit run only for calls on its own account.
 */
export function accountChoice(server: McpServer, opts: AccountChoiceOptions): void {
  if (opts.caller.bound) return;
  const register = server.registerTool.bind(server);
  // Built on the first call that names each account; a removed and re-added account has new services.
  const built = new WeakMap<AppServices, Map<string, Callback>>();
  const toolsOf = (services: AppServices): Map<string, Callback> => {
    let tools = built.get(services);
    if (!tools) built.set(services, (tools = opts.tools(services, { ...opts.caller, account: services.account }, server)));
    return tools;
  };

  server.registerTool = ((name: string, config: { inputSchema?: unknown }, callback: Callback) => {
    const takesArgs = config.inputSchema !== undefined;
    const routed = async (...args: unknown[]): Promise<CallToolResult> => {
      const extra = args.at(-1) as ToolExtra;
      const { [ACCOUNT_ARGUMENT]: account, ...input } = (args.length > 1 ? args[0] : {}) as Json;
      const own = (): Promise<CallToolResult> | CallToolResult => (takesArgs ? callback(input, extra) : callback(extra));
      if (typeof account !== 'string' || account === opts.caller.account) return own();
      const refused = accountRefusal(opts.caller.client, account);
      if (refused) return toolError(refused);
      const services = opts.servicesOf(account);
      if (!services) return toolError(accountNotFound(account));
      const tool = toolsOf(services).get(name);
      // The same credential has the same tools on every account; absent only if the account's tools changed.
      if (!tool) return toolError(accountNotFound(account));
      const callerThere: McpCaller = { ...opts.caller, account };
      const extraThere: ToolExtra = { ...extra, authInfo: { ...extra.authInfo!, extra: { ...extra.authInfo?.extra, caller: callerThere } } };
      return takesArgs ? tool(input, extraThere) : tool(extraThere);
    };
    return register(name, { ...config, inputSchema: withAccount(config.inputSchema) } as Parameters<typeof register>[1], routed as Parameters<typeof register>[2]);
  }) as McpServer['registerTool'];
}

/** A tool's (strict) input schema with the optional `account` argument; a tool without arguments gets only it. */
export function withAccount(input: unknown): z.ZodType {
  if (input === undefined) return z.strictObject({ [ACCOUNT_ARGUMENT]: AccountArgument });
  if (input instanceof z.ZodObject) {
    const extended = input.extend({ [ACCOUNT_ARGUMENT]: AccountArgument });
    // The JSON Schema extras (oneOf: exactly one recipient) stay with the extended object.
    const meta = z.globalRegistry.get(input);
    return meta ? extended.meta(meta) : extended;
  }
  throw new Error(`A tool's input schema must be an object to take "${ACCOUNT_ARGUMENT}"`);
}

/**
 * Captures the tool callbacks a set of registrars makes, with the session's wrappers applied
 * by `wrap` (audit, untrusted marking), without registering anything with the SDK: `server`
 * stays the session's, for client capabilities and approval forms.
 */
export function captureTools(server: McpServer, wrap: (capture: McpServer) => void, registrars: ReadonlyArray<(capture: McpServer) => void>): Map<string, Callback> {
  const tools = new Map<string, Callback>();
  const capture = Object.create(server) as McpServer;
  capture.registerTool = ((name: string, _config: unknown, callback: Callback) => {
    tools.set(name, callback);
    return { remove: () => tools.delete(name) };
  }) as unknown as McpServer['registerTool'];
  wrap(capture);
  for (const register of registrars) register(capture);
  return tools;
}
