import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppServices } from '../../../src/app/index.js';
import { SendMessageInput } from '../../../src/app/schemas/index.js';
import { controlHandlers, INSTALL_LINK } from '../../../src/main/control-actions.js';
import { installOptions } from '../../../src/shared/mcp-install.js';
import { FakeSession } from '../../helpers/fake-session.js';
import { keyContext } from '../../helpers/policy.js';
import { startServices } from '../../helpers/services.js';

/**
 * The control centre's IPC handlers over the real application services: what the window's
 * Approvals and Clients panels and its "Pause agents" switch do, as the person at the
 * computer, in the audit trail as the window's.
 */
const ALICE = '15550100001@c.us';
const BOB = '15550100002@c.us';
const ENTRY = { command: '/usr/bin/node', args: ['/home/ana/wamd/scripts/run.mjs', 'mcp'] };

let session: FakeSession;
let services: AppServices;
let dispose: () => void;
let openExternal: ReturnType<typeof vi.fn<(url: string) => Promise<void>>>;
let handlers: ReturnType<typeof controlHandlers>;

const held = async (to: string, message: string, name = 'Claude Code') => {
  const answer = await services.sending.text(keyContext({ approve: 'always' }, { name, id: `key_${name.replace(/\W/g, '')}` }), SendMessageInput.parse({ phone_number: to.replace(/@.*/, ''), message }));
  expect(answer.status).toBe('awaiting_approval');
  return answer.outbox_id;
};
const audit = () => services.audit.list({ limit: 50 }).entries.map((e) => [e.action, e.client_kind, e.transport, e.target, e.outcome]);

beforeEach(async () => {
  session = new FakeSession();
  ({ services, dispose } = await startServices(session));
  session.link();
  openExternal = vi.fn(async () => undefined);
  handlers = controlHandlers({ ...services, config: { install: installOptions(ENTRY) }, openExternal });
});
afterEach(() => dispose());

describe('approvals from the window', () => {
  it('lists the held sends, the first to expire on top, with the recipient name WhatsApp knows, who asked and why', async () => {
    session.contacts = [{ id: ALICE, number: '15550100001', name: 'Alice', pushname: null, is_my_contact: true, is_business: false, phone: '15550100001@c.us', lid: null }];
    const first = await held(ALICE, 'first to Alice');
    const second = await held(BOB, 'then Bob', 'Cursor');
    const pending = await handlers['approvals:get'](undefined);
    expect(pending.map((p) => [p.send.id, p.recipient_name, p.send.text, p.send.approval?.requested_by, p.send.approval?.reason])).toEqual([
      [first, 'Alice', 'first to Alice', 'Claude Code', 'always'],
      [second, null, 'then Bob', 'Cursor', 'always'],
    ]);
    expect(Date.parse(pending[0]!.send.approval!.expires_at!)).toBeGreaterThan(Date.now());
  });

  it('asks WhatsApp for no name while it is not ready (a lookup must not wait for a session)', async () => {
    const id = await held(ALICE, 'held');
    session.set('disconnected', { lastError: 'gone' });
    const search = vi.spyOn(session, 'searchContacts');
    expect((await handlers['approvals:get'](undefined)).map((p) => [p.send.id, p.recipient_name])).toEqual([[id, null]]);
    expect(search).not.toHaveBeenCalled();
  });

  it('Approve: queued and sent once, decided by "window", audited as the window\'s; a second decision is refused with the reason', async () => {
    const id = await held(ALICE, 'approve me');
    const approved = await handlers['approvals:decide']({ id, decision: 'approve' });
    expect(approved).toMatchObject({ id, status: 'queued', approval: { decision: 'approved', decided_by: 'window' } });
    await services.outbox.waitSettled(id, 5000);
    expect(session.outgoing.filter((o) => o.chatId === ALICE)).toHaveLength(1);
    await expect(handlers['approvals:decide']({ id, decision: 'deny' })).rejects.toMatchObject({ code: 'NOT_AWAITING_APPROVAL' });
    expect(audit()).toEqual([
      ['deny_send', 'window', 'window', id, 'NOT_AWAITING_APPROVAL'],
      ['approve_send', 'window', 'window', id, 'ok'],
    ]);
    expect(await handlers['approvals:get'](undefined)).toEqual([]);
  });

  it('Deny: canceled with APPROVAL_DENIED, never sent', async () => {
    const id = await held(BOB, 'deny me');
    expect(await handlers['approvals:decide']({ id, decision: 'deny' })).toMatchObject({ status: 'canceled', error: { code: 'APPROVAL_DENIED' }, approval: { decision: 'denied' } });
    expect(session.outgoing).toEqual([]);
  });

  it("one send's details for Activity; an unknown id says so", async () => {
    const id = await held(BOB, 'details');
    expect(await handlers['send:get']({ id })).toMatchObject({ id, kind: 'text', chat_id: BOB, status: 'awaiting_approval', error: null, approval: { requested_by: 'Claude Code' } });
    await expect(handlers['send:get']({ id: 'ob_00000000000000000000000000' })).rejects.toMatchObject({ code: 'OUTBOX_NOT_FOUND' });
  });
});

