import { describe, expect, it } from 'vitest';
import { KeyedLock } from '../../../src/core/keyed-lock.js';

/** A task the test finishes by hand, recording when it started. */
function gate(log: string[], name: string) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { task: async () => (log.push(`start ${name}`), await opened, log.push(`end ${name}`), name), open };
}

describe('KeyedLock', () => {
  it('runs tasks with the same key one after another, in arrival order', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const a = gate(log, 'a');
    const b = gate(log, 'b');
    const first = lock.run('m1', a.task);
    const second = lock.run('m1', b.task);
    await Promise.resolve();
    expect(log).toEqual(['start a']);
    a.open();
    expect(await first).toBe('a');
    b.open();
    expect(await second).toBe('b');
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('runs different keys side by side', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const a = gate(log, 'a');
    const b = gate(log, 'b');
    const both = Promise.all([lock.run('m1', a.task), lock.run('m2', b.task)]);
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['start a', 'start b']);
    a.open();
    b.open();
    expect(await both).toEqual(['a', 'b']);
  });

  it('a failing task rejects its caller only; the next one still runs, and the key is forgotten after', async () => {
    const lock = new KeyedLock();
    const failed = lock.run('m1', () => Promise.reject(new Error('boom')));
    const next = lock.run('m1', async () => 'ok');
    await expect(failed).rejects.toThrow('boom');
    expect(await next).toBe('ok');
    await new Promise((r) => setImmediate(r));
    expect(lock.size).toBe(0);
  });
});
