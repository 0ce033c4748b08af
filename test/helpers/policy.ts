import type { AgentSession, RequestContext, Scope, SendPolicy } from '../../src/app/context.js';

/** A policy that restricts nothing; tests override what they are about. */
export const OPEN_POLICY: SendPolicy = {
  recipients: 'any',
  allowlist: [],
  replyWindowHours: 24,
  approve: 'never',
  quarantine: false,
  maxNewRecipientsPerDay: null,
  maxPerChatPerMinute: null,
};

/** The request context of a call made with a client key, as the transports will build it. */
export function keyContext(
  policy: Partial<SendPolicy>,
  opts: { id?: string; name?: string; scopes?: Scope[]; session?: AgentSession; wait?: boolean; idempotencyKey?: string | null } = {},
): RequestContext {
  return {
    account: 'default',
    client: { kind: 'key', id: opts.id ?? 'key_agent', name: opts.name ?? 'Agent', scopes: opts.scopes ?? ['read', 'send'], policy: { ...OPEN_POLICY, ...policy } },
    idempotencyKey: opts.idempotencyKey ?? null,
    wait: opts.wait ?? true,
    ...(opts.session ? { session: opts.session } : {}),
  };
}

/** An MCP session that has been shown messages from these chats. */
export function agentSession(...readFrom: string[]): AgentSession {
  return { id: 'mcp-session-1', readUntrustedFrom: new Set(readFrom) };
}
