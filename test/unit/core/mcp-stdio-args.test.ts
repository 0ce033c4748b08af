import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readClientKey, saveClientKey } from '../../../src/core/client-keys-file.js';
import { ConfigError } from '../../../src/core/config.js';
import { entryFlags } from '../../../src/mcp-stdio-args.js';

describe("the stdio entry's own flags", () => {
  it('takes --client, --new-key and --account out and leaves the bridge flags', () => {
    expect(entryFlags(['--demo', '--client', 'cursor', '--data-dir', '/tmp/x'])).toEqual({ client: 'cursor', newKey: false, account: null, rest: ['--demo', '--data-dir', '/tmp/x'] });
    expect(entryFlags(['--client=vscode', '--new-key'])).toEqual({ client: 'vscode', newKey: true, account: null, rest: [] });
    expect(entryFlags(['--account', 'work', '--demo', '--client', 'cursor'])).toEqual({ client: 'cursor', newKey: false, account: 'work', rest: ['--demo'] });
    expect(entryFlags(['--account=work'])).toMatchObject({ account: 'work', rest: [] });
    expect(entryFlags([])).toEqual({ client: null, newKey: false, account: null, rest: [] });
  });

  it('takes the account from WHATSAPP_MCP_ACCOUNT when --account is not given; the flag wins', () => {
    expect(entryFlags(['--demo'], { WHATSAPP_MCP_ACCOUNT: 'work' })).toMatchObject({ account: 'work', rest: ['--demo'] });
    expect(entryFlags(['--account', 'home'], { WHATSAPP_MCP_ACCOUNT: 'work' }).account).toBe('home');
    expect(entryFlags([], { WHATSAPP_MCP_ACCOUNT: ' ' }).account).toBeNull();
  });

  it('refuses a client name that is not a short lower-case name, and an account that is not an account id', () => {
    expect(() => entryFlags(['--client', 'Cursor IDE'])).toThrow(ConfigError);
    expect(() => entryFlags(['--client', '../keys'])).toThrow(/lower-case letters, digits and dashes/);
    expect(() => entryFlags(['--account', 'Work Phone'])).toThrow(/--account "Work Phone" is not an account id: .*lower-case/);
    expect(() => entryFlags([], { WHATSAPP_MCP_ACCOUNT: '../x' })).toThrow(/WHATSAPP_MCP_ACCOUNT "\.\.\/x" is not an account id/);
    expect(() => entryFlags(['--account'])).toThrow(/--account needs an account id/);
  });
});

describe('the client keys file', () => {
  it('keeps one key per client and account, owner-only, and adds without losing the others', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'keys-file-'));
    expect(readClientKey(dir, 'cursor')).toBeNull();
    saveClientKey(dir, 'cursor', { id: 'key_1', key: 'wak_one', name: 'Cursor' });
    saveClientKey(dir, 'vscode', { id: 'key_2', key: 'wak_two', name: 'VS Code' });
    expect(readClientKey(dir, 'cursor')).toEqual({ id: 'key_1', key: 'wak_one', name: 'Cursor' });
    expect(readClientKey(dir, 'vscode')?.key).toBe('wak_two');
    // Another account's key is the client's too, kept apart: never the one read for the default account.
    saveClientKey(dir, 'cursor', { id: 'key_3', key: 'wak_work', name: 'Cursor (work)' }, 'work');
    expect(readClientKey(dir, 'cursor', 'work')?.key).toBe('wak_work');
    expect(readClientKey(dir, 'cursor')?.key).toBe('wak_one');
    expect(readClientKey(dir, 'cursor', 'default')?.key).toBe('wak_one');
    expect(readClientKey(dir, 'cursor', 'home')).toBeNull();
    expect(Object.keys(JSON.parse(readFileSync(path.join(dir, 'client-keys.json'), 'utf8')))).toEqual(['cursor', 'vscode', 'cursor@work']);
    if (process.platform !== 'win32') expect(statSync(path.join(dir, 'client-keys.json')).mode & 0o777).toBe(0o600);
  });
});
