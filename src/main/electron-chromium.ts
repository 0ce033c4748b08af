import { BrowserWindow, session, type WebContents } from 'electron';
import { describeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { BrowserBinding } from '../whatsapp/browser-binding.js';
import { SinglePageTransport, type PageDebugger } from './page-transport.js';
import { chromeUserAgent } from './user-agent.js';
import { hardenWebContents, whatsappWindowOptions } from './windows.js';

const WHATSAPP_ORIGIN = 'https://web.whatsapp.com';

/** `webContents.debugger` as a PageDebugger: CDP in-process, no remote-debugging port. */
export class WebContentsDebugger implements PageDebugger {
  /** `released` runs once the page is no longer ours: detached by us, or by Electron. */
  constructor(
    private readonly contents: WebContents,
    private readonly released: (reason: string) => void = () => undefined,
  ) {
    contents.debugger.on('detach', (_event, reason) => released(reason));
  }

  async attach(): Promise<void> {
    // A fresh window has no document yet; give the debugger a page to attach to.
    await this.contents.loadURL('about:blank');
    this.contents.debugger.attach('1.3');
  }

  sendCommand(method: string, params: object | undefined, sessionId: string | undefined): Promise<unknown> {
    return this.contents.debugger.sendCommand(method, params, sessionId);
  }

  onMessage(listener: (method: string, params: unknown, sessionId: string | undefined) => void): void {
    this.contents.debugger.on('message', (_event, method, params, sessionId) => listener(method, params, sessionId || undefined));
  }

  onDetach(listener: (reason: string) => void): void {
    this.contents.debugger.on('detach', (_event, reason) => listener(reason));
  }

  detach(): void {
    if (!this.contents.isDestroyed() && this.contents.debugger.isAttached()) this.contents.debugger.detach();
    this.released('detached by the app');
  }
}

/**
 * whatsapp-web.js in Electron's own Chromium: every browser start gets a fresh hidden window
 * on the persistent partition (the linked session's storage lives there) and a transport to
 * it. When whatsapp-web.js closes its "browser", the window goes; the partition stays.
 */
export class ElectronChromium implements BrowserBinding {
  readonly description = `Electron ${process.versions.electron ?? ''} (Chromium ${process.versions.chrome ?? ''})`;
  private window: BrowserWindow | null = null;
  private readonly userAgent = chromeUserAgent(process.versions.chrome ?? '');

  constructor(
    private readonly partition: string,
    private readonly log: Logger,
  ) {}

  puppeteerOptions(): Record<string, unknown> & { transport: SinglePageTransport } {
    this.closeWindow();
    const ses = session.fromPartition(this.partition);
    ses.setUserAgent(this.userAgent);
    // WhatsApp Web asks for notifications and media; a hidden window has no use for either.
    ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    const win = new BrowserWindow(whatsappWindowOptions(this.partition));
    win.webContents.setAudioMuted(true);
    hardenWebContents(win.webContents, (url) => url.startsWith(`${WHATSAPP_ORIGIN}/`));
    this.window = win;
    const debuggee = new WebContentsDebugger(win.webContents, (reason) => {
      // whatsapp-web.js closed its "browser" (or the page died): the window goes, the partition stays.
      if (this.window !== win) return;
      this.log.info({ reason }, 'WhatsApp Web page released');
      this.closeWindow();
    });
    const transport = new SinglePageTransport(debuggee, { product: `Chrome/${process.versions.chrome ?? ''}`, userAgent: this.userAgent });
    return { transport, defaultViewport: null };
  }

  async clearStorage(): Promise<void> {
    this.closeWindow();
    const ses = session.fromPartition(this.partition);
    await ses.clearStorageData();
    await ses.clearCache();
  }

  closeWindow(): void {
    const win = this.window;
    this.window = null;
    if (win && !win.isDestroyed()) {
      try {
        win.destroy();
      } catch (err) {
        this.log.warn({ err: describeError(err) }, 'could not close the WhatsApp Web window');
      }
    }
  }
}
