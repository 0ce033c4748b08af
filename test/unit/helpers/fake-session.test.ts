import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSession } from '../../helpers/fake-session.js';

/** The integration tests' WhatsApp double must be deterministic: no test may see another's start. */
describe('FakeSession start()', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('regression: a reset did not cancel a start still under way, so the next test\'s linked session turned to "qr" (flaky "whatsapp_pairing_code when already linked")', async () => {
    const session = new FakeSession();
    await session.start();
    // The next test resets the double and links it before WhatsApp Web's answer comes in.
    await session.logout();
    session.link();
    await vi.runAllTimersAsync();
    expect(session.snapshot()).toMatchObject({ state: 'ready', qr: null });
  });

  it('a start nobody interrupts shows a QR code, or restores a saved session', async () => {
    const session = new FakeSession();
    await session.start();
    expect(session.snapshot().state).toBe('starting');
    await vi.runAllTimersAsync();
    expect(session.snapshot()).toMatchObject({ state: 'qr', qr: '2@fake-ref-1,key,identity,secret' });

    session.startInto = 'ready';
    await session.logout();
    await session.start();
    await vi.runAllTimersAsync();
    expect(session.snapshot().state).toBe('ready');
  });
});
