import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import type { StatusChange } from '../../src/core/status.js';
import { SinglePageTransport } from '../../src/main/page-transport.js';
import { chromiumArgs, findChrome } from '../../src/whatsapp/browser.js';
import { prepareSimulatorCache, SimulatorControl } from '../../src/whatsapp/simulator/index.js';
import type { BrowserBinding } from '../../src/whatsapp/browser-binding.js';
import { WwebjsSession } from '../../src/whatsapp/wwebjs-session.js';
import { CdpPageDebugger } from '../helpers/cdp-page-debugger.js';

const chrome = process.env.WHATSAPP_CHROME_EXECUTABLE ?? findChrome();

/**
 * The Electron binding without Electron: whatsapp-web.js (unmodified) reaches one page of a
 * real Chromium through SinglePageTransport, backed by that page's own CDP session the way
 * the app backs it by `webContents.debugger`. No remote-debugging port, no second page.
 */
describe.skipIf(!chrome)('Electron-Chromium binding over a page debugger (real Chromium + simulator)', () => {
  let host: Browser;
  let hostPage: Page;
  let dir: string;
  let session: WwebjsSession;
  const debuggers: CdpPageDebugger[] = [];
  const states: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'wa-electron-transport-'));
    host = await puppeteer.launch({ executablePath: chrome!, headless: true, pipe: true, args: chromiumArgs({ noSandbox: true }) });
    hostPage = (await host.pages())[0]!;
    const binding: BrowserBinding = {
      description: 'test Chromium page via CDP session',
      puppeteerOptions() {
        const dbg = new CdpPageDebugger(hostPage);
        debuggers.push(dbg);
        return { transport: new SinglePageTransport(dbg, { product: 'Chrome/test', userAgent: 'test' }), defaultViewport: null };
      },
    };
    session = new WwebjsSession({
      authDir: path.join(dir, 'auth'),
      dataDir: dir,
      headless: true,
      log: silentLogger(),
      browser: binding,
      webVersion: await prepareSimulatorCache(path.join(dir, 'cache')),
      retryStrategy: () => null,
    });
    session.on('status', (c: StatusChange) => states.push(c.to));
  });

  afterAll(async () => {
    await session?.close();
    await host?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows a QR code, links, becomes ready and sends a message, all in the one existing page', async () => {
    await session.start();
    expect(await session.waitForLinkPrompt(30_000)).toBe('qr');
    expect(session.snapshot().qr).toMatch(/^2@/);
    // whatsapp-web.js's newPage() got the page we own, not a new tab.
    expect((await host.pages()).length).toBe(1);
    expect(hostPage.url()).toBe('https://web.whatsapp.com/');

    const ready = new Promise<void>((resolve) => session.on('status', (c: StatusChange) => c.to === 'ready' && resolve()));
    await new SimulatorControl(session.page!).link({ user: '15557654321', pushname: 'Transport Test' });
    await ready;
    expect(session.snapshot().account).toMatchObject({ wid: '15557654321@c.us', pushname: 'Transport Test' });
    expect(states).toEqual(expect.arrayContaining(['starting', 'qr', 'authenticated', 'ready']));

    const sent = await session.send('15551112222@c.us', { kind: 'text', text: 'hello through webContents.debugger' });
    expect(sent.id).toBeTruthy();
    const chat = await session.readMessages('15551112222@c.us', 5);
    expect(chat?.messages.at(-1)?.body).toBe('hello through webContents.debugger');
  });

  it('close() detaches the debugger and leaves the page to its owner (Browser.close never closes it)', async () => {
    await session.close();
    expect(session.snapshot().state).toBe('stopped');
    expect(debuggers.at(-1)?.detached).toBe(true);
    expect(hostPage.isClosed()).toBe(false);
    expect((await host.pages()).length).toBe(1);
  });
});
