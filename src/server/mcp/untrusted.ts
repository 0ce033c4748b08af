import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { AgentSession } from '../../app/context.js';
import { UNTRUSTED_NOTE } from '../../app/search.js';

type Json = Record<string, unknown>;

/** A message as the wire shows it (MessageSchema): what marks it as someone else's. */
function isMessage(v: unknown): v is Json & { from_me: boolean; body: string } {
  return typeof v === 'object' && v !== null && typeof (v as Json).from_me === 'boolean' && typeof (v as Json).body === 'string' && 'id' in v;
}

/**
 * Marks every message someone else wrote in an answer as untrusted (`untrusted: true`),
 * wherever it sits (a chat's last message, a search hit, an event), and returns the chats
 * such messages came from: the chat, and for a one-to-one chat the writer's phone-number
 * id and LID too (one person, two ids). Changes `value` in place.
 */
export function markUntrusted(value: unknown, chats = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) markUntrusted(v, chats);
  } else if (isMessage(value)) {
    if (!value.from_me) {
      value.untrusted = true;
      const chat = typeof value.from === 'string' ? value.from : null;
      if (chat) chats.add(chat);
      if (chat && !chat.endsWith('@g.us')) {
        for (const id of [value.sender_phone, value.sender_lid]) if (typeof id === 'string' && id) chats.add(id);
      }
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) markUntrusted(v, chats);
  }
  return chats;
}

/**
 * An answer that holds messages from other people, as the model gets it: each such message
 * marked `untrusted`, the note first (in the JSON text the model reads, before any message),
 * and the session told which chats it has now been shown (the quarantine rule reads that).
 * Other answers pass unchanged.
 */
export function untrustedAnswer(result: CallToolResult, session: AgentSession | undefined): CallToolResult {
  if (result.isError || !result.structuredContent) return result;
  // A copy: the answer's objects may be the session's own (a cache, a test double).
  const payload = structuredClone(result.structuredContent) as Json;
  const chats = markUntrusted(payload);
  if (chats.size === 0) return result;
  for (const id of chats) session?.readUntrustedFrom.add(id);
  const { note: _note, ...rest } = payload;
  const framed = { note: UNTRUSTED_NOTE, ...rest };
  return { ...result, content: [{ type: 'text', text: JSON.stringify(framed, null, 2) }, ...result.content.slice(1)], structuredContent: framed };
}

/**
 * Applies `untrustedAnswer` to every tool of one MCP session, whatever the tool: a read tool
 * added later is marked without remembering to.
 */
export function markUntrustedOutputs(server: McpServer, session: AgentSession): void {
  const register = server.registerTool.bind(server);
  server.registerTool = ((name: string, config: unknown, callback: (...args: unknown[]) => Promise<CallToolResult> | CallToolResult) =>
    register(name, config as Parameters<typeof register>[1], (async (...args: unknown[]) => untrustedAnswer(await callback(...args), session)) as Parameters<typeof register>[2])) as McpServer['registerTool'];
}
