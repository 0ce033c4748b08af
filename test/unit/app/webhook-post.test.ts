import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SCHEDULE_MS, retryDelay, signWebhook } from '../../../src/app/webhook-post.js';

describe('webhook signing and retry schedule', () => {
  it('signs like the Standard Webhooks reference (its published test vector)', () => {
    expect(signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('retries for more than 24 hours, with ±20 % jitter, then stops', () => {
    const total = DEFAULT_RETRY_SCHEDULE_MS.reduce((a, b) => a + b, 0);
    expect(total * 0.8).toBeGreaterThan(24 * 3_600_000);
    expect(retryDelay(1, DEFAULT_RETRY_SCHEDULE_MS, () => 0)).toBe(4_000);
    expect(retryDelay(1, DEFAULT_RETRY_SCHEDULE_MS, () => 1)).toBe(6_000);
    expect(retryDelay(DEFAULT_RETRY_SCHEDULE_MS.length, DEFAULT_RETRY_SCHEDULE_MS, () => 0.5)).toBe(28_800_000);
    expect(retryDelay(DEFAULT_RETRY_SCHEDULE_MS.length + 1, DEFAULT_RETRY_SCHEDULE_MS)).toBeNull();
  });
});