describe('client keys and the kill switch from the window', () => {
  it('creates a key with the safe defaults, shows the key once, lists it without the key, revokes it; each change audited', async () => {
    const created = await handlers['keys:create']({ name: 'Script' });
    expect(created).toMatchObject({ name: 'Script', scopes: ['read', 'send'], recipients: 'reply_only', approve: 'new_recipients', quarantine: true, revoked_at: null });
    expect(created.key).toMatch(/^wak_/);
    const listed = await handlers['keys:get'](undefined);
    expect(listed.map((k) => k.name)).toEqual(['Script']);
    expect(JSON.stringify(listed)).not.toContain(created.key);
    expect((await handlers['keys:revoke']({ id: created.id })).revoked_at).not.toBeNull();
    await expect(handlers['keys:create']({ name: 'Bad', recipients: 'allowlist' })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(audit()).toEqual([
      ['create_key', 'window', 'window', 'Bad', 'VALIDATION_ERROR'],
      ['revoke_key', 'window', 'window', created.id, 'ok'],
      ['create_key', 'window', 'window', 'Script', 'ok'],
    ]);
  });

  it("built for another account (the one the window shows), its changes are audited with that account", async () => {
    const record = vi.fn();
    const work = controlHandlers({ ...services, account: 'work', audit: { record }, config: { install: [] }, openExternal });
    await work['agents:set']({ paused: true });
    expect(record).toHaveBeenCalledWith(expect.objectContaining({ account: 'work', client: expect.objectContaining({ kind: 'window' }) }), 'pause_agents', null, 'ok', { outboxId: null });
  });

  it('pauses and resumes agents, as "window"', async () => {
    expect(await handlers['agents:get'](undefined)).toMatchObject({ paused: false, held: 0, awaiting_approval: 0 });
    expect(await handlers['agents:set']({ paused: true })).toMatchObject({ paused: true, by: 'window' });
    expect((await handlers['agents:set']({ paused: false })).paused).toBe(false);
    expect(audit().map((a) => a[0])).toEqual(['resume_agents', 'pause_agents']);
  });
});

describe('install links open with the OS, only the clients\' own schemes', () => {
  it('opens the Cursor and VS Code links of this machine\'s set-up', async () => {
    await handlers['link:open']({ client: 'cursor' });
    await handlers['link:open']({ client: 'vscode' });
    expect(openExternal.mock.calls.map(([url]) => url.split('?')[0])).toEqual(['cursor://anysphere.cursor-deeplink/mcp/install', 'vscode:mcp/install']);
  });

  it('refuses a link of any other scheme, whatever the config holds', async () => {
    const evil = controlHandlers({ ...services, config: { install: [{ client: 'cursor', title: 'Cursor', link: 'https://example.com/mcp/install', text: '', where: '' }] }, openExternal });
    await expect(evil['link:open']({ client: 'cursor' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(openExternal).not.toHaveBeenCalled();
    for (const bad of ['file:///etc/passwd', 'cursor://evil.example/mcp/install?x', 'vscode:extension/evil', 'javascript:alert(1)']) expect(INSTALL_LINK.test(bad)).toBe(false);
  });
});
