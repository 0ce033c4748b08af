import { describe, expect, it } from 'vitest';
import type { Client, Scope } from '../../../src/app/context.js';
import { toolAction, toolAllowed } from '../../../src/server/mcp/gate.js';
import { scopeRefusal, type RouteScope } from '../../../src/server/scopes.js';

const key = (...scopes: Scope[]): Client => ({ kind: 'key', id: 'key_X', name: 'x', scopes });
const owner: Client = { kind: 'owner', id: null };
const window: Client = { kind: 'window', id: null };

describe('route scope decisions', () => {
  it.each<[string, Client, RouteScope | undefined, string | null]>([
    ['owner, owner-only route', owner, 'owner', null],
    ['owner, undeclared route', owner, undefined, null],
    ['window, admin route', window, 'admin', null],
    ['key, public route', key(), 'public', null],
    ['key, any-credential route', key(), 'authenticated', null],
    ['key with read, read route', key('read'), 'read', null],
    ['key with read, send route', key('read'), 'send', 'send'],
    ['key with everything, owner route', key('read', 'send', 'link', 'admin'), 'owner', 'owner'],
    ['key with everything, undeclared route (fail closed)', key('read', 'send', 'link', 'admin'), undefined, 'owner'],
    ['key with admin, link route', key('admin'), 'link', 'link'],
    ['key without scopes at all', { kind: 'key', id: 'key_Y' }, 'read', 'read'],
  ])('%s', (_what, client, scope, refusedFor) => {
    const err = scopeRefusal(client, scope);
    expect(err?.details?.scope ?? null).toBe(refusedFor);
    if (err) expect(err.code).toBe('FORBIDDEN_SCOPE');
  });
});

describe('MCP tool gate', () => {
  it('lets keys use only the tools their scopes cover, and hides unknown tools from keys', () => {
    expect(toolAllowed(key('read'), 'whatsapp_list_chats')).toBe(true);
    expect(toolAllowed(key('read'), 'whatsapp_send_message')).toBe(false);
    expect(toolAllowed(key('send'), 'whatsapp_send_message')).toBe(true);
    expect(toolAllowed(key('admin'), 'whatsapp_logout')).toBe(false);
    expect(toolAllowed(key('read', 'send', 'link', 'admin'), 'whatsapp_tool_added_later')).toBe(false);
    expect(toolAllowed(owner, 'whatsapp_tool_added_later')).toBe(true);
  });

  it('names audit actions like the REST routes', () => {
    expect(toolAction('whatsapp_send_message')).toBe('send_message');
    expect(toolAction('whatsapp_mark_read')).toBe('mark_read');
  });
});
