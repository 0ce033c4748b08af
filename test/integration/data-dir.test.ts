import { mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startBridge } from '../../src/bridge.js';
import type { Config } from '../../src/core/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { demoBridgeOptions } from '../../src/demo.js';

/** Issue 9, defect 10: what the bridge writes (token, linked session) sits in owner-only directories. */
const mode = (p: string): number => statSync(p).mode & 0o777;

function config(dataDir: string, extra: Partial<Config> = {}): Config {
  return {
    host: '127.0.0.1',
    port: 0,
    dataDir,
    authDir: path.join(dataDir, 'session'),
    chromeExecutable: '/usr/bin/chromium',
    headless: true,
    token: null,
    demo: false,
    logLevel: 'silent',
    sendPerMinute: 60,
    sendBurst: 10,
    mediaDirs: [],
    ...extra,
  };
}

describe.skipIf(process.platform === 'win32')('data directories are owner-only (0700)', () => {
  it('regression: the demo data dir was created with mode 0755', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'wa-home-'));
    const dataDir = path.join(home, 'whatsapp-mcp-desktop', 'demo');
    await demoBridgeOptions(config(dataDir, { demo: true }), silentLogger());
    expect(mode(path.join(home, 'whatsapp-mcp-desktop'))).toBe(0o700);
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(path.join(dataDir, 'simulator'))).toBe(0o700);
  });

  it('the bridge creates its data dir owner-only even when the token is configured (no token file is written)', async () => {
    const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'wa-home-')), 'data');
    const bridge = await startBridge({ config: config(dataDir, { token: 'configured-token-0123456789', authDir: path.join(dataDir, '..', 'auth') }), log: silentLogger() });
    try {
      expect(mode(dataDir)).toBe(0o700);
    } finally {
      await bridge.stop();
    }
  });
});
