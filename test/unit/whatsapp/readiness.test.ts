import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors.js';
import { FakeSession } from '../../helpers/fake-session.js';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    return (err as AppError).code;
  }
}

describe('waitUntilReady (the seed\'s ensureReady)', () => {
  it('fails at once where waiting cannot help', async () => {
    const s = new FakeSession();
    expect(await codeOf(s.waitUntilReady(60_000))).toBe('WA_NOT_STARTED');
    s.set('qr', { qr: 'x' });
    expect(await codeOf(s.waitUntilReady(60_000))).toBe('WA_NOT_LINKED');
    s.set('auth_failure', { lastError: 'bad' });
    expect(await codeOf(s.waitUntilReady(60_000))).toBe('WA_AUTH_FAILURE');
    s.set('disconnected', { lastError: 'The phone logged this device out' });
    expect(await codeOf(s.waitUntilReady(60_000))).toBe('WA_DISCONNECTED');
  });

  it('waits through starting and authenticated until ready', async () => {
    const s = new FakeSession();
    s.set('starting');
    const waiting = s.waitUntilReady(5_000);
    s.set('authenticated');
    s.link();
    await expect(waiting).resolves.toBeUndefined();
  });

  it('waits while a disconnected session reconnects by itself', async () => {
    const s = new FakeSession();
    s.set('disconnected', { reconnecting: true, lastError: 'CONFLICT; reconnecting' });
    const waiting = s.waitUntilReady(5_000);
    s.set('starting');
    s.link();
    await expect(waiting).resolves.toBeUndefined();
  });

  it('stops waiting as soon as the session lands in a blocking state', async () => {
    const s = new FakeSession();
    s.set('starting');
    const waiting = codeOf(s.waitUntilReady(60_000));
    s.set('qr', { qr: 'x' });
    expect(await waiting).toBe('WA_NOT_LINKED');
  });

  it('times out with WA_NOT_READY and says where to look', async () => {
    const s = new FakeSession();
    s.set('starting');
    const err = await s.waitUntilReady(30).catch((e: AppError) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('WA_NOT_READY');
    expect((err as AppError).status).toBe(503);
    expect((err as AppError).details?.next).toBe('status');
  });

  it('waitForLinkPrompt answers qr, or ready when the session restored itself', async () => {
    const s = new FakeSession();
    s.set('starting');
    const p = s.waitForLinkPrompt(5_000);
    s.set('qr', { qr: 'x' });
    expect(await p).toBe('qr');
    s.link();
    expect(await s.waitForLinkPrompt(5_000)).toBe('ready');
  });
});
