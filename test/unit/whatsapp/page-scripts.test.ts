import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { tsImport } from 'tsx/esm/api';
import { describe, expect, it } from 'vitest';

/**
 * Regression: `npm run demo` / `npm run headless` answered every message read with 500
 * "__name is not defined". tsx (esbuild keepNames) had wrapped a named inner function of the
 * chat-read page script in `__name()`, which does not exist in the browser page; Vitest's
 * own transform does not, so no test saw it. These tests load the page scripts through tsx,
 * exactly as the bridge's users do, and run them in a context that has only a page's globals.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const scriptsPath = path.join(root, 'src/whatsapp/page-scripts.ts');

async function loadThroughTsx(): Promise<Record<string, unknown>> {
  return (await tsImport(scriptsPath, import.meta.url)) as Record<string, unknown>;
}

/** Source text as puppeteer sends it, run in a fresh context whose only globals are `window` and the built-ins. */
function runInPage(fn: (...a: never[]) => unknown, window: unknown, ...args: unknown[]): unknown {
  const context = vm.createContext({ window, args });
  return vm.runInContext(`(${fn.toString()})(...args)`, context);
}

function fakeWhatsAppWeb(messages: { id: string; isNotification?: boolean; t?: number; type?: string }[]) {
  const models = messages.map((m) => ({ id: { _serialized: m.id }, isNotification: m.isNotification ?? false, t: m.t, type: m.type ?? 'chat' }));
  const chat = { id: { _serialized: '15550100001@c.us' }, t: 1, msgs: { getModelsArray: () => models } };
  const modules: Record<string, unknown> = {
    WAWebCollections: { Chat: { get: (wid: { id: string }) => (wid.id === '15550100001@c.us' ? chat : undefined), getModelsArray: () => [chat] } },
    WAWebWidFactory: { createWid: (id: string) => ({ id }) },
    WAWebChatLoadMessages: { loadEarlierMsgs: async () => [] },
  };
  return {
    require: (name: string) => modules[name],
    WWebJS: { getChatModel: async (c: { id: unknown }) => ({ id: c.id }), getMessageModel: (m: { id: unknown }) => ({ id: m.id }) },
  };
}

describe('page scripts are self-contained whatever loader compiled the Node side', () => {
  it('regression "__name is not defined": no page script carries a loader helper when loaded through tsx', async () => {
    const scripts = await loadThroughTsx();
    const fns = Object.entries(scripts).filter(([, v]) => typeof v === 'function') as [string, (...a: never[]) => unknown][];
    expect(fns.map(([name]) => name)).toEqual(expect.arrayContaining(['chatMessages', 'recentChats', 'forwardMessage']));
    for (const [name, fn] of fns) {
      expect(fn.toString(), `${name} must not call __name()`).not.toMatch(/__name\s*\(/);
      // Each compiles on its own, as puppeteer sends it.
      expect(() => new vm.Script(`(${fn.toString()})`), name).not.toThrow();
    }
  });

  it('the chat read runs in a bare page context: the page of messages before a cursor or a time, notifications left out', async () => {
    const scripts = await loadThroughTsx();
    const window = fakeWhatsAppWeb([{ id: 'a', t: 10 }, { id: 'n', isNotification: true, t: 15 }, { id: 'b', t: 20 }, { id: 'c', t: 30 }]);
    const chatMessages = scripts.chatMessages as (...a: never[]) => unknown;
    await expect(runInPage(chatMessages, window, '15550100001@c.us', 2, 'c', null)).resolves.toEqual({
      chat: { id: { _serialized: '15550100001@c.us' } },
      messages: [{ id: { _serialized: 'a' } }, { id: { _serialized: 'b' } }],
      hasOlder: false,
      beforeTime: 30,
    });
    await expect(runInPage(chatMessages, window, '15550100001@c.us', 5, null, 30)).resolves.toMatchObject({
      messages: [{ id: { _serialized: 'a' } }, { id: { _serialized: 'b' } }],
      beforeTime: null,
    });
    await expect(runInPage(chatMessages, window, '15550100001@c.us', 1, null, 31)).resolves.toMatchObject({ messages: [{ id: { _serialized: 'c' } }], hasOlder: true });
    // A system notice WhatsApp Web does not flag as a notification is left out by its type.
    const unflagged = fakeWhatsAppWeb([{ id: 'a', t: 10 }, { id: 'p', t: 11, type: 'protocol' }, { id: 'b', t: 20 }]);
    await expect(runInPage(chatMessages, unflagged, '15550100001@c.us', 5, null, null, ['protocol'])).resolves.toMatchObject({
      messages: [{ id: { _serialized: 'a' } }, { id: { _serialized: 'b' } }],
    });
    await expect(runInPage(chatMessages, window, '15559999999@c.us', 2, null, null)).resolves.toEqual({ missingChat: true });
    await expect(runInPage(chatMessages, window, '15550100001@c.us', 2, 'zz', null)).resolves.toEqual({ missingBefore: true });
  });

  it('the identity lookup runs in a bare page context: each id with its other id where WhatsApp Web knows it', async () => {
    const scripts = await loadThroughTsx();
    const wid = (id: string) => ({ _serialized: id, server: id.split('@')[1], user: id.split('@')[0] });
    const pairs: Record<string, string> = { '15550100007@c.us': '185000000000007@lid', '185000000000007@lid': '15550100007@c.us' };
    const modules: Record<string, unknown> = {
      WAWebWidFactory: {
        createWid: (id: string) => {
          if (!/@(c\.us|lid|g\.us)$/.test(id)) throw new Error(`createWid: invalid wid "${id}"`);
          return wid(id);
        },
      },
      WAWebApiContact: {
        getCurrentLid: (w: { _serialized: string }) => (pairs[w._serialized] ? wid(pairs[w._serialized]!) : null),
        getPhoneNumber: (w: { _serialized: string }) => (pairs[w._serialized] ? wid(pairs[w._serialized]!) : null),
      },
      WAWebUserPrefsMeUser: { getMaybeMePnUser: () => wid('15550100100@c.us'), getMaybeMeLidUser: () => wid('900015550100100@lid') },
    };
    const window = { require: (name: string) => modules[name] };
    const identities = scripts.identities as (...a: never[]) => unknown;
    expect(runInPage(identities, window, ['185000000000007@lid', '15550100007@c.us', '15550100001@c.us', '900015550100100@lid', '120363@g.us', 'junk'])).toEqual({
      '185000000000007@lid': { phone: '15550100007@c.us', lid: '185000000000007@lid' },
      '15550100007@c.us': { phone: '15550100007@c.us', lid: '185000000000007@lid' },
      '15550100001@c.us': { phone: '15550100001@c.us', lid: null },
      '900015550100100@lid': { phone: '15550100100@c.us', lid: '900015550100100@lid' },
    });
  });

  it('no module hands page.evaluate an inline function: every page script lives in page-scripts.ts', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== 'page') walk(file);
        } else if (/\.ts$/.test(entry.name) && !file.endsWith('page-scripts.ts')) {
          const text = readFileSync(file, 'utf8');
          if (/\.evaluate(OnNewDocument)?\(\s*(async\s*)?(\(|function\b)/.test(text)) offenders.push(path.relative(root, file));
        }
      }
    };
    walk(path.join(root, 'src'));
    expect(offenders).toEqual([]);
  });
});
