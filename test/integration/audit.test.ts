import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/http.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
  srv.session.link();
});
afterAll(() => srv.close());

const asKey = (key: string, path: string, init: RequestInit & { json?: unknown } = {}) => srv.call(path, { ...init, headers: { authorization: `Bearer ${key}` } });

describe('the audit trail over REST', () => {
  it('records key creation by the owner, and a send by the key under its name with the outbox id', async () => {
    const created = await srv.call('/api/keys', { method: 'POST', json: { name: 'Support bot', scopes: ['read', 'send'], recipients: 'any', approve: 'never' } });
    expect(created.status).toBe(201);
    const creation = (await srv.call('/api/audit?action=create_key')).body.entries[0];
    expect(creation).toMatchObject({ client_kind: 'owner', client_id: null, client_name: 'owner', transport: 'rest', action: 'create_key', target: created.body.id, outcome: 'ok' });
    // The key itself is never in the trail.
    expect(JSON.stringify((await srv.call('/api/audit?limit=100')).body)).not.toContain(created.body.key);

    const sent = await asKey(created.body.key, '/api/send', { method: 'POST', json: { phone_number: '+15550100003', message: 'Your order shipped' } });
    expect(sent.status).toBe(200);
    const entries = (await srv.call(`/api/audit?client_id=${created.body.id}`)).body.entries;
    expect(entries).toEqual([
      {
        id: expect.any(Number),
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        account: 'default',
        client_kind: 'key',
        client_id: created.body.id,
        client_name: 'Support bot',
        transport: 'rest',
        action: 'send_message',
        target: '15550100003@c.us',
        outcome: 'ok',
        code: null,
        outbox_id: sent.body.outbox_id,
        detail: { status: 200, send_status: sent.body.status },
      },
    ]);
  });

  it('records refusals with their code: a scope the key lacks, a bad number', async () => {
    const { body: reader } = await srv.call('/api/keys', { method: 'POST', json: { name: 'Read-only agent', scopes: ['read'] } });
    expect((await asKey(reader.key, '/api/send', { method: 'POST', json: { phone_number: '+15550100004', message: 'x' } })).status).toBe(403);
    const { body: sender } = await srv.call('/api/keys', { method: 'POST', json: { name: 'Typo agent', scopes: ['send'], recipients: 'any', approve: 'never' } });
    expect((await asKey(sender.key, '/api/send', { method: 'POST', json: { phone_number: '555-CALL-NOW', message: 'x' } })).status).toBe(400);
    // Refused before its body is read: no target.
    expect((await srv.call(`/api/audit?client_id=${reader.id}`)).body.entries[0]).toMatchObject({ action: 'send_message', outcome: 'FORBIDDEN_SCOPE', code: 'FORBIDDEN_SCOPE', target: null, outbox_id: null });
    expect((await srv.call(`/api/audit?client_id=${sender.id}`)).body.entries[0]).toMatchObject({ action: 'send_message', outcome: 'INVALID_PHONE', detail: { status: 400 } });
  });

  it('does not record reads', async () => {
    const { body: k } = await srv.call('/api/keys', { method: 'POST', json: { name: 'Quiet reader', scopes: ['read'] } });
    await asKey(k.key, '/api/status');
    await asKey(k.key, '/api/chats');
    expect((await srv.call(`/api/audit?client_id=${k.id}`)).body.count).toBe(0);
  });

  it('records revocation, pages back with before=, filters by time, and needs the admin scope', async () => {
    const { body: k } = await srv.call('/api/keys', { method: 'POST', json: { name: 'Short-lived', scopes: ['read'] } });
    await srv.call(`/api/keys/${k.id}`, { method: 'DELETE' });
    expect((await srv.call('/api/audit?action=revoke_key')).body.entries[0]).toMatchObject({ action: 'revoke_key', target: k.id, outcome: 'ok' });

    const all = (await srv.call('/api/audit?limit=100')).body.entries as { id: number }[];
    expect(all.length).toBeGreaterThan(3);
    expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => b - a));
    const first = await srv.call('/api/audit?limit=2');
    expect(first.body.entries.map((e: { id: number }) => e.id)).toEqual(all.slice(0, 2).map((e) => e.id));
    const second = await srv.call(`/api/audit?limit=2&before=${first.body.next_before}`);
    expect(second.body.entries.map((e: { id: number }) => e.id)).toEqual(all.slice(2, 4).map((e) => e.id));
    expect((await srv.call(`/api/audit?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).body.count).toBe(0);

    const { body: reader } = await srv.call('/api/keys', { method: 'POST', json: { name: 'Nosy reader', scopes: ['read'] } });
    expect((await asKey(reader.key, '/api/audit')).status).toBe(403);
    const { body: admin } = await srv.call('/api/keys', { method: 'POST', json: { name: 'Auditor', scopes: ['admin'] } });
    expect((await asKey(admin.key, '/api/audit')).status).toBe(200);
    expect((await srv.call('/api/audit?since=yesterday')).status).toBe(400);
  });
});

describe('keys created by an admin key', () => {
  it('hold at most its scopes and a policy no looser than its own', async () => {
    const { body: admin } = await srv.call('/api/keys', {
      method: 'POST',
      json: { name: 'Delegating admin', scopes: ['admin', 'read', 'send'], recipients: 'allowlist', allowlist: ['+15550100005', '+15550100006'], approve: 'new_recipients' },
    });
    const mint = (json: Record<string, unknown>) => asKey(admin.key, '/api/keys', { method: 'POST', json: { name: `minted ${Math.random()}`, ...json } });
    const tooMany = await mint({ scopes: ['read', 'link'] });
    expect(tooMany.status).toBe(403);
    expect(tooMany.body.error).toMatchObject({ code: 'FORBIDDEN_SCOPE', fields: ['scopes'] });
    expect(tooMany.body.error.message).toMatch(/lacks the link scope/);
    const looser = await mint({ scopes: ['send'], recipients: 'any', approve: 'never' });
    expect(looser.status).toBe(403);
    expect(looser.body.error.fields).toEqual(['recipients']);
    const otherNumber = await mint({ scopes: ['send'], recipients: 'allowlist', allowlist: ['+15550100007'] });
    expect(otherNumber.body.error.fields).toEqual(['allowlist']);
    const fine = await mint({ scopes: ['send'], recipients: 'allowlist', allowlist: ['+15550100005'], approve: 'always' });
    expect(fine.status).toBe(201);
    const minted = (await srv.call(`/api/audit?client_id=${admin.id}&action=create_key`)).body.entries;
    expect(minted.map((e: { outcome: string }) => e.outcome)).toEqual(['ok', 'FORBIDDEN_SCOPE', 'FORBIDDEN_SCOPE', 'FORBIDDEN_SCOPE']);
  });

  it('an admin key can revoke keys, itself included, and is refused from then on', async () => {
    const { body: admin } = await srv.call('/api/keys', { method: 'POST', json: { name: 'Self-revoking admin', scopes: ['admin'] } });
    const res = await asKey(admin.key, `/api/keys/${admin.id}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(res.body.revoked_at).not.toBeNull();
    expect((await asKey(admin.key, '/api/keys')).status).toBe(401);
  });
});
