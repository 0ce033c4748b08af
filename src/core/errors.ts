/**
 * Every failure a caller can act on carries a stable code, an HTTP status and a message
 * that says what to do next. REST maps these in one error handler; MCP tools turn them
 * into `isError` results with the same text.
 */
export const ERROR_STATUS = {
  VALIDATION_ERROR: 400,
  INVALID_PHONE: 400,
  DUPLICATE_HOST: 400,
  CONFIRMATION_REQUIRED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN_HOST: 403,
  FORBIDDEN_ORIGIN: 403,
  FORBIDDEN_PATH: 403,
  RECIPIENT_NOT_ALLOWED: 403,
  APPROVAL_DENIED: 403,
  APPROVAL_FORBIDDEN: 403,
  ADMIN_REQUIRED: 403,
  FORBIDDEN_SCOPE: 403,
  ACCOUNT_FORBIDDEN: 403,
  NOT_FOUND: 404,
  CHAT_NOT_FOUND: 404,
  MESSAGE_NOT_FOUND: 404,
  GROUP_NOT_FOUND: 404,
  NO_MEDIA: 404,
  OUTBOX_NOT_FOUND: 404,
  WEBHOOK_NOT_FOUND: 404,
  KEY_NOT_FOUND: 404,
  ACCOUNT_NOT_FOUND: 404,
  WA_NOT_STARTED: 409,
  WA_NOT_LINKED: 409,
  WA_AUTH_FAILURE: 409,
  WA_DISCONNECTED: 409,
  WA_ALREADY_LINKED: 409,
  REVOKE_NOT_ALLOWED: 409,
  IDEMPOTENCY_CONFLICT: 409,
  OUTBOX_NOT_CANCELABLE: 409,
  NOT_AWAITING_APPROVAL: 409,
  SIMULATOR_REFUSED: 409,
  KEY_NAME_TAKEN: 409,
  ACCOUNT_EXISTS: 409,
  ACCOUNT_NOT_DELETABLE: 409,
  MEDIA_GONE: 410,
  MESSAGE_ALREADY_DELETED: 410,
  APPROVAL_EXPIRED: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  WA_NOT_READY: 503,
  BROWSER_UNAVAILABLE: 503,
  WA_SEND_FAILED: 502,
  SEND_OUTCOME_UNKNOWN: 504,
  WA_ERROR: 502,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    if (details) this.details = details;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** A message for a thrown value of any kind (whatsapp-web.js sometimes throws strings). */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}
