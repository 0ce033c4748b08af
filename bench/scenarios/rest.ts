import { runLoad, type LoadResult } from '../lib/http-load.js';
import { BENCH_TOKEN } from '../lib/config.js';
import { SEND_BODY } from '../lib/memory-session.js';
import type { ScenarioContext } from '../lib/options.js';
import { atLeast, row, type Row } from '../lib/report.js';
import { startServerChild, type ServerChild } from '../lib/server-child.js';

const ENDPOINTS = [
  { name: 'GET /api/status', method: 'GET' as const, path: '/api/status' },
  { name: 'POST /api/send', method: 'POST' as const, path: '/api/send', body: JSON.stringify(SEND_BODY) },
];

const HEADERS = { authorization: `Bearer ${BENCH_TOKEN}`, 'content-type': 'application/json' };
const CONNECTIONS = 10;

/**
 * 1. REST overhead: buildApp (security hook, cookies, zod, the service, MCP and dashboard
 * registered alongside) over an in-memory session vs a bare Fastify answering the same
 * JSON. Each server runs in its own process; autocannon runs here, on the other core.
 */
export async function restScenario(ctx: ScenarioContext): Promise<Row[]> {
  const { opts } = ctx;
  const servers: Record<'ours' | 'bare', ServerChild> = { ours: await startServerChild('ours'), bare: await startServerChild('bare') };
  const rows: Row[] = [];
  const raw: Record<string, Record<'ours' | 'bare', LoadResult[]>> = {};
  try {
    await sameAnswers(servers);
    for (const ep of ENDPOINTS) {
      const load = (kind: 'ours' | 'bare', durationS: number) =>
        runLoad({
          url: servers[kind].url + ep.path,
          method: ep.method,
          headers: HEADERS,
          ...(ep.body ? { body: ep.body } : {}),
          connections: CONNECTIONS,
          durationS,
          serverPid: servers[kind].pid,
        });
      await load('ours', opts.warmupSeconds);
      await load('bare', opts.warmupSeconds);
      const runs: Record<'ours' | 'bare', LoadResult[]> = { ours: [], bare: [] };
      for (let r = 0; r < opts.rounds; r++) {
        // Alternate the order so that drift on a shared machine hits both alike.
        for (const kind of r % 2 === 0 ? (['ours', 'bare'] as const) : (['bare', 'ours'] as const)) {
          runs[kind].push(await load(kind, opts.loadSeconds));
        }
        ctx.log(`rest ${ep.name} round ${r + 1}: ours ${Math.round(runs.ours.at(-1)!.rps)} req/s, bare ${Math.round(runs.bare.at(-1)!.rps)} req/s`);
      }
      raw[ep.name] = runs;
      const pick = (kind: 'ours' | 'bare', f: (l: LoadResult) => number) => runs[kind].map(f);
      const scen = '1 REST';
      rows.push(row(scen, `${ep.name} throughput`, 'req/s', pick('ours', (l) => l.rps), 'bare Fastify', pick('bare', (l) => l.rps), atLeast(0.8)));
      rows.push(row(scen, `${ep.name} p50 latency`, 'ms', pick('ours', (l) => l.p50), 'bare Fastify', pick('bare', (l) => l.p50)));
      rows.push(row(scen, `${ep.name} p99 latency`, 'ms', pick('ours', (l) => l.p99), 'bare Fastify', pick('bare', (l) => l.p99)));
      rows.push(row(scen, `${ep.name} server CPU per request`, 'µs', pick('ours', (l) => l.cpuUsPerReq ?? 0), 'bare Fastify', pick('bare', (l) => l.cpuUsPerReq ?? 0)));
    }
  } finally {
    await Promise.all([servers.ours.close(), servers.bare.close()]);
  }
  ctx.raw.rest = { connections: CONNECTIONS, durationS: opts.loadSeconds, runs: raw };
  return rows;
}

/** Both servers must answer the same bodies, or the comparison is not like for like. */
async function sameAnswers(servers: Record<'ours' | 'bare', ServerChild>): Promise<void> {
  for (const ep of ENDPOINTS) {
    const bodies = await Promise.all(
      (['ours', 'bare'] as const).map(async (kind) => {
        const res = await fetch(servers[kind].url + ep.path, { method: ep.method, headers: HEADERS, ...(ep.body ? { body: ep.body } : {}) });
        if (res.status !== 200) throw new Error(`${kind} ${ep.name} answered ${res.status}: ${await res.text()}`);
        const body = (await res.json()) as Record<string, unknown>;
        // Ids and times differ per call; the shape and the rest must not.
        return JSON.stringify({ ...body, message_id: typeof body.message_id, timestamp: typeof body.timestamp, ...('outbox_id' in body ? { outbox_id: typeof body.outbox_id } : {}) });
      }),
    );
    if (bodies[0] !== bodies[1]) throw new Error(`${ep.name}: the bare baseline answers differently:\n ours ${bodies[0]}\n bare ${bodies[1]}`);
  }
}
