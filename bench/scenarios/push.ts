import type { Client as WwebjsClient, Message } from 'whatsapp-web.js';
import type { SimulatorControl } from '../../src/whatsapp/simulator/index.js';
import { BENCH_TOKEN } from '../lib/config.js';
import { callJson } from '../lib/http-client.js';
import type { ScenarioContext } from '../lib/options.js';
import { row, type Row, type TargetRule } from '../lib/report.js';
import { openSse, type SseConnection } from '../lib/sse-client.js';
import { quantile } from '../lib/stats.js';
import { startWebhookReceiver, type WebhookReceiver } from '../lib/webhook-receiver.js';

/** The compiled bridge, linked, and a bare whatsapp-web.js Client on its own simulator page. */
export interface LinkedPair {
  url: string;
  pid: number;
  bare: { client: WwebjsClient; sim: SimulatorControl };
}

const SSE_CLIENTS = 10;
const WEBHOOKS = 3;
/** Ten contacts take turns, so that no chat grows long (the simulator slows down as one does). */
const SENDERS = Array.from({ length: 10 }, (_, i) => `155501002${String(i).padStart(2, '0')}`);
const PROBE = /Push probe #(\d+):/;
const ARRIVAL_TIMEOUT_MS = 10_000;
const WARMUP = 10;

type Kind = 'sse' | 'webhook' | 'wwebjs';

/**
 * One probe message in flight at a time: when it was injected, and every arrival of it
 * (each SSE client, each webhook receiver, or the bare Client's event) as a latency.
 */
class Probes {
  latencies: Record<Kind, number[]> = { sse: [], webhook: [], wwebjs: [] };
  /** Arrivals beyond the expected count (a message pushed twice): the run fails with them. */
  extra = 0;
  private current: { n: number; at: number; missing: Map<Kind, number>; done: () => void } | null = null;

  /** Resolves once `expected` arrivals of probe `n`, counted from now, have come in. */
  expect(n: number, expected: Partial<Record<Kind, number>>): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const left = [...(this.current?.missing ?? [])].map(([k, c]) => `${c} ${k}`).join(', ');
        this.current = null;
        reject(new Error(`push probe #${n}: still waiting for ${left} after ${ARRIVAL_TIMEOUT_MS} ms`));
      }, ARRIVAL_TIMEOUT_MS);
      const done = () => {
        clearTimeout(timer);
        this.current = null;
        resolve();
      };
      this.current = { n, at: performance.now(), missing: new Map(Object.entries(expected) as [Kind, number][]), done };
    });
  }

  arrived(kind: Kind, text: string, at: number): void {
    const m = PROBE.exec(text);
    const c = this.current;
    if (!m || !c || Number(m[1]) !== c.n) return;
    const left = c.missing.get(kind) ?? 0;
    if (left <= 0) {
      this.extra++;
      return;
    }
    this.latencies[kind].push(at - c.at);
    if (left === 1) c.missing.delete(kind);
    else c.missing.set(kind, left - 1);
    if (c.missing.size === 0) c.done();
  }

  /** The latencies recorded since the last call, and a fresh start. */
  take(): Record<Kind, number[]> {
    const out = this.latencies;
    this.latencies = { sse: [], webhook: [], wwebjs: [] };
    return out;
  }
}

