import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/bridge.js';
import { readmeBlock, runReadmeBlock, startProduct, type Product } from '../helpers/product.js';

/**
 * `npm run demo` as a user runs it, walked through the README's Safety section: a client key
 * made with the README's command gets the safe defaults, is refused a stranger, has its first
 * message to someone who wrote held for approval, and the owner's approval (the README's
 * commands, with the real outbox id) sends it once.
 */
describe('npm run demo: a client key and an approval, as the README says', () => {
  let product: Product;
  let token: string;
  const call = async (p: string, init: { method?: string; json?: unknown; auth?: string } = {}) => {
    const res = await fetch(product.url + p, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${init.auth ?? token}`, ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    product = await startProduct('demo');
    token = readFileSync(path.join(product.home, '.config/whatsapp-mcp-desktop/demo/api-token'), 'utf8').trim();
  }, 180_000);
  afterAll(() => product?.kill());

  it('the key from the README is safe by default; its reply to a new writer waits for the owner, who approves it with the README commands', async () => {
    expect((await runReadmeBlock(readmeBlock('A session with the simulator:'), product)).code).toBe(0);

    // The same shell as the session above: $TOKEN as its first line set it.
    const shell = 'TOKEN=$(cat ~/.config/whatsapp-mcp-desktop/demo/api-token)\n';
    const made = await runReadmeBlock(shell + readmeBlock('Keys are created, listed and revoked in the window'), product);
    expect(made.stderr).toBe('');
    expect(made.calls).toHaveLength(1);
    expect(made.calls[0]!.status).toBe(201);
    const created = JSON.parse(made.calls[0]!.body);
    expect(created).toMatchObject({ name: 'Claude Desktop', scopes: ['read', 'send'], recipients: 'reply_only', approve: 'new_recipients', quarantine: true });
    const key: string = created.key;

    // Someone new writes; the agent's key may reply, but a first message to them waits for a person. A stranger is refused.
    expect((await call('/api/simulator/incoming', { method: 'POST', json: { phone_number: '15550100042', message: 'Is the room still free?' } })).status).toBe(200);
    await until(async () => (await call('/api/search?q=room')).body.count === 1, 'the incoming message recorded');
    const stranger = await call('/api/send', { method: 'POST', auth: key, json: { phone_number: '+1 555 0100 099', message: 'hello' } });
    expect(stranger.status).toBe(403);
    expect(stranger.body.error.code).toBe('RECIPIENT_NOT_ALLOWED');
    const held = await call('/api/send', { method: 'POST', auth: key, json: { phone_number: '15550100042', message: 'Yes, it is free' } });
    expect(held.status).toBe(202);
    expect(held.body).toMatchObject({ status: 'awaiting_approval', approval: { reason: 'new_recipient' } });

    // The README's approval commands, with this send's outbox id in place of "ob_…".
    const block = shell + readmeBlock('Approve or deny in the window').replaceAll('ob_…', held.body.outbox_id);
    const approved = await runReadmeBlock(block, product);
    expect(approved.stderr).toBe('');
    expect(approved.calls.map((c) => c.status)).toEqual([200, 200]);
    expect(JSON.parse(approved.calls[0]!.body).entries.map((e: { id: string }) => e.id)).toEqual([held.body.outbox_id]);
    expect(JSON.parse(approved.calls[1]!.body).entry.approval).toMatchObject({ requested_by: 'Claude Desktop', decision: 'approved', decided_by: 'owner' });
    await until(async () => ['sent', 'delivered', 'read'].includes((await call(`/api/outbox/${held.body.outbox_id}`)).body.entry.status), 'the approved send went out');
    const read = (await call('/api/messages?phone_number=15550100042&limit=10')).body;
    expect(read.messages.filter((m: { body: string; from_me: boolean }) => m.from_me && m.body === 'Yes, it is free')).toHaveLength(1);
    const audit = (await call('/api/audit?limit=20')).body.entries.map((e: { action: string; client_name: string }) => `${e.action} ${e.client_name}`);
    expect(audit).toEqual(expect.arrayContaining(['create_key owner', 'approve_send owner']));
  }, 120_000);
});
