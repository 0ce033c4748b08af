/**
 * Who asks, for which account, and how: every call into the application carries one. The
 * transports build it (REST from headers, MCP from its session and arguments, the window
 * from IPC); nothing below the application sees a request.
 */
export interface RequestContext {
  /** The WhatsApp account the call is for: "default" unless the caller names another (X-Account, /mcp/{account}). */
  account: string;
  /** The caller: the owner token, a client key (by id), or the desktop window. */
  client: Client;
  /** Which door the call came through (the audit trail records it). */
  transport?: Transport;
  /**
   * The MCP session the call belongs to, for policies that remember what the session has
   * read (quarantine). Absent for REST calls and the window.
   */
  session?: AgentSession;
  /** Same key, same request: the same answer and never a second message. */
  idempotencyKey: string | null;
  /** false: answer as soon as the send is recorded (202), instead of when it went out. */
  wait: boolean;
  /**
   * Told as the parts of a long call finish (the files of a media send, the chats of an
   * import): MCP turns it into progress notifications when the client asked for them.
   */
  progress?: (done: number, total: number, message: string) => void;
}

export const DEFAULT_ACCOUNT = 'default';

export type Transport = 'rest' | 'mcp' | 'window' | 'tray' | 'system';

/** What a client key may do (issue 12). The owner token and the window may do everything. */
export const SCOPES = ['read', 'send', 'link', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * A client key's send policy, enforced before anything reaches the outbox (issue 12).
 *  - recipients: who may be written to: anyone; saved contacts and groups we are in; the
 *    allowlist; or only chats that wrote to us within `replyWindowHours`.
 *  - approve: which sends a person must approve first.
 *  - quarantine: after this MCP session read someone else's message, a send to any other
 *    chat needs approval.
 *  - caps: new recipients per day and messages per chat per minute (null: no cap of its own).
 */
export interface SendPolicy {
  recipients: 'any' | 'contacts' | 'allowlist' | 'reply_only';
  /** Chat ids ("…@c.us", "…@g.us"): who `allowlist` lets through. */
  allowlist: string[];
  replyWindowHours: number;
  approve: 'never' | 'new_recipients' | 'always';
  quarantine: boolean;
  maxNewRecipientsPerDay: number | null;
  maxPerChatPerMinute: number | null;
}

export interface Client {
  kind: 'owner' | 'key' | 'window';
  /** The client key's id; null for the owner token and the window. */
  id: string | null;
  /** The key's name as its creator gave it ("Claude Desktop"); "owner" / "window" otherwise. */
  name?: string;
  /** What the key may do; absent means everything (owner, window). */
  scopes?: readonly Scope[];
  /** The key's send policy; absent means no policy (owner, window). */
  policy?: SendPolicy;
  /** The accounts the key may act on; absent means every account. */
  accounts?: readonly string[];
}

/** What one MCP session has done that a policy may depend on. */
export interface AgentSession {
  id: string;
  /** Chats whose messages from other people this session has been shown (untrusted content). */
  readUntrustedFrom: Set<string>;
}

export function ownerContext(patch: Partial<RequestContext> = {}): RequestContext {
  return { account: DEFAULT_ACCOUNT, client: { kind: 'owner', id: null }, idempotencyKey: null, wait: true, ...patch };
}

/** Idempotency keys are what clients generate: printable ASCII, bounded, never "cleaned". */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
