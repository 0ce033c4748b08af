import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appDataDir, ConfigError, helpText, isLoopbackAddress, loadConfig, OPTIONS } from '../../../src/core/config.js';

const HOME = { HOME: '/home/ada' };

describe('loadConfig', () => {
  it('has safe defaults: loopback, 8790, headless, per-user data dir', () => {
    const c = loadConfig([], { ...HOME });
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8790, headless: true, token: null, demo: false, chromeExecutable: null });
    expect(c.dataDir).toBe(path.join(appDataDir(process.platform, HOME), 'whatsapp-mcp-desktop'));
    expect(c.authDir).toBe(path.join(c.dataDir, 'session'));
  });

  it('reads the seed-compatible environment variables', () => {
    const c = loadConfig([], {
      ...HOME,
      WHATSAPP_MCP_HOST: 'localhost',
      WHATSAPP_MCP_PORT: '9000',
      WHATSAPP_DATA_DIR: '/data/wa',
      WHATSAPP_AUTH_DIR: '/data/auth',
      WHATSAPP_CHROME_EXECUTABLE: '/opt/chrome',
      WHATSAPP_HEADLESS: 'false',
      WHATSAPP_MCP_TOKEN: 'a-long-enough-token-1234',
    });
    expect(c).toMatchObject({
      host: 'localhost',
      port: 9000,
      dataDir: path.resolve('/data/wa'),
      authDir: path.resolve('/data/auth'),
      chromeExecutable: path.resolve('/opt/chrome'),
      headless: false,
      token: 'a-long-enough-token-1234',
    });
  });

  it('lets CLI flags override the environment', () => {
    const c = loadConfig(['--port', '9100', '--headless', 'true', '--demo'], { ...HOME, WHATSAPP_MCP_PORT: '9000', WHATSAPP_HEADLESS: 'false' });
    expect(c).toMatchObject({ port: 9100, headless: true, demo: true });
  });

  it.each([
    [['--port', 'abc'], {}, /WHATSAPP_MCP_PORT must be a number/],
    [['--port', '70000'], {}, /0-65535/],
    [[], { WHATSAPP_HEADLESS: 'maybe' }, /WHATSAPP_HEADLESS must be true or false/],
    [[], { WHATSAPP_MCP_TOKEN: 'short' }, /at least 16/],
    [['--bogus'], {}, /--help/],
  ])('rejects %j %j with a message that says what to fix', (argv, env, message) => {
    expect(() => loadConfig(argv as string[], { ...HOME, ...(env as Record<string, string>) })).toThrow(ConfigError);
    expect(() => loadConfig(argv as string[], { ...HOME, ...(env as Record<string, string>) })).toThrow(message);
  });

  it('--help lists every option and its variable', () => {
    const text = helpText();
    for (const [name, opt] of Object.entries(OPTIONS)) {
      expect(text).toContain(`--${name}`);
      if (opt.env) expect(text).toContain(opt.env);
    }
  });

  it('knows the per-OS app-data folder', () => {
    expect(appDataDir('win32', { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' })).toBe('C:\\Users\\ada\\AppData\\Roaming');
    expect(appDataDir('darwin', HOME)).toBe('/home/ada/Library/Application Support');
    expect(appDataDir('linux', { ...HOME, XDG_CONFIG_HOME: '/xdg' })).toBe('/xdg');
    expect(appDataDir('linux', HOME)).toBe('/home/ada/.config');
  });

  it('tells loopback from other addresses', () => {
    for (const h of ['127.0.0.1', 'localhost', '::1', '127.5.0.1']) expect(isLoopbackAddress(h)).toBe(true);
    for (const h of ['0.0.0.0', '192.168.1.4', '::', 'example.com']) expect(isLoopbackAddress(h)).toBe(false);
  });
});
