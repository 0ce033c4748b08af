import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { startServices } from '../helpers/services.js';
import { buildApp } from '../../src/server/app.js';
import { LaunchedChrome, type BrowserBinding } from '../../src/whatsapp/browser-binding.js';
import { WwebjsSession } from '../../src/whatsapp/wwebjs-session.js';
import { CHROME, tempDataDir } from '../helpers/bridge.js';

const TOKEN = 'browser-failures-token-0123';
let close: (() => Promise<unknown>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function serve(session: WwebjsSession) {
  const { services, dispose } = await startServices(session);
  const app = await buildApp({ services, token: TOKEN, log: silentLogger(), version: 'test' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  close = async () => {
    await app.close();
    await session.close();
    dispose();
  };
  const { port } = app.server.address() as { port: number };
  return async (p: string, method = 'GET') => {
    const res = await fetch(`http://127.0.0.1:${port}${p}`, { method, headers: { authorization: `Bearer ${TOKEN}` } });
    return { status: res.status, body: (await res.json()) as any };
  };
}

function session(dataDir: string, extra: Partial<ConstructorParameters<typeof WwebjsSession>[0]> = {}): WwebjsSession {
  return new WwebjsSession({ authDir: path.join(dataDir, 'session'), dataDir, headless: true, log: silentLogger(), ...extra });
}

describe('when the browser or WhatsApp Web is not there, the user is told in words', () => {
  it('a configured browser that does not exist: 503, state stopped, last_error says what to set', async () => {
    const call = await serve(session(tempDataDir(), { chromeExecutable: '/opt/no-such-chrome/chrome' }));
    const start = await call('/api/auth/start', 'POST');
    expect(start.status).toBe(503);
    expect(start.body.error.code).toBe('BROWSER_UNAVAILABLE');
    const { body } = await call('/api/status');
    expect(body).toMatchObject({ state: 'stopped', chrome_executable: '/opt/no-such-chrome/chrome' });
    expect(body.last_error).toBe('Chrome not found at /opt/no-such-chrome/chrome; set WHATSAPP_CHROME_EXECUTABLE to an installed Chrome, Chromium or Edge.');
    expect((await call('/health')).status).toBe(200);
  });

  it('WhatsApp Web cannot be reached: state stopped, last_error names the network error, server keeps serving', async () => {
    // Every host name fails to resolve, as on a machine without internet.
    const offline: BrowserBinding = {
      description: CHROME,
      puppeteerOptions: () => {
        const o = new LaunchedChrome(CHROME, true).puppeteerOptions();
        return { ...o, args: [...(o.args as string[]), '--host-resolver-rules=MAP * ~NOTFOUND'] };
      },
    };
    const call = await serve(session(tempDataDir(), { browser: offline }));
    expect((await call('/api/auth/start', 'POST')).body.state).toBe('starting');
    let status: any;
    for (let i = 0; i < 200; i++) {
      status = (await call('/api/status')).body;
      if (status.state !== 'starting') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status.state).toBe('stopped');
    expect(status.last_error).toMatch(/^Cannot reach WhatsApp Web \(net::ERR_NAME_NOT_RESOLVED\)\. Check the internet connection\.$/);
    const send = await call('/api/chats');
    expect(send.body.error.code).toBe('WA_NOT_STARTED');
    expect(send.body.error.message).toMatch(/Cannot reach WhatsApp Web/);
  });
});
