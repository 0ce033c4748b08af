import { describe, expect, it } from 'vitest';
import { chromeCandidates, chromiumArgs } from '../../../src/whatsapp/browser.js';
import { retryDelayMs } from '../../../src/whatsapp/retry.js';
import { desktopUserAgent } from '../../../src/whatsapp/browser-binding.js';

describe('browser discovery', () => {
  it('looks for Chrome, Chromium and Edge on Windows', () => {
    const c = chromeCandidates('win32', { PROGRAMFILES: 'C:\\Program Files' });
    expect(c).toContain('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe');
    expect(c).toContain('C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe');
  });

  it('looks in /Applications on macOS', () => {
    expect(chromeCandidates('darwin', { HOME: '/Users/ada' })).toContain('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
  });

  it('searches PATH first on Linux', () => {
    const c = chromeCandidates('linux', { PATH: '/custom/bin' });
    expect(c[0]).toBe('/custom/bin/google-chrome');
    expect(c).toContain('/usr/bin/chromium');
  });

  it('adds --no-sandbox only when asked (root)', () => {
    expect(chromiumArgs({ noSandbox: false })).not.toContain('--no-sandbox');
    expect(chromiumArgs({ noSandbox: true })).toContain('--no-sandbox');
    expect(chromiumArgs({ noSandbox: false })).toContain('--disable-background-networking');
  });

  it('gives WhatsApp Web a normal desktop user agent, never HeadlessChrome', () => {
    const ua = desktopUserAgent(null, 'win32');
    expect(ua).toMatch(/^Mozilla\/5\.0 \(Windows NT 10\.0; Win64; x64\).* Chrome\/\d+\.0\.0\.0 Safari\/537\.36$/);
    expect(ua).not.toMatch(/Headless/);
  });
});

describe('retryDelayMs', () => {
  it('backs off exponentially from 2 s and caps at 60 s', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => retryDelayMs(n, mid))).toEqual([2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
  });

  it('jitters within ±20%', () => {
    expect(retryDelayMs(1, () => 0)).toBe(1600);
    expect(retryDelayMs(1, () => 1)).toBe(2400);
  });
});
