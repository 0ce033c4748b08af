import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { sqlite } from '../../src/store/sqlite.js';
import type { ChildMessage } from '../helpers/store-child.js';
import { open, tempStore } from '../helpers/store.js';

const CHILD = fileURLToPath(new URL('../helpers/store-child.ts', import.meta.url));
let child: ChildProcess | null = null;
afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

describe('the event log and the messages across kill -9 of their process', () => {
  it('keep every message and event reported committed, and agree with each other', async () => {
    const { file } = tempStore('wa-listen-crash-');
    child = fork(CHILD, ['listen', file], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const reported: { messageId: string; seq: number }[] = [];
    await new Promise<void>((resolve, reject) => {
      child!.once('exit', (code) => reject(new Error(`listen child exited (${code}) early`)));
      child!.on('message', (m: ChildMessage) => {
        if (m.type !== 'recorded') return;
        reported.push(...m.items);
        if (reported.length >= 400) resolve();
      });
    });
    // It keeps writing while the kill lands.
    child.removeAllListeners('exit');
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child!.once('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const db = new (sqlite().DatabaseSync)(file);
    expect(db.prepare('PRAGMA integrity_check').get()?.integrity_check).toBe('ok');
    db.close();
    const store = open(file);
    try {
      // Nothing reported is lost.
      for (const r of reported) {
        expect(store.messages.get('default', r.messageId), r.messageId).not.toBeNull();
        expect(store.events.get(r.seq)?.payload, String(r.seq)).toEqual({ id: r.messageId });
      }
      // Every event has its message, every message its one event, every event its delivery.
      const events = store.events.after('default', 0, { limit: 1_000 });
      expect(events.length).toBeGreaterThanOrEqual(reported.length);
      const eventIds = events.map((e) => (e.payload as { id: string }).id);
      expect(new Set(eventIds).size).toBe(events.length);
      for (const id of eventIds) expect(store.messages.get('default', id), id).not.toBeNull();
      const chats = Array.from({ length: 7 }, (_, i) => `1555010${String(i).padStart(4, '0')}@c.us`);
      const stored = chats.reduce((n, c) => n + store.messages.list('default', c, { limit: 500 }).messages.length, 0);
      expect(stored).toBe(events.length);
      const [webhook] = store.webhooks.list('default');
      const delivered = new Set<number>();
      let before: string | undefined;
      do {
        const page = store.deliveries.list(webhook!.id, { limit: 100, ...(before ? { before } : {}) });
        for (const d of page.deliveries) delivered.add(d.eventSeq);
        before = page.nextBefore ?? undefined;
      } while (before);
      expect([...delivered].sort((a, b) => a - b)).toEqual(events.map((e) => e.seq));
      // The search index came through with its rows.
      expect(store.messages.search('default', { q: '明天', limit: 100 }).hits).toHaveLength(Math.min(100, events.length));
      // And the log goes on where it stopped.
      expect(store.record('default', { type: 'status', payload: {} }).event.seq).toBe(events.at(-1)!.seq + 1);
    } finally {
      store.close();
    }
  });
});
