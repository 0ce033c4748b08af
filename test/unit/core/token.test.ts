import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateToken, tokenChecker } from '../../../src/core/token.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'wa-token-'));

describe('API token', () => {
  it('is generated once, saved owner-only, and reused', () => {
    const dir = path.join(tmp(), 'nested');
    const first = loadOrCreateToken(dir, null);
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const file = path.join(dir, 'api-token');
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateToken(dir, null)).toBe(first);
  });

  it('uses the configured token and writes nothing', () => {
    const dir = tmp();
    expect(loadOrCreateToken(dir, 'configured-token-123456')).toBe('configured-token-123456');
    expect(() => statSync(path.join(dir, 'api-token'))).toThrow();
  });

  it.skipIf(process.platform === 'win32')('repairs a saved token file that others could read', () => {
    const dir = tmp();
    const file = path.join(dir, 'api-token');
    writeFileSync(file, 'saved-token-abcdefghijkl\n');
    chmodSync(file, 0o644);
    expect(loadOrCreateToken(dir, null)).toBe('saved-token-abcdefghijkl');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it.skipIf(process.platform === 'win32')('regression: a data dir the demo had created 0755 stayed readable by others', () => {
    const dir = path.join(tmp(), 'demo');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    writeFileSync(path.join(dir, 'api-token'), 'saved-token-abcdefghijkl\n', { mode: 0o600 });
    expect(loadOrCreateToken(dir, null)).toBe('saved-token-abcdefghijkl');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it.skipIf(process.platform === 'win32')('creates a new data dir, and each missing parent, owner-only', () => {
    const parent = path.join(tmp(), 'parent');
    loadOrCreateToken(path.join(parent, 'data'), null);
    expect(statSync(parent).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(parent, 'data')).mode & 0o777).toBe(0o700);
  });

  it('compares tokens exactly', () => {
    const matches = tokenChecker('abc-token');
    expect(matches('abc-token')).toBe(true);
    expect(matches('abc-toke')).toBe(false);
    expect(matches('abc-token ')).toBe(false);
    expect(matches('')).toBe(false);
    expect(matches(undefined)).toBe(false);
  });
});
