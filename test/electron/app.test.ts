import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from '../helpers/playwright.js';

/**
 * The Electron binary: ELECTRON_OVERRIDE_DIST_PATH, or the one the electron package downloaded
 * (its path.txt). Not `require('electron')`: since Electron 45 that tries to download it.
 */
function electronBinary(): { path: string | null; why: string } {
  const exe = process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : process.platform === 'win32' ? 'electron.exe' : 'electron';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const bin = path.join(override, exe);
    return existsSync(bin) ? { path: bin, why: '' } : { path: null, why: `ELECTRON_OVERRIDE_DIST_PATH has no ${exe}` };
  }
  const pkg = path.resolve('node_modules/electron');
  const pathTxt = path.join(pkg, 'path.txt');
  if (!existsSync(pathTxt)) {
    return { path: null, why: 'no Electron binary (node_modules/electron/dist was never downloaded); set ELECTRON_OVERRIDE_DIST_PATH to an Electron dist directory' };
  }
  const bin = path.join(pkg, 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(bin) ? { path: bin, why: '' } : { path: null, why: `the Electron binary ${bin} is missing` };
}

const electron = electronBinary();
if (!electron.path) process.stderr.write(`\n[test/electron] SKIPPED: the real Electron app cannot start here: ${electron.why}.\n`);

const MAIN = path.resolve('dist/src/main/main.js');

describe.skipIf(!electron.path)(`the Electron app via Playwright _electron${electron.path ? '' : ` — SKIPPED: ${electron.why}`}`, () => {
  let app: ElectronApplication;
  let window: Page;
  let dataDir: string;

  beforeAll(async () => {
    execFileSync(process.execPath, [path.resolve('node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
    execFileSync(process.execPath, ['scripts/copy-static.mjs'], { stdio: 'inherit' });
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'wa-electron-app-'));
    app = await _electron.launch({
      executablePath: electron.path!,
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), MAIN, '--demo'],
      env: { ...process.env, WHATSAPP_DATA_DIR: dataDir, WHATSAPP_MCP_PORT: '0', WHATSAPP_DESKTOP_TEST_HOOKS: '1', LOG_LEVEL: 'warn' },
    });
    window = await app.firstWindow();
  });

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('launches with a window that shows the status', async () => {
    await expect.poll(() => window.locator('#status-title').textContent(), { timeout: 30_000 }).toBe('Not linked');
    expect(await window.locator('#demo-badge').isVisible()).toBe(true);
    await screenshot(window, 'electron-stopped');
  });

  it('the window has no Node.js, only the preload\'s named methods', async () => {
    const globals = await window.evaluate(() => ({
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
      api: Object.keys((window as unknown as { whatsappDesktop: object }).whatsappDesktop).sort(),
    }));
    expect(globals).toEqual({
      require: 'undefined',
      process: 'undefined',
      api: [
        'copy',
        'createAccount',
        'createKey',
        'decideApproval',
        'getAccounts',
        'getActivity',
        'getAgents',
        'getApprovals',
        'getChats',
        'getConfig',
        'getHealth',
        'getKeys',
        'getQr',
        'getSend',
        'getStatus',
        'logout',
        'onEvent',
        'onStatus',
        'openInstallLink',
        'removeAccount',
        'requestPairingCode',
        'revokeKey',
        'selectAccount',
        'setAgentsPaused',
        'simulatePhoneLink',
        'startAuth',
      ],
    });
  });

  it('the tray menu has every item, and logs in through Electron\'s Chromium (demo simulator)', async () => {
    const labels = (await app.evaluate(() => (globalThis as unknown as { __whatsappDesktopTest: { trayMenu(): { label?: string }[] } }).__whatsappDesktopTest.trayMenu())).map(
      (i) => i.label,
    );
    expect(labels).toEqual(expect.arrayContaining(['Open window', 'Log in…', 'Link with phone number…', 'Copy API token', 'Copy MCP client config']));
    expect(labels).not.toContain('Log out…');
    await app.evaluate(() => (globalThis as unknown as { __whatsappDesktopTest: { clickTrayItem(id: string): void } }).__whatsappDesktopTest.clickTrayItem('login'));
    await expect.poll(() => window.locator('#status-title').textContent(), { timeout: 60_000 }).toBe('Waiting for your phone');
    await expect.poll(() => window.getByRole('img', { name: /QR code/ }).isVisible(), { timeout: 10_000 }).toBe(true);
    await screenshot(window, 'electron-qr');
    await window.getByRole('button', { name: 'Simulate the phone scanning (demo)' }).click();
    await expect.poll(() => window.locator('#status-title').textContent(), { timeout: 60_000 }).toMatch(/^Linked/);
    await screenshot(window, 'electron-ready');
  });

  it('the REST API answers on the bridge the app started', async () => {
    const { url, token } = await app.evaluate(() => {
      const t = (globalThis as unknown as { __whatsappDesktopTest: { url: string; token: string } }).__whatsappDesktopTest;
      return { url: t.url, token: t.token };
    });
    const res = await fetch(`${url}/api/status`, { headers: { authorization: `Bearer ${token}` } });
    expect(await res.json()).toMatchObject({ state: 'ready' });
  });

  it('Quit closes the server and exits', async () => {
    const url = await app.evaluate(() => (globalThis as unknown as { __whatsappDesktopTest: { url: string } }).__whatsappDesktopTest.url);
    const closed = new Promise<void>((resolve) => app.process().once('exit', () => resolve()));
    await app.evaluate(() => (globalThis as unknown as { __whatsappDesktopTest: { clickTrayItem(id: string): void } }).__whatsappDesktopTest.clickTrayItem('quit'));
    await closed;
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});
