import { describe, expect, it, vi } from 'vitest';
import { SinglePageTransport, type PageDebugger } from '../../../src/main/page-transport.js';

class ScriptedDebugger implements PageDebugger {
  sent: { method: string; params: unknown; sessionId: string | undefined }[] = [];
  message: ((method: string, params: unknown, sessionId: string | undefined) => void) | null = null;
  detachListener: ((reason: string) => void) | null = null;
  detach = vi.fn();
  attach = vi.fn(async () => undefined);
  async sendCommand(method: string, params: object | undefined, sessionId: string | undefined): Promise<unknown> {
    this.sent.push({ method, params, sessionId });
    if (method === 'Target.getTargetInfo') return { targetInfo: { targetId: 'REAL', type: 'page', url: 'about:blank', title: '' } };
    if (method === 'Page.fail') throw Object.assign(new Error('No such frame'), { code: -32000 });
    return { echoed: method };
  }
  onMessage(l: ScriptedDebugger['message']): void {
    this.message = l;
  }
  onDetach(l: (reason: string) => void): void {
    this.detachListener = l;
  }
}

function open() {
  const dbg = new ScriptedDebugger();
  const t = new SinglePageTransport(dbg, { product: 'Chrome/140.0', userAgent: 'UA' });
  const received: Record<string, any>[] = [];
  t.onmessage = (m) => received.push(JSON.parse(m));
  const onclose = vi.fn();
  t.onclose = onclose;
  let id = 0;
  const call = async (method: string, params: object = {}, sessionId?: string) => {
    const mid = ++id;
    t.send(JSON.stringify({ id: mid, method, params, ...(sessionId ? { sessionId } : {}) }));
    await vi.waitFor(() => expect(received.some((m) => m.id === mid)).toBe(true));
    return received.find((m) => m.id === mid)!;
  };
  return { dbg, t, received, call, onclose };
}

describe('SinglePageTransport', () => {
  it('answers the browser-level calls itself, naming the page by its real target id', async () => {
    const { call, dbg, received } = open();
    expect((await call('Browser.getVersion')).result).toMatchObject({ product: 'Chrome/140.0', userAgent: 'UA' });
    expect((await call('Target.getBrowserContexts')).result).toEqual({ browserContextIds: [] });
    await call('Target.setDiscoverTargets', { discover: true });
    expect(received.filter((m) => m.method === 'Target.targetCreated').map((m) => m.params.targetInfo.type)).toEqual(['tab', 'page']);
    await call('Target.setAutoAttach', { autoAttach: true, flatten: true });
    const tab = received.find((m) => m.method === 'Target.attachedToTarget')!;
    await call('Target.setAutoAttach', { autoAttach: true, flatten: true }, tab.params.sessionId);
    const page = received.filter((m) => m.method === 'Target.attachedToTarget')[1]!;
    expect(page).toMatchObject({ sessionId: tab.params.sessionId, params: { targetInfo: { targetId: 'REAL', type: 'page' } } });
    // newPage(): the one page there is.
    expect((await call('Target.createTarget', { url: 'about:blank' })).result).toEqual({ targetId: 'REAL' });
    // None of that reached the page.
    expect(dbg.sent.map((s) => s.method)).toEqual(['Target.getTargetInfo']);
  });

  it('sends page commands to the debugger and child-session commands with their session id', async () => {
    const { call, dbg } = open();
    const r = await call('Runtime.evaluate', { expression: '1' }, 'page-session-REAL');
    expect(r).toMatchObject({ sessionId: 'page-session-REAL', result: { echoed: 'Runtime.evaluate' } });
    await call('Runtime.runIfWaitingForDebugger', {}, 'WORKER-1');
    expect(dbg.sent.slice(1)).toEqual([
      { method: 'Runtime.evaluate', params: { expression: '1' }, sessionId: undefined },
      { method: 'Runtime.runIfWaitingForDebugger', params: {}, sessionId: 'WORKER-1' },
    ]);
  });

  it('turns debugger failures into CDP errors', async () => {
    const { call } = open();
    expect((await call('Page.fail', {}, 'page-session-REAL')).error).toEqual({ code: -32000, message: 'No such frame' });
  });

  it('routes debugger events to the page session unless they carry a child session', async () => {
    const { dbg, received, call } = open();
    await call('Target.getBrowserContexts');
    dbg.message!('Page.loadEventFired', { timestamp: 1 }, undefined);
    dbg.message!('Runtime.consoleAPICalled', { type: 'log' }, 'WORKER-1');
    await vi.waitFor(() => expect(received.filter((m) => m.method).length).toBe(2));
    expect(received.filter((m) => m.method)).toEqual([
      { method: 'Page.loadEventFired', params: { timestamp: 1 }, sessionId: 'page-session-REAL' },
      { method: 'Runtime.consoleAPICalled', params: { type: 'log' }, sessionId: 'WORKER-1' },
    ]);
  });

  it('Browser.close never reaches the page; close() detaches the debugger', async () => {
    const { call, dbg, t, onclose } = open();
    expect((await call('Browser.close')).result).toEqual({});
    expect(dbg.sent.map((s) => s.method)).not.toContain('Browser.close');
    t.close();
    expect(dbg.detach).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(onclose).toHaveBeenCalled());
  });

  it('refuses browser-level calls a single page cannot honour', async () => {
    const { call } = open();
    expect((await call('Target.createBrowserContext')).error.message).toMatch(/single page/);
  });

  it('tells puppeteer the page is gone when the debugger is detached from outside', async () => {
    const { dbg, received, onclose, call } = open();
    await call('Target.getBrowserContexts');
    dbg.detachListener!('target closed');
    await vi.waitFor(() => expect(onclose).toHaveBeenCalled());
    expect(received.find((m) => m.method === 'Target.detachedFromTarget')?.params).toMatchObject({ targetId: 'REAL', sessionId: 'page-session-REAL' });
  });

  it('a failed attach fails every command with the reason', async () => {
    const dbg = new ScriptedDebugger();
    dbg.attach = vi.fn(async () => {
      throw new Error('Another debugger is already attached');
    });
    const t = new SinglePageTransport(dbg, { product: 'p', userAgent: 'u' });
    const got = new Promise<Record<string, any>>((resolve) => (t.onmessage = (m) => resolve(JSON.parse(m))));
    t.send(JSON.stringify({ id: 1, method: 'Target.getBrowserContexts' }));
    expect((await got).error.message).toBe('Another debugger is already attached');
  });
});
