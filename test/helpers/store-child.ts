/**
 * A bridge stand-in for the store's process-level tests, run with `fork(…, { execArgv:
 * ['--import', 'tsx'] })`. It tells the parent over IPC what it has committed, only after
 * the commit returned, and never exits by itself: the parent kills it.
 *
 *   hold  FILE DATADIR N  N sends (every third with a photo), some moved on, then waits
 *   churn FILE            sends and moves them on, reporting each, until killed
 *   race  FILE COUNT      waits for "go", then inserts COUNT keyed sends next to another racer
 *   listen FILE           records incoming messages with their events (and webhook deliveries),
 *                         one at a time and in batches, reporting each commit, until killed
 */
import path from 'node:path';
import { silentLogger } from '../../src/core/logger.js';
import { createMediaSpool, insertWithMedia, openStore, type OutboxStatus } from '../../src/store/index.js';

export type ChildMessage =
  | { type: 'ready' }
  | { type: 'committed'; entries: { id: string; status: OutboxStatus; media: boolean }[] }
  | { type: 'raced'; created: number; ids: Record<string, string> }
  | { type: 'recorded'; items: { messageId: string; seq: number }[] };

const send = (m: ChildMessage) => new Promise<void>((resolve, reject) => process.send!(m, (err: Error | null) => (err ? reject(err) : resolve())));
const forever = () => new Promise<never>(() => setInterval(() => undefined, 60_000));
const text = (i: number) => ({ requestHash: `hash-${i}`, kind: 'text', chatId: `1555010${String(i % 10).padStart(4, '0')}@c.us`, payload: { text: `Message ${i}` }, matchText: `Message ${i}` });

async function hold(file: string, dataDir: string, n: number): Promise<void> {
  const store = openStore({ file, log: silentLogger() });
  const spool = createMediaSpool(dataDir);
  const entries: { id: string; status: OutboxStatus; media: boolean }[] = [];
  for (let i = 0; i < n; i++) {
    const media = i % 3 === 0;
    const entry = { ...text(i), idempotencyKey: `key-${i}` };
    const { entry: e } = media ? await insertWithMedia(store.outbox, spool, { ...entry, kind: 'media' }, [new Uint8Array([i, 1, 2, 3])]) : store.outbox.insert(entry);
    let status: OutboxStatus = 'queued';
    if (i % 4 === 1 || i % 4 === 2) status = store.outbox.transition(e.id, ['queued'], 'sending')!.status;
    if (i % 4 === 2) status = store.outbox.transition(e.id, ['sending'], 'sent', { messageId: `true_x_${i}` })!.status;
    entries.push({ id: e.id, status, media });
  }
  await send({ type: 'committed', entries });
  await forever();
}

async function churn(file: string): Promise<void> {
  const store = openStore({ file, log: silentLogger() });
  for (let i = 0; ; i++) {
    const { entry } = store.outbox.insert({ ...text(i), idempotencyKey: `churn-${i}` });
    const sending = store.outbox.transition(entry.id, ['queued'], 'sending')!;
    // Waiting for the message to reach the pipe also lets the parent's kill land between writes.
    await send({ type: 'committed', entries: [{ id: sending.id, status: sending.status, media: false }] });
  }
}

async function race(file: string, count: number): Promise<void> {
  // Both racers open their own connection to one file; the lock would rightly refuse the second.
  const store = openStore({ file, log: silentLogger(), lock: false });
  await new Promise<void>((resolve) => {
    process.once('message', () => resolve());
    void send({ type: 'ready' });
  });
  let created = 0;
  const ids: Record<string, string> = {};
  for (let k = 0; k < count; k++) {
    const result = store.outbox.insert({ ...text(k), idempotencyKey: `race-${k}` });
    if (result.created) created++;
    ids[`race-${k}`] = result.entry.id;
  }
  await send({ type: 'raced', created, ids });
  await forever();
}

async function listen(file: string): Promise<void> {
  const store = openStore({ file, log: silentLogger() });
  if (store.webhooks.list('default').length === 0) store.webhooks.create({ account: 'default', url: 'http://127.0.0.1:9/hook' });
  const incoming = (i: number) => {
    const chat = `1555010${String(i % 7).padStart(4, '0')}@c.us`;
    const message = { id: `false_${chat}_LISTEN${i}`, from: chat, to: '15550009999@c.us', author: null, from_me: false, type: 'chat', body: `incoming number ${i} 明天 👍`, timestamp: 1_767_225_600 + i, has_media: false, ack: null, quoted_message_id: null, mentioned_ids: [], media: null, edited: false, revoked: false, sender_phone: null, sender_lid: null };
    return store.recordIncoming('default', { type: 'message', payload: { id: message.id } }, { message });
  };
  for (let i = 0; ; ) {
    // Every fourth commit is a batch, as the catch-up writes them.
    const n = i % 4 === 3 ? 5 : 1;
    const results = store.transaction(() => Array.from({ length: n }, (_, k) => incoming(i + k)));
    i += n;
    await send({ type: 'recorded', items: results.map((r) => ({ messageId: r.message.message.id, seq: r.event!.seq })) });
  }
}

const [mode, file = '', arg = ''] = process.argv.slice(2);
const run =
  mode === 'hold'
    ? hold(file, arg, Number(process.argv[5]))
    : mode === 'churn'
      ? churn(file)
      : mode === 'race'
        ? race(file, Number(arg))
        : mode === 'listen'
          ? listen(file)
          : Promise.reject(new Error(`unknown mode ${mode}`));
run.catch((err: unknown) => {
  process.stderr.write(`store-child ${mode} (${path.basename(file)}): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
