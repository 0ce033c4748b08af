/**
 * A normal desktop Chrome user agent for Electron's Chromium version: WhatsApp Web turns
 * away browsers that say "Electron". Like Chrome's own (reduced) UA, only the major version shows.
 */
export function chromeUserAgent(chromeVersion: string, platform: NodeJS.Platform = process.platform): string {
  const major = /^(\d+)/.exec(chromeVersion)?.[1] ?? '140';
  const os =
    platform === 'win32' ? 'Windows NT 10.0; Win64; x64' : platform === 'darwin' ? 'Macintosh; Intel Mac OS X 10_15_7' : 'X11; Linux x86_64';
  return `Mozilla/5.0 (${os}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36`;
}
