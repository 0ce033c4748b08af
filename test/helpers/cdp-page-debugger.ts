import type { CDPSession, Page } from 'puppeteer-core';
import type { PageDebugger } from '../../src/main/page-transport.js';

/** CDP event names ("Page.frameNavigated"); puppeteer's own session events are filtered out. */
const isCdpEvent = (type: unknown): type is string => typeof type === 'string' && /^[A-Z]\w*\.\w+$/.test(type);

/**
 * Stands in for Electron's `webContents.debugger` in tests: a real Chromium page's own CDP
 * session, with child sessions (workers, iframes) addressed by session id the way Electron's
 * `sendCommand(method, params, sessionId)` does.
 */
export class CdpPageDebugger implements PageDebugger {
  private root: CDPSession | null = null;
  private readonly children = new Map<string, CDPSession>();
  private messageListener: ((method: string, params: unknown, sessionId: string | undefined) => void) | null = null;
  private detachListener: ((reason: string) => void) | null = null;
  detached = false;

  constructor(private readonly page: Page) {}

  async attach(): Promise<void> {
    this.root = await this.page.createCDPSession();
    this.watch(this.root, undefined);
    this.page.once('close', () => {
      if (!this.detached) this.detachListener?.('target closed');
    });
  }

  private watch(session: CDPSession, sessionId: string | undefined): void {
    session.on('*' as never, ((type: unknown, params: unknown) => {
      if (isCdpEvent(type)) this.messageListener?.(type, params, sessionId);
    }) as never);
    session.on('sessionattached' as never, ((child: CDPSession) => {
      this.children.set(child.id(), child);
      this.watch(child, child.id());
    }) as never);
  }

  async sendCommand(method: string, params: object | undefined, sessionId: string | undefined): Promise<unknown> {
    const session = sessionId === undefined ? this.root : this.children.get(sessionId);
    if (!session) throw new Error(`No CDP session ${sessionId ?? '(page)'}`);
    return session.send(method as never, params as never);
  }

  onMessage(listener: (method: string, params: unknown, sessionId: string | undefined) => void): void {
    this.messageListener = listener;
  }

  onDetach(listener: (reason: string) => void): void {
    this.detachListener = listener;
  }

  detach(): void {
    this.detached = true;
    void this.root?.detach().catch(() => undefined);
  }
}
