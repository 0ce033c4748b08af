import { describe, expect, it } from 'vitest';
import { hostName, isLoopbackOrigin } from '../../../src/server/addresses.js';
import { stateSentence } from '../../../src/server/routes/qr-page.js';
import { formatPairingCode } from '../../../src/app/linking.js';
import { SESSION_STATES } from '../../../src/core/status.js';
import type { StatusDto } from '../../../src/app/schemas/index.js';

describe('security helpers', () => {
  it.each([
    ['127.0.0.1:8790', '127.0.0.1'],
    ['localhost', 'localhost'],
    ['LOCALHOST:1', 'localhost'],
    ['[::1]:8790', '[::1]'],
    ['evil.com:8790', 'evil.com'],
    ['127.0.0.1:8790:1', null],
    ['', null],
  ])('hostName(%j) = %j', (header, name) => {
    expect(hostName(header)).toBe(name);
  });

  it.each([
    ['http://127.0.0.1:8790', true],
    ['http://localhost:3000', true],
    ['https://localhost', true],
    ['http://[::1]:8790', true],
    ['null', false],
    ['http://127.0.0.1.evil.com', false],
    ['https://evil.com', false],
    ['file://', false],
  ])('isLoopbackOrigin(%j) = %s', (origin, ok) => {
    expect(isLoopbackOrigin(origin)).toBe(ok);
  });
});

describe('formatPairingCode', () => {
  it('shows eight characters as two groups of four', () => {
    expect(formatPairingCode('abcd1234')).toBe('ABCD-1234');
    expect(formatPairingCode('ABCD-1234')).toBe('ABCD-1234');
  });
});

describe('QR page sentences', () => {
  it('has a plain sentence for every state', () => {
    const base: StatusDto = { state: 'stopped', ready: false, authenticated: false, auth_dir: '/a', chrome_executable: null, headless: true, has_qr: false, last_error: null, account_id: 'default', account: null };
    const sentences = SESSION_STATES.map((state) => stateSentence({ ...base, state }));
    expect(new Set(sentences).size).toBe(SESSION_STATES.length);
    for (const s of sentences) expect(s.length).toBeGreaterThan(20);
    expect(stateSentence({ ...base, state: 'stopped', last_error: 'Chrome not found at /x.' })).toContain('Chrome not found at /x.');
  });
});
