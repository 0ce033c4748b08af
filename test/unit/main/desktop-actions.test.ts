import { describe, expect, it, vi } from 'vitest';
import { desktopHandlers, panelHandlers, RECENT_EVENTS } from '../../../src/main/desktop-actions.js';
import { Linking } from '../../../src/app/linking.js';
import { AppError } from '../../../src/core/errors.js';
import { FakeSession, incomingEvent } from '../../helpers/fake-session.js';
import { startServices } from '../../helpers/services.js';

/** The packaged app's entry: its own executable run as Node. */
const APP_ENTRY = { command: '/opt/WhatsApp MCP Desktop/whatsapp-mcp-desktop', args: ['/opt/WhatsApp MCP Desktop/resources/app.asar/dist/src/mcp-stdio.js'], env: { ELECTRON_RUN_AS_NODE: '1' } };

function setup(demo = false) {
  const session = new FakeSession();
  const writeClipboard = vi.fn();
  const handlers = desktopHandlers({ linking: new Linking(session), url: 'http://127.0.0.1:8790', token: 'secret-token-0123456789', stdio: APP_ENTRY, linkSimulatedPhone: demo ? async () => Promise.reject(new AppError('WA_NOT_STARTED', 'The simulator is not running: log in first.')) : null, writeClipboard });
  return { session, handlers, writeClipboard };
}

describe('the window\'s actions', () => {
  it('copies the token for scripts; each MCP client\'s set-up starts the app as the stdio entry with a key of its own, and holds no token', async () => {
    const { handlers, writeClipboard } = setup();
    await handlers['clipboard:copy']({ item: 'token' });
    expect(writeClipboard).toHaveBeenLastCalledWith('secret-token-0123456789');
    await handlers['clipboard:copy']({ item: 'claude-code' });
    expect(writeClipboard).toHaveBeenLastCalledWith(
      "claude mcp add --scope user --env ELECTRON_RUN_AS_NODE=1 whatsapp -- '/opt/WhatsApp MCP Desktop/whatsapp-mcp-desktop' '/opt/WhatsApp MCP Desktop/resources/app.asar/dist/src/mcp-stdio.js' --client claude-code",
    );
    await handlers['clipboard:copy']({ item: 'claude-desktop' });
    expect(JSON.parse(writeClipboard.mock.lastCall![0])).toEqual({
      mcpServers: { whatsapp: { command: APP_ENTRY.command, args: [...APP_ENTRY.args, '--client', 'claude-desktop'], env: { ELECTRON_RUN_AS_NODE: '1' } } },
    });
    await handlers['clipboard:copy']({ item: 'cursor' });
    await handlers['clipboard:copy']({ item: 'vscode' });
    for (const [text] of writeClipboard.mock.calls.slice(1)) expect(text).not.toMatch(/secret-token|Bearer|Authorization/);
    const config = await handlers['config:get'](undefined);
    expect(config.install.map((o) => [o.client, o.link?.split(':')[0] ?? null])).toEqual([
      ['claude-desktop', null],
      ['claude-code', null],
      ['cursor', 'cursor'],
      ['vscode', 'vscode'],
    ]);
  });

  it('a pairing code request starts WhatsApp and answers with the formatted code', async () => {
    const { handlers, session } = setup();
    const r = await handlers['auth:pairing-code']({ phone_number: '+44 7700 900123' });
    expect(r).toMatchObject({ already_authenticated: false, code: 'ABCD-1234', phone_number: '447700900123' });
    expect(session.pairingRequests).toEqual(['447700900123']);
  });

  it('regression: the window\'s pairing code for "+1 555 010 0001 ext. 2" was requested for 155501000012', async () => {
    const { handlers, session } = setup();
    await expect(handlers['auth:pairing-code']({ phone_number: '+1 555 010 0001 ext. 2' })).rejects.toMatchObject({
      code: 'INVALID_PHONE',
      message: expect.stringMatching(/"e" at position 17/),
    });
    expect(session.pairingRequests).toEqual([]);
    expect(session.startCalls).toBe(0);
  });

  it('status, QR and logout follow the session', async () => {
    const { handlers, session } = setup();
    await handlers['auth:start'](undefined);
    await vi.waitFor(() => expect(session.snapshot().state).toBe('qr'));
    expect(await handlers['status:get'](undefined)).toMatchObject({ state: 'qr', has_qr: true });
    expect(await handlers['qr:get'](undefined)).toMatch(/^data:image\/png;base64,/);
    expect((await handlers['auth:logout'](undefined)).state).toBe('stopped');
  });

  it('the simulated phone exists only in demo mode, and its refusals reach the window as they are', async () => {
    await expect(setup(false).handlers['demo:link'](undefined)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(setup(true).handlers['demo:link'](undefined)).rejects.toMatchObject({ code: 'WA_NOT_STARTED' });
  });
});

describe("the window's Activity and Health reads", () => {
  async function panels() {
    const session = new FakeSession();
    const { services, dispose } = await startServices(session);
    const handlers = panelHandlers({ ...services, uptime: () => 3725.9 });
    return { session, services, handlers, dispose };
  }

  it('activity: the latest events of the log (oldest first, at most RECENT_EVENTS) and the latest sends', async () => {
    const { session, services, handlers, dispose } = await panels();
    try {
      session.link();
      for (let i = 0; i < RECENT_EVENTS + 5; i++) session.emit('event', incomingEvent('15550100001@c.us', `false_15550100001@c.us_${i}`, `message ${i}`));
      const { entry } = await services.outbox.submit({ chatId: '15550100002@c.us', content: { kind: 'text', text: 'hello Bob' } });
      await services.outbox.waitSettled(entry.id, 5000);
      const { events, sends } = await handlers['activity:get'](undefined);
      expect(events).toHaveLength(RECENT_EVENTS);
      expect(events.at(-1)!.cursor).toBe(services.events.latestCursor());
      expect(events.map((e) => e.cursor)).toEqual([...events.map((e) => e.cursor)].sort((a, b) => a - b));
      expect(events.some((e) => e.type === 'message' && e.data.type === 'message' && e.data.message.body === `message ${RECENT_EVENTS + 4}`)).toBe(true);
      expect(sends[0]).toMatchObject({ id: entry.id, chat_id: '15550100002@c.us', text: 'hello Bob' });
    } finally {
      dispose();
    }
  });

  it('chats: none before WhatsApp is ready (no 120 s wait for a session), the recent chats once it is', async () => {
    const { session, handlers, dispose } = await panels();
    try {
      const early = Date.now();
      expect(await handlers['chats:get'](undefined)).toEqual([]);
      expect(Date.now() - early).toBeLessThan(1000);
      session.link();
      session.emit('event', incomingEvent('15550100001@c.us', 'false_15550100001@c.us_1', 'hi'));
      expect(Array.isArray(await handlers['chats:get'](undefined))).toBe(true);
    } finally {
      dispose();
    }
  });

  it('health: uptime in whole seconds, the queue, and each webhook with why it is disabled', async () => {
    const { services, handlers, dispose } = await panels();
    try {
      const hook = await services.webhooks.create({ url: 'http://127.0.0.1:9/hook' });
      await services.webhooks.update(hook.id, { enabled: false });
      const health = await handlers['health:get'](undefined);
      expect(health).toEqual({
        uptime_s: 3725,
        queued: { count: 0, more: false },
        webhooks: [{ id: hook.id, url: 'http://127.0.0.1:9/hook', enabled: false, disabled_reason: 'Disabled by request.', failure_count: 0 }],
      });
    } finally {
      dispose();
    }
  });
});
