import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findChrome } from '../../src/whatsapp/browser.js';

/** An installed Chromium (never a downloaded one); null skips the UI tests with a reason. */
export const chromiumPath = process.env.WHATSAPP_CHROME_EXECUTABLE ?? findChrome();

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath!,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

export const SCREENSHOT_DIR = path.resolve('test-results', 'screenshots');

/** Saved for review (test-results/ is gitignored); the path is returned for the log. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
