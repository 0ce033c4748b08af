import { callJson } from '../lib/http-client.js';
import type { ScenarioContext } from '../lib/options.js';
import { row, type Row } from '../lib/report.js';
import type { LinkedPair } from './push.js';

/** The most POST /api/chats/{id}/history reads back per call. */
const PER_CALL = 5_000;
const WARMUP_MESSAGES = 500;

/** seed() numbers its contacts 1, 2, … as 49151 + 8 digits, identically on both pages. */
const seededChat = (n: number) => `49151${String(n).padStart(8, '0')}@c.us`;

interface Imported {
  seen: number;
  imported: number;
  calls: number;
}

/** A chat's whole history into the bridge's store, call after call with before=next_before. */
async function importThroughRest(url: string, chatId: string): Promise<Imported> {
  const total: Imported = { seen: 0, imported: 0, calls: 0 };
  let before: string | undefined;
  for (;;) {
    const body = await callJson(url, 'POST', `/api/chats/${encodeURIComponent(chatId)}/history`, { limit: PER_CALL, ...(before ? { before } : {}) });
    total.calls++;
    total.seen += body.seen as number;
    total.imported += body.imported as number;
    if (body.complete) return total;
    before = body.next_before as string;
  }
}

/**
 * 8. History import (issue 11), end to end: a chat of `opts.historyMessages` messages on the
 * simulator read back into the store through POST /api/chats/{id}/history (pages of 100
 * from WhatsApp Web, upserted into the store with the full-text indexes), against the same
 * chat read by `fetchMessages({ limit })` on a bare whatsapp-web.js Client, which stores
 * nothing. A new chat each round, so that every message is new to the store.
 */
export async function historyScenario(ctx: ScenarioContext, pair: LinkedPair): Promise<Row[]> {
  const { opts } = ctx;
  let seeded = 0;
  const seedBoth = async (messages: number): Promise<string> => {
    await callJson(pair.url, 'POST', '/api/simulator/seed', { chats: 1, messages_per_chat: messages });
    await pair.bare.sim.seed({ chats: 1, messagesPerChat: messages });
    return seededChat(++seeded);
  };
  const ours = async (chatId: string, expected: number): Promise<number> => {
    const t = performance.now();
    const got = await importThroughRest(pair.url, chatId);
    const s = (performance.now() - t) / 1000;
    if (got.imported !== expected) throw new Error(`history import of ${chatId}: ${got.imported} new messages in the store, expected ${expected} (${got.seen} seen in ${got.calls} calls)`);
    return expected / s;
  };
  const bare = async (chatId: string, expected: number): Promise<number> => {
    const t = performance.now();
    const chat = await pair.bare.client.getChatById(chatId);
    const messages = await chat.fetchMessages({ limit: expected });
    const s = (performance.now() - t) / 1000;
    if (messages.length !== expected) throw new Error(`fetchMessages({ limit: ${expected} }) returned ${messages.length} messages`);
    return expected / s;
  };

  const warm = await seedBoth(WARMUP_MESSAGES);
  await ours(warm, WARMUP_MESSAGES);
  await bare(warm, WARMUP_MESSAGES);
  const runs = { ours: [] as number[], bare: [] as number[] };
  for (let r = 0; r < opts.rounds; r++) {
    const chatId = await seedBoth(opts.historyMessages);
    for (const kind of r % 2 === 0 ? (['ours', 'bare'] as const) : (['bare', 'ours'] as const)) {
      runs[kind].push(await (kind === 'ours' ? ours : bare)(chatId, opts.historyMessages));
    }
    ctx.log(`history round ${r + 1}: ${Math.round(runs.ours.at(-1)!)} messages/s through REST, fetchMessages ${Math.round(runs.bare.at(-1)!)} messages/s`);
  }
  ctx.raw.history = { messages: opts.historyMessages, perCall: PER_CALL, runs };
  const n = opts.historyMessages.toLocaleString('en-US');
  return [
    row('8 Search', `history import through POST /api/chats/{id}/history, ${n}-message chat on the simulator`, 'messages/s', runs.ours, `fetchMessages({ limit: ${n} }), bare whatsapp-web.js, nothing stored`, runs.bare),
  ];
}
