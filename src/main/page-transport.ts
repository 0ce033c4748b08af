import type { ConnectionTransport } from 'puppeteer-core';

/**
 * The part of a CDP client that is attached to one page: in the app Electron's
 * `webContents.debugger`, in tests a real Chromium page's CDP session. `sessionId` addresses
 * a child target (worker, iframe) auto-attached below the page; undefined is the page itself.
 * This file must not import `electron`: the tests run it against plain Chromium.
 */
export interface PageDebugger {
  attach(): void | Promise<void>;
  sendCommand(method: string, params: object | undefined, sessionId: string | undefined): Promise<unknown>;
  onMessage(listener: (method: string, params: unknown, sessionId: string | undefined) => void): void;
  /** The page went away or another client took over the debugger. */
  onDetach(listener: (reason: string) => void): void;
  detach(): void;
}

export interface SinglePageTransportOptions {
  /** What `Browser.getVersion` answers (puppeteer's `browser.version()` / `userAgent()`). */
  product: string;
  userAgent: string;
}

interface Message {
  id?: number;
  method: string;
  params?: Record<string, unknown>;
  sessionId?: string;
}

type TargetInfo = { targetId: string; type: string; title: string; url: string; attached: boolean; canAccessOpener: boolean };

/**
 * A puppeteer `ConnectionTransport` for exactly one page reached through a `PageDebugger`,
 * with no remote-debugging port. Puppeteer speaks to a whole browser; the browser-level calls
 * it makes (target discovery, auto-attach, `Target.createTarget` for `newPage()`,
 * `Browser.close`) are answered here, the way puppeteer's own `ExtensionTransport` does for a
 * `chrome.debugger` tab, and everything addressed to the page goes to the debugger.
 * `newPage()` hands back the one page; `Browser.close` only detaches, the page's owner decides
 * what happens to it.
 */
export class SinglePageTransport implements ConnectionTransport {
  onmessage?: (message: string) => void;
  onclose?: () => void;

  private page: TargetInfo = { targetId: 'page', type: 'page', title: '', url: 'about:blank', attached: true, canAccessOpener: false };
  private readonly ready: Promise<void>;
  private closed = false;

  constructor(
    private readonly debuggee: PageDebugger,
    private readonly opts: SinglePageTransportOptions,
  ) {
    debuggee.onMessage((method, params, sessionId) => this.dispatch({ method, params: params as Record<string, unknown>, sessionId: sessionId ?? this.pageSessionId }));
    debuggee.onDetach(() => this.onDebuggerDetached());
    this.ready = (async () => {
      await debuggee.attach();
      // The page's real target id: puppeteer matches it against frame ids.
      const info = (await debuggee.sendCommand('Target.getTargetInfo', undefined, undefined)) as { targetInfo?: Partial<TargetInfo> };
      this.page = { ...this.page, ...info.targetInfo, type: 'page', attached: true };
    })();
    // A failed attach is reported on the first command, with the debugger's own message.
    this.ready.catch(() => undefined);
  }

  private get tab(): TargetInfo {
    return { ...this.page, targetId: `tab-${this.page.targetId}`, type: 'tab' };
  }

  private get tabSessionId(): string {
    return `tab-session-${this.page.targetId}`;
  }

  private get pageSessionId(): string {
    return `page-session-${this.page.targetId}`;
  }

  send(raw: string): void {
    const msg = JSON.parse(raw) as Message;
    this.ready.then(
      () => this.handle(msg),
      (err: unknown) => this.fail(msg, err),
    );
  }

  private handle(msg: Message): void {
    if (this.closed) return this.fail(msg, new Error('The page transport is closed.'));
    if (msg.sessionId === undefined) return this.handleBrowser(msg);
    if (msg.sessionId === this.tabSessionId) return this.handleTab(msg);
    const sessionId = msg.sessionId === this.pageSessionId ? undefined : msg.sessionId;
    this.debuggee.sendCommand(msg.method, msg.params, sessionId).then(
      (result) => this.reply(msg, result ?? {}),
      (err: unknown) => this.fail(msg, err),
    );
  }

  /** The browser endpoint: only what puppeteer needs to find, attach to and "create" the page. */
  private handleBrowser(msg: Message): void {
    switch (msg.method) {
      case 'Browser.getVersion':
        return this.reply(msg, { protocolVersion: '1.3', product: this.opts.product, revision: '', userAgent: this.opts.userAgent, jsVersion: '' });
      case 'Target.getBrowserContexts':
        return this.reply(msg, { browserContextIds: [] });
      case 'Target.setDiscoverTargets':
        this.dispatch({ method: 'Target.targetCreated', params: { targetInfo: this.tab } });
        this.dispatch({ method: 'Target.targetCreated', params: { targetInfo: this.page } });
        return this.reply(msg, {});
      case 'Target.setAutoAttach':
        this.dispatch({ method: 'Target.attachedToTarget', params: { targetInfo: this.tab, sessionId: this.tabSessionId, waitingForDebugger: false } });
        return this.reply(msg, {});
      case 'Target.getTargets':
        return this.reply(msg, { targetInfos: [this.tab, this.page] });
      case 'Target.createTarget':
        // whatsapp-web.js's `browser.newPage()`: the page already exists, and it is the only one.
        return this.reply(msg, { targetId: this.page.targetId });
      case 'Target.activateTarget':
      case 'Browser.close':
        // Closing is the page owner's decision; puppeteer disconnects, which closes this transport.
        return this.reply(msg, {});
      default:
        return this.fail(msg, new Error(`${msg.method} is not available: this connection reaches a single page.`));
    }
  }

  private handleTab(msg: Message): void {
    switch (msg.method) {
      case 'Target.setAutoAttach':
        this.dispatch({
          method: 'Target.attachedToTarget',
          sessionId: this.tabSessionId,
          params: { targetInfo: this.page, sessionId: this.pageSessionId, waitingForDebugger: false },
        });
        return this.reply(msg, {});
      case 'Runtime.runIfWaitingForDebugger':
        return this.reply(msg, {});
      default:
        return this.fail(msg, new Error(`${msg.method} is not available on the tab target of a single-page connection.`));
    }
  }

  private onDebuggerDetached(): void {
    if (this.closed) return;
    this.dispatch({ method: 'Target.detachedFromTarget', sessionId: this.tabSessionId, params: { sessionId: this.pageSessionId, targetId: this.page.targetId } });
    this.shutdown();
  }

  private reply(msg: Message, result: unknown): void {
    this.dispatch({ id: msg.id, sessionId: msg.sessionId, result });
  }

  private fail(msg: Message, err: unknown): void {
    const e = err as { message?: string; code?: number } | undefined;
    this.dispatch({ id: msg.id, sessionId: msg.sessionId, error: { code: typeof e?.code === 'number' ? e.code : -32000, message: e?.message ?? String(err) } });
  }

  /** Like puppeteer's other transports, messages arrive in a task of their own. */
  private dispatch(message: Record<string, unknown>): void {
    setTimeout(() => {
      if (!this.closed) this.onmessage?.(JSON.stringify(message));
    }, 0);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.debuggee.detach();
    } catch {
      // Already detached (the page is gone): nothing left to release.
    }
    setTimeout(() => this.onclose?.(), 0);
  }

  private shutdown(): void {
    // After the detach event above has reached puppeteer (tasks run in order).
    setTimeout(() => {
      this.closed = true;
      this.onclose?.();
    }, 0);
  }
}