async function createWebhook(url: string, receiver: string): Promise<string> {
  const res = await fetch(`${url}/api/webhooks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${BENCH_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url: receiver, events: ['message'] }),
  });
  const body = (await res.json()) as { webhook?: { id: string } };
  if (res.status !== 201 || !body.webhook) throw new Error(`POST /api/webhooks answered ${res.status}: ${JSON.stringify(body)}`);
  return body.webhook.id;
}

async function deleteWebhook(url: string, id: string): Promise<void> {
  await fetch(`${url}/api/webhooks/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${BENCH_TOKEN}` } });
}

const sorted = (xs: number[]) => Float64Array.from(xs).sort();
const p50 = (xs: number[]) => quantile(sorted(xs), 0.5);
const p99 = (xs: number[]) => quantile(sorted(xs), 0.99);

/**
 * 9. Push (issue 11): a contact's message, injected through the simulator's control,
 * → each of 10 SSE clients (GET /api/events, token in the header) and → each of 3 webhook
 * receivers on 127.0.0.1, one message at a time; against the same message → the `message`
 * event of a bare whatsapp-web.js Client on its own simulator page. Ours is timed from the
 * moment POST /api/simulator/incoming is sent, the bare one from the moment page.evaluate
 * is called: ours includes that one local HTTP request.
 */
export async function pushScenario(ctx: ScenarioContext, pair: LinkedPair): Promise<Row[]> {
  const { opts } = ctx;
  const probes = new Probes();
  const receivers: WebhookReceiver[] = [];
  const webhookIds: string[] = [];
  const streams: SseConnection[] = [];
  const onBareMessage = (msg: Message) => probes.arrived('wwebjs', msg.body, performance.now());
  pair.bare.client.on('message', onBareMessage);
  try {
    for (let i = 0; i < WEBHOOKS; i++) {
      const receiver = await startWebhookReceiver((body, at) => probes.arrived('webhook', body, at));
      receivers.push(receiver);
      webhookIds.push(await createWebhook(pair.url, receiver.url));
    }
    for (let i = 0; i < SSE_CLIENTS; i++) {
      streams.push(await openSse(pair.url, { query: 'types=message', onFrame: (f, at) => probes.arrived('sse', f.data, at) }));
    }
    let seq = 0;
    const injectMs: number[] = [];
    const text = (n: number) => `Push probe #${n}: are you coming tonight?`;
    const ours = async () => {
      const n = seq++;
      const arrived = probes.expect(n, { sse: SSE_CLIENTS, webhook: WEBHOOKS });
      const t = performance.now();
      await callJson(pair.url, 'POST', '/api/simulator/incoming', { phone_number: SENDERS[n % SENDERS.length], message: text(n) });
      injectMs.push(performance.now() - t);
      await arrived;
    };
    const bare = async () => {
      const n = seq++;
      const arrived = probes.expect(n, { wwebjs: 1 });
      await pair.bare.sim.incoming({ from: SENDERS[n % SENDERS.length]!, body: text(n) });
      await arrived;
    };
    for (let i = 0; i < WARMUP; i++) {
      await ours();
      await bare();
    }
    probes.take();
    injectMs.length = 0;

    const runs = { sse: [] as number[][], webhook: [] as number[][], wwebjs: [] as number[][] };
    for (let r = 0; r < opts.rounds; r++) {
      for (const kind of r % 2 === 0 ? (['ours', 'bare'] as const) : (['bare', 'ours'] as const)) {
        for (let i = 0; i < opts.pushMessages; i++) await (kind === 'ours' ? ours() : bare());
        const got = probes.take();
        if (kind === 'ours') {
          runs.sse.push(got.sse);
          runs.webhook.push(got.webhook);
        } else runs.wwebjs.push(got.wwebjs);
      }
      ctx.log(
        `push round ${r + 1}: SSE p50 ${p50(runs.sse.at(-1)!).toFixed(1)} / p99 ${p99(runs.sse.at(-1)!).toFixed(1)} ms, webhook p50 ${p50(runs.webhook.at(-1)!).toFixed(1)} / p99 ${p99(runs.webhook.at(-1)!).toFixed(1)} ms, bare event p50 ${p50(runs.wwebjs.at(-1)!).toFixed(1)} / p99 ${p99(runs.wwebjs.at(-1)!).toFixed(1)} ms`,
      );
    }
    if (probes.extra) throw new Error(`${probes.extra} probe message(s) arrived more often than sent`);
    ctx.raw.push = { messagesPerRound: opts.pushMessages, sseClients: SSE_CLIENTS, webhooks: WEBHOOKS, runs, injectRoundTripMs: injectMs };

    const s = '9 Push';
    const base = 'simulator → message event, bare whatsapp-web.js';
    const within100: TargetRule = { text: 'p99 ≤ 100 ms', test: (_r, o) => o.median <= 100 };
    const each = `${opts.pushMessages} messages, one at a time`;
    return [
      row(s, `incoming message → SSE client p50 (${SSE_CLIENTS} clients, ${WEBHOOKS} webhooks attached; ${each})`, 'ms', runs.sse.map(p50), base, runs.wwebjs.map(p50)),
      row(s, 'incoming message → SSE client p99', 'ms', runs.sse.map(p99), base, runs.wwebjs.map(p99), within100),
      row(s, 'incoming message → webhook receiver p50', 'ms', runs.webhook.map(p50), base, runs.wwebjs.map(p50)),
      row(s, 'incoming message → webhook receiver p99', 'ms', runs.webhook.map(p99), base, runs.wwebjs.map(p99), within100),
    ];
  } finally {
    pair.bare.client.off('message', onBareMessage);
    for (const s of streams) s.close();
    for (const id of webhookIds) await deleteWebhook(pair.url, id).catch(() => undefined);
    for (const r of receivers) await r.close();
  }
}
