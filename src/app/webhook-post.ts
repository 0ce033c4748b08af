import { createHmac } from 'node:crypto';
import { describeError } from '../core/errors.js';

/**
 * One signed POST to a receiver, per the Standard Webhooks scheme
 * (https://www.standardwebhooks.com): `webhook-id`, `webhook-timestamp`, and
 * `webhook-signature` = "v1," + base64(HMAC-SHA256(secret, "{id}.{timestamp}.{body}")).
 */

export const WEBHOOK_TIMEOUT_MS = 10_000;
export const WEBHOOK_USER_AGENT = 'WhatsApp-MCP-Desktop-Webhooks/1';

/** The key is the base64 part of "whsec_…", decoded: what receivers' libraries do with it. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

export interface PostOutcome {
  /** A 2xx answer. Anything else (a redirect included) is a failure to retry. */
  delivered: boolean;
  statusCode: number | null;
  /** Why it failed, for the delivery log; null when delivered. */
  error: string | null;
}

export interface PostRequest {
  url: string;
  secret: string;
  /** The `webhook-id`: the delivery's id, the same on every retry. */
  id: string;
  body: string;
  /** Milliseconds since the epoch; the header carries Unix seconds. */
  now: number;
  timeoutMs?: number;
  /** Aborts the attempt when the bridge shuts down. */
  signal?: AbortSignal;
}

export async function postWebhook(req: PostRequest): Promise<PostOutcome> {
  const timestamp = Math.floor(req.now / 1000);
  const timeout = AbortSignal.timeout(req.timeoutMs ?? WEBHOOK_TIMEOUT_MS);
  try {
    const res = await fetch(req.url, {
      method: 'POST',
      // A redirect could lead a signed event anywhere: it is reported, never followed.
      redirect: 'manual',
      signal: req.signal ? AbortSignal.any([timeout, req.signal]) : timeout,
      headers: {
        'content-type': 'application/json',
        'user-agent': WEBHOOK_USER_AGENT,
        'webhook-id': req.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(req.secret, req.id, timestamp, req.body),
      },
      body: req.body,
    });
    // The body is not read; cancelling it frees the connection.
    await res.body?.cancel().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return { delivered: true, statusCode: res.status, error: null };
    const error = res.status >= 300 && res.status < 400 ? `the receiver answered ${res.status} (a redirect, not followed)` : `the receiver answered ${res.status}`;
    return { delivered: false, statusCode: res.status, error };
  } catch (err) {
    if (timeout.aborted) return { delivered: false, statusCode: null, error: `no answer within ${(req.timeoutMs ?? WEBHOOK_TIMEOUT_MS) / 1000} s` };
    const cause = err instanceof Error && err.cause ? `: ${describeError(err.cause)}` : '';
    return { delivered: false, statusCode: null, error: `${describeError(err)}${cause}` };
  }
}

/**
 * Delays before each retry: about 32 h in all (5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h,
 * 4 h, 8 h, 8 h, 8 h), so a receiver that is down for a day still gets everything.
 */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000, 28_800_000, 28_800_000];

/**
 * The wait before the retry that follows failed attempt `attempts` (1-based), with ±20 %
 * jitter so receivers coming back are not hit by every queue at once; null: no retry left.
 */
export function retryDelay(attempts: number, schedule: readonly number[], random: () => number = Math.random): number | null {
  const base = schedule[attempts - 1];
  if (base === undefined) return null;
  return Math.round(base * (0.8 + 0.4 * random()));
}
