import { mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readClientKey, saveClientKey } from '../../../src/core/client-keys-file.js';
import { ConfigError } from '../../../src/core/config.js';
import { entryFlags } from '../../../src/mcp-stdio-args.js';

describe("the stdio entry's own flags", () => {
  it('takes --client and --new-key out and leaves the bridge flags', () => {
    expect(entryFlags(['--demo', '--client', 'cursor', '--data-dir', '/tmp/x'])).toEqual({ client: 'cursor', newKey: false, rest: ['--demo', '--data-dir', '/tmp/x'] });
    expect(entryFlags(['--client=vscode', '--new-key'])).toEqual({ client: 'vscode', newKey: true, rest: [] });
    expect(entryFlags([])).toEqual({ client: null, newKey: false, rest: [] });
  });

  it('refuses a client name that is not a short lower-case name', () => {
    expect(() => entryFlags(['--client', 'Cursor IDE'])).toThrow(ConfigError);
    expect(() => entryFlags(['--client', '../keys'])).toThrow(/lower-case letters, digits and dashes/);
  });
});

describe('the client keys file', () => {
  it('keeps one key per client, owner-only, and adds without losing the others', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'keys-file-'));
    expect(readClientKey(dir, 'cursor')).toBeNull();
    saveClientKey(dir, 'cursor', { id: 'key_1', key: 'wak_one', name: 'Cursor' });
    saveClientKey(dir, 'vscode', { id: 'key_2', key: 'wak_two', name: 'VS Code' });
    expect(readClientKey(dir, 'cursor')).toEqual({ id: 'key_1', key: 'wak_one', name: 'Cursor' });
    expect(readClientKey(dir, 'vscode')?.key).toBe('wak_two');
    if (process.platform !== 'win32') expect(statSync(path.join(dir, 'client-keys.json')).mode & 0o777).toBe(0o600);
  });
});
