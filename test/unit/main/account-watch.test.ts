import { describe, expect, it, vi } from 'vitest';
import { AccountWatch } from '../../../src/main/account-watch.js';

/** Records what is attached and detached, as main.ts follows each running account's services. */
function recorder() {
  const log: string[] = [];
  const watch = new AccountWatch<{ name: string }>((id, item) => {
    log.push(`+${id}:${item.name}`);
    return () => log.push(`-${id}:${item.name}`);
  });
  return { log, watch };
}

describe('following each running account as accounts come and go (issue 14)', () => {
  it('attaches each account once, however often it is synced', () => {
    const { log, watch } = recorder();
    const home = { name: 'home' };
    watch.sync([{ id: 'default', item: home }]);
    watch.sync([{ id: 'default', item: home }]);
    expect(log).toEqual(['+default:home']);
    expect(watch.ids()).toEqual(['default']);
  });

  it('an account added at run time is attached; a removed one is detached; the others are left alone', () => {
    const { log, watch } = recorder();
    const home = { name: 'home' };
    const work = { name: 'work' };
    watch.sync([{ id: 'default', item: home }]);
    watch.sync([{ id: 'default', item: home }, { id: 'work', item: work }]);
    watch.sync([{ id: 'default', item: home }]);
    expect(log).toEqual(['+default:home', '+work:work', '-work:work']);
    expect(watch.ids()).toEqual(['default']);
  });

  it('an account removed and created again under the same id (new services) is followed on its new services', () => {
    const { log, watch } = recorder();
    watch.sync([{ id: 'work', item: { name: 'old' } }]);
    watch.sync([{ id: 'work', item: { name: 'new' } }]);
    expect(log).toEqual(['+work:old', '-work:old', '+work:new']);
  });

  it('stop() detaches every account', () => {
    const detach = vi.fn();
    const watch = new AccountWatch<number>(() => detach);
    watch.sync([{ id: 'default', item: 1 }, { id: 'work', item: 2 }]);
    watch.stop();
    expect(detach).toHaveBeenCalledTimes(2);
    expect(watch.ids()).toEqual([]);
  });
});
