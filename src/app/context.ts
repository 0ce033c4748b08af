/**
 * Who asks, for which account, and how: every call into the application carries one. The
 * transports build it (REST from headers, MCP from its session and arguments, the window
 * from IPC); nothing below the application sees a request.
 */
export interface RequestContext {
  /** The WhatsApp account the call is for; one account today, named "default". */
  account: string;
  /** The caller: the owner token, a client key (by id), or the desktop window. */
  client: { kind: 'owner' | 'key' | 'window'; id: string | null };
  /** Same key, same request: the same answer and never a second message. */
  idempotencyKey: string | null;
  /** false: answer as soon as the send is recorded (202), instead of when it went out. */
  wait: boolean;
}

export const DEFAULT_ACCOUNT = 'default';

export function ownerContext(patch: Partial<RequestContext> = {}): RequestContext {
  return { account: DEFAULT_ACCOUNT, client: { kind: 'owner', id: null }, idempotencyKey: null, wait: true, ...patch };
}

/** Idempotency keys are what clients generate: printable ASCII, bounded, never "cleaned". */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
