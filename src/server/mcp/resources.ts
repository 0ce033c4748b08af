import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError, SubscribeRequestSchema, UnsubscribeRequestSchema, type ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import type { LoggedEvent } from '../../app/events.js';
import type { AppServices } from '../../app/index.js';
import { isAppError } from '../../core/errors.js';
import type { AgentSession } from '../../app/context.js';
import { UNTRUSTED_NOTE } from '../../app/search.js';
import { mcpMessage } from '../next-steps.js';
import { markUntrusted } from './untrusted.js';

const CHATS = 'whatsapp://chats';
const chatUri = (id: string) => `${CHATS}/${encodeURIComponent(id)}`;

/** The payload as JSON; messages from other people in it are marked, noted first, and remembered by the session. */
function json(uri: string, payload: object, session?: AgentSession): ReadResourceResult {
  const marked = structuredClone(payload);
  const chats = markUntrusted(marked);
  for (const id of chats) session?.readUntrustedFrom.add(id);
  const framed = chats.size ? { note: UNTRUSTED_NOTE, ...marked } : marked;
  return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(framed, null, 2) }] };
}

/** A resource read fails as a JSON-RPC error carrying the product's code and next step. */
async function reading(fn: () => Promise<ReadResourceResult>): Promise<ReadResourceResult> {
  try {
    return await fn();
  } catch (err) {
    if (isAppError(err)) throw new McpError(err.status === 404 ? ErrorCode.InvalidParams : ErrorCode.InternalError, `${err.code}: ${mcpMessage(err)}`);
    throw err;
  }
}

function variable(value: string | string[] | undefined): string {
  return decodeURIComponent(Array.isArray(value) ? (value[0] ?? '') : (value ?? ''));
}

/**
 * The account's chats as MCP resources: the list, each chat, and each chat's newest
 * messages. Chat ids complete from names, so a person can say "Alice" in a client.
 */
export function registerChatResources(server: McpServer, { reading: read, events, search }: AppServices, session?: AgentSession): void {
  const recent = async () => (await read.listChats({ limit: 50 })).chats.filter((c) => c.id);
  // Before WhatsApp is linked there are no chats to list, but resources/list must still
  // answer (with whatsapp://chats and the App views): reading the list says why it is empty.
  const list = async () => ({
    resources: (await recent().catch((err: unknown) => (isAppError(err) ? [] : Promise.reject(err))))
      .map((c) => (seen.add(c.id!), c))
      .map((c) => ({ uri: chatUri(c.id!), name: c.name ?? c.id!, mimeType: 'application/json', description: c.is_group ? 'group chat' : 'chat' })),
  });
  const complete = {
    chat_id: async (value: string) => {
      const q = value.toLowerCase();
      return (await recent()).filter((c) => c.id!.startsWith(value) || (c.name ?? '').toLowerCase().includes(q)).map((c) => c.id!).slice(0, 20);
    },
  };

  // Subscriptions: a chat (or its messages) is "updated" when a message arrives in it; the
  // list changes when a chat this client has not seen gets one.
  // A person's phone-number chat and LID chat are one: a subscription by either id is told
  // of a message in both (`aliases`: each WhatsApp chat id → the subscribed URIs it updates).
  const subscribed = new Set<string>();
  const aliases = new Map<string, Set<string>>();
  const seen = new Set<string>();
  const chatOfUri = (uri: string): string | null => {
    const m = /^whatsapp:\/\/chats\/([^/]+)(?:\/messages)?$/.exec(uri);
    return m?.[1] ? decodeURIComponent(m[1]) : null;
  };
  server.server.setRequestHandler(SubscribeRequestSchema, async (req) => {
    const { uri } = req.params;
    subscribed.add(uri);
    const chat = chatOfUri(uri);
    for (const id of chat ? await search.bothIds(chat).catch(() => [chat]) : []) {
      if (!aliases.has(id)) aliases.set(id, new Set());
      aliases.get(id)!.add(uri);
    }
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, async (req) => {
    subscribed.delete(req.params.uri);
    for (const uris of aliases.values()) uris.delete(req.params.uri);
    return {};
  });
  const onEvent = (e: LoggedEvent): void => {
    if ((e.type !== 'message' && e.type !== 'message_create') || !e.chat_id) return;
    const uris = new Set([chatUri(e.chat_id), `${chatUri(e.chat_id)}/messages`, CHATS, ...(aliases.get(e.chat_id) ?? [])]);
    for (const uri of uris) {
      if (subscribed.has(uri)) void server.server.sendResourceUpdated({ uri }).catch(() => undefined);
    }
    if (!seen.has(e.chat_id)) {
      seen.add(e.chat_id);
      server.sendResourceListChanged();
    }
  };
  events.on('event', onEvent);
  const closed = server.server.onclose;
  server.server.onclose = () => {
    events.off('event', onEvent);
    closed?.();
  };

  server.registerResource(
    'chats',
    CHATS,
    { title: 'WhatsApp chats', description: 'The 50 most recently active chats, newest first, with unread counts', mimeType: 'application/json' },
    (uri) => reading(async () => json(uri.href, await read.listChats({ limit: 50 }), session)),
  );

  server.registerResource(
    'chat',
    new ResourceTemplate(`${CHATS}/{chat_id}`, { list, complete }),
    { title: 'A WhatsApp chat', description: 'One chat: name, unread count, last message', mimeType: 'application/json' },
    (uri, vars) => reading(async () => json(uri.href, { ok: true, chat: (await read.chatMessages(variable(vars.chat_id), { limit: 1 })).chat }, session)),
  );

  server.registerResource(
    'chat-messages',
    new ResourceTemplate(`${CHATS}/{chat_id}/messages`, { list: undefined, complete }),
    { title: 'Messages of a WhatsApp chat', description: `The newest 20 messages of a chat, oldest first. ${UNTRUSTED_NOTE}`, mimeType: 'application/json' },
    (uri, vars) => reading(async () => json(uri.href, await read.chatMessages(variable(vars.chat_id), { limit: 20 }), session)),
  );
}
