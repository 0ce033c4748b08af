import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/logger.js';
import { StatusMachine, type StatusChange } from '../../../src/core/status.js';

function machine() {
  const m = new StatusMachine(silentLogger());
  const changes: StatusChange[] = [];
  m.on('change', (c) => changes.push(c));
  return { m, changes };
}

describe('StatusMachine', () => {
  it('starts stopped with nothing known', () => {
    expect(new StatusMachine(silentLogger()).snapshot).toEqual({ state: 'stopped', lastError: null, account: null, qr: null, reconnecting: false });
  });

  it('emits every transition with from and to', () => {
    const { m, changes } = machine();
    m.set('starting');
    m.set('qr', { qr: 'ref1' });
    m.set('authenticated');
    expect(changes.map((c) => `${c.from}->${c.to}`)).toEqual(['stopped->starting', 'starting->qr', 'qr->authenticated']);
  });

  it('emits a new QR within the qr state, and nothing for a no-op', () => {
    const { m, changes } = machine();
    m.set('qr', { qr: 'a' });
    m.set('qr', { qr: 'b' });
    m.set('qr', { qr: 'b' });
    expect(changes.map((c) => c.snapshot.qr)).toEqual(['a', 'b']);
  });

  it('drops the QR when leaving qr and the account when leaving ready', () => {
    const { m } = machine();
    m.set('qr', { qr: 'a' });
    m.set('ready', { account: { wid: '1@c.us', pushname: 'Me', platform: 'android' } });
    expect(m.snapshot.qr).toBeNull();
    expect(m.snapshot.account?.wid).toBe('1@c.us');
    m.set('disconnected', { lastError: 'CONFLICT' });
    expect(m.snapshot.account).toBeNull();
    expect(m.snapshot.lastError).toBe('CONFLICT');
  });

  it('clears the last error once linked again', () => {
    const { m } = machine();
    m.set('stopped', { lastError: 'Chrome not found' });
    m.set('starting');
    expect(m.snapshot.lastError).toBe('Chrome not found');
    m.set('authenticated');
    expect(m.snapshot.lastError).toBeNull();
  });

  it('keeps reconnecting only while disconnected', () => {
    const { m } = machine();
    m.set('disconnected', { reconnecting: true });
    expect(m.snapshot.reconnecting).toBe(true);
    m.set('starting');
    expect(m.snapshot.reconnecting).toBe(false);
  });
});
