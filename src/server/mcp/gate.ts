import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Audit } from '../../app/audit.js';
import type { Client } from '../../app/context.js';
import { hasScope } from '../scopes.js';
import { mcpContext } from './result.js';
import { TOOL_SCOPES } from './tool-scopes.js';
import type { ToolExtra } from './caller.js';

type Json = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/** Whether a client may see and call a tool: its scope is in TOOL_SCOPES and the client has it. */
export function toolAllowed(client: Client, name: string): boolean {
  const scope = TOOL_SCOPES[name];
  return client.kind !== 'key' || (scope !== undefined && hasScope(client, scope));
}

/** "send_message" for whatsapp_send_message: the same action names as the REST routes'. */
export const toolAction = (name: string): string => name.replace(/^whatsapp_/, '');

function toolTarget(args: Json, result: CallToolResult): string | null {
  const out = (result.structuredContent ?? {}) as Json;
  return str(out.chat_id) ?? str(args.chat_id) ?? str(args.group_id) ?? str(args.phone_number) ?? str(args.message_id) ?? null;
}

/** The code of an isError result ("RECIPIENT_NOT_ALLOWED: …"). */
function errorCode(result: CallToolResult): string {
  const first = result.content[0];
  const text = first && first.type === 'text' ? first.text : '';
  return /^([A-Z][A-Z0-9_]+):/.exec(text)?.[1] ?? 'ERROR';
}

/**
 * Registers each tool of one session only if the session's client may use it (hidden from
 * tools/list otherwise), and records every call of a tool that is not read-only in the audit
 * trail: who, which tool, on what, how it ended, the outbox id.
 */
export function gateTools(server: McpServer, client: Client, audit: Audit): void {
  const register = server.registerTool.bind(server);
  const gated = (name: string, config: { annotations?: { readOnlyHint?: boolean } }, callback: (...args: unknown[]) => Promise<CallToolResult> | CallToolResult) => {
    const readOnly = config.annotations?.readOnlyHint === true;
    const audited = async (...args: unknown[]): Promise<CallToolResult> => {
      const result = await callback(...args);
      const extra = args.at(-1) as ToolExtra;
      const input = (args.length > 1 ? args[0] : {}) as Json;
      const out = (result.structuredContent ?? {}) as Json;
      const outboxIds = Array.isArray(out.outbox_ids) ? out.outbox_ids.filter((x): x is string => typeof x === 'string') : [];
      const code = result.isError ? errorCode(result) : null;
      audit.record(mcpContext(extra), toolAction(name), toolTarget(input, result), code ?? 'ok', {
        code,
        outboxId: str(out.outbox_id),
        detail: { tool: name, ...(outboxIds.length > 1 ? { outbox_ids: outboxIds } : {}), ...(str(out.status) ? { send_status: out.status } : {}) },
      });
      return result;
    };
    const tool = register(name, config as Parameters<typeof register>[1], (readOnly ? callback : audited) as Parameters<typeof register>[2]);
    // Registered and removed before the session connects, so clients never see it.
    if (!toolAllowed(client, name)) tool.remove();
    return tool;
  };
  server.registerTool = gated as McpServer['registerTool'];
}
