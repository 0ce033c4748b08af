import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** Flags every headless Chromium we launch needs; some only matter on locked-down machines. */
export function chromiumArgs(opts: { noSandbox: boolean }): string[] {
  const args = [
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-default-apps',
    '--disable-sync',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-dev-shm-usage',
  ];
  // Chromium refuses to run as root with its sandbox on (containers, CI).
  if (opts.noSandbox) args.push('--no-sandbox');
  return args;
}

export function runningAsRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Where Chrome, Chromium and Edge install themselves, per OS, most likely first. */
export function chromeCandidates(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string[] {
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((r): r is string => Boolean(r));
    const rel = [
      'Google\\Chrome\\Application\\chrome.exe',
      'Chromium\\Application\\chrome.exe',
      'Microsoft\\Edge\\Application\\msedge.exe',
    ];
    return roots.flatMap((root) => rel.map((r) => path.win32.join(root, r)));
  }
  if (platform === 'darwin') {
    const apps = [
      'Google Chrome.app/Contents/MacOS/Google Chrome',
      'Chromium.app/Contents/MacOS/Chromium',
      'Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    ];
    const dirs = ['/Applications', path.join(env.HOME ?? '', 'Applications')];
    return dirs.flatMap((d) => apps.map((a) => path.posix.join(d, a)));
  }
  const names = ['google-chrome', 'google-chrome-stable', 'chromium', 'chromium-browser', 'microsoft-edge', 'microsoft-edge-stable'];
  const dirs = (env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(':').filter(Boolean);
  for (const fixed of ['/usr/bin', '/snap/bin', '/opt/google/chrome']) if (!dirs.includes(fixed)) dirs.push(fixed);
  return dirs.flatMap((d) => names.map((n) => path.posix.join(d, n)));
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first installed browser, or null: the caller explains how to set WHATSAPP_CHROME_EXECUTABLE. */
export function findChrome(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string | null {
  return chromeCandidates(platform, env).find(isExecutable) ?? null;
}

export function chromeIsUsable(file: string): boolean {
  return isExecutable(file);
}
