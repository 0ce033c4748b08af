import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { runLoad, type LoadResult } from '../lib/http-load.js';
import { connectMcp, type McpConnection } from '../lib/mcp-client.js';
import { BENCH_TOKEN } from '../lib/config.js';
import type { ScenarioContext } from '../lib/options.js';
import { atLeast, row, type Row } from '../lib/report.js';
import { startServerChild } from '../lib/server-child.js';
import { LatencyRecorder } from '../lib/stats.js';

const CONCURRENT = 32;

interface LoopResult {
  perSecond: number;
  p50: number;
  p99: number;
}

/** `workers` loops calling `fn` back to back for `seconds`. */
async function loops(workers: ((i: number) => Promise<unknown>)[], seconds: number): Promise<LoopResult> {
  const latencies = new LatencyRecorder();
  const start = performance.now();
  const end = start + seconds * 1000;
  let calls = 0;
  await Promise.all(
    workers.map(async (fn, i) => {
      while (performance.now() < end) {
        const t = performance.now();
        await fn(i);
        latencies.record(performance.now() - t);
        calls++;
      }
    }),
  );
  return { perSecond: calls / ((performance.now() - start) / 1000), ...latencies.percentiles() };
}

/**
 * 2. MCP overhead: tools/call whatsapp_status through the official SDK client vs GET
 * /api/status through fetch (the HTTP client the SDK itself uses), from this process
 * against the bridge's app in another, sequentially and from 32 concurrent clients. A
 * server-side figure (autocannon posting the JSON-RPC call on an open MCP session vs GET
 * /api/status, and vs the MCP SDK's own server with the same tool) separates the server's
 * share from the client's, and the SDK's share from the bridge's.
 */
export async function mcpScenario(ctx: ScenarioContext): Promise<Row[]> {
  const { opts } = ctx;
  const server = await startServerChild('ours');
  const headers = { authorization: `Bearer ${BENCH_TOKEN}` };
  const rest = async () => {
    const res = await fetch(`${server.url}/api/status`, { headers });
    const body = (await res.json()) as { state?: string };
    if (body.state !== 'ready') throw new Error(`GET /api/status: ${JSON.stringify(body)}`);
  };
  const clients: McpConnection[] = [];
  const rows: Row[] = [];
  const raw: Record<string, { mcp: unknown[]; rest: unknown[] }> = {};
  try {
    for (let i = 0; i < CONCURRENT; i++) clients.push(await connectMcp(server.url, BENCH_TOKEN));
    const mcp = async (i: number) => {
      const res = await clients[i]!.client.callTool({ name: 'whatsapp_status', arguments: {} });
      if (res.isError) throw new Error(`whatsapp_status failed: ${JSON.stringify(res.content)}`);
    };

    for (const [label, n] of [
      ['sequential', 1],
      [`${CONCURRENT} concurrent clients`, CONCURRENT],
    ] as const) {
      const mcpWorkers = Array.from({ length: n }, () => mcp);
      const restWorkers = Array.from({ length: n }, () => rest);
      await loops(mcpWorkers, opts.warmupSeconds);
      await loops(restWorkers, opts.warmupSeconds);
      const runs = { mcp: [] as LoopResult[], rest: [] as LoopResult[] };
      for (let r = 0; r < opts.rounds; r++) {
        for (const kind of r % 2 === 0 ? (['mcp', 'rest'] as const) : (['rest', 'mcp'] as const)) {
          runs[kind].push(await loops(kind === 'mcp' ? mcpWorkers : restWorkers, opts.loadSeconds));
        }
        ctx.log(`mcp ${label} round ${r + 1}: mcp ${Math.round(runs.mcp.at(-1)!.perSecond)}/s, rest ${Math.round(runs.rest.at(-1)!.perSecond)}/s`);
      }
      raw[label] = runs;
      const scen = '2 MCP';
      const base = 'GET /api/status';
      rows.push(row(scen, `tools/call whatsapp_status, ${label}: calls/s`, 'calls/s', runs.mcp.map((l) => l.perSecond), base, runs.rest.map((l) => l.perSecond), atLeast(0.5)));
      rows.push(row(scen, `tools/call whatsapp_status, ${label}: p50`, 'ms', runs.mcp.map((l) => l.p50), base, runs.rest.map((l) => l.p50)));
      rows.push(row(scen, `tools/call whatsapp_status, ${label}: p99`, 'ms', runs.mcp.map((l) => l.p99), base, runs.rest.map((l) => l.p99)));
    }

    // The server alone: autocannon posting the call on one open MCP session, against the
    // bridge's GET /api/status and against the MCP SDK's own server with the same tool.
    const bareMcp = await startServerChild('bare-mcp');
    const bareClient = await connectMcp(bareMcp.url, BENCH_TOKEN);
    try {
      const mcpLoad = (target: { url: string; pid: number }, conn: McpConnection, durationS: number) =>
        runLoad({
          url: `${target.url}/mcp`,
          method: 'POST',
          headers: {
            ...headers,
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            'mcp-session-id': conn.transport.sessionId!,
            'mcp-protocol-version': conn.transport.protocolVersion ?? LATEST_PROTOCOL_VERSION,
          },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whatsapp_status', arguments: {} } }),
          connections: 10,
          durationS,
          serverPid: target.pid,
        });
      const loads = {
        mcp: (d: number) => mcpLoad(server, clients[0]!, d),
        rest: (d: number) => runLoad({ url: `${server.url}/api/status`, headers, connections: 10, durationS: d, serverPid: server.pid }),
        sdk: (d: number) => mcpLoad(bareMcp, bareClient, d),
      };
      const kinds = ['mcp', 'rest', 'sdk'] as const;
      for (const k of kinds) await loads[k](opts.warmupSeconds);
      const runs = { mcp: [] as LoadResult[], rest: [] as LoadResult[], sdk: [] as LoadResult[] };
      for (let r = 0; r < opts.rounds; r++) {
        for (const kind of r % 2 === 0 ? kinds : [...kinds].reverse()) runs[kind].push(await loads[kind](opts.loadSeconds));
        ctx.log(`mcp server-side round ${r + 1}: mcp ${Math.round(runs.mcp.at(-1)!.rps)} req/s, rest ${Math.round(runs.rest.at(-1)!.rps)} req/s, bare MCP SDK ${Math.round(runs.sdk.at(-1)!.rps)} req/s`);
      }
      raw['server side (autocannon)'] = runs;
      const scen = '2 MCP';
      const rest = 'GET /api/status (autocannon)';
      const sdk = 'bare MCP SDK server, same tool';
      const rps = (kind: keyof typeof runs) => runs[kind].map((l) => l.rps);
      const cpu = (kind: keyof typeof runs) => runs[kind].map((l) => l.cpuUsPerReq ?? 0);
      rows.push(row(scen, 'POST /mcp tools/call (autocannon, server only): req/s', 'req/s', rps('mcp'), rest, rps('rest'), atLeast(0.5)));
      rows.push(row(scen, 'POST /mcp tools/call (server only): CPU per request', 'µs', cpu('mcp'), rest, cpu('rest')));
      rows.push(row(scen, 'POST /mcp tools/call (autocannon): req/s', 'req/s', rps('mcp'), sdk, rps('sdk')));
      rows.push(row(scen, 'POST /mcp tools/call: CPU per request', 'µs', cpu('mcp'), sdk, cpu('sdk')));
    } finally {
      await bareClient.close();
      await bareMcp.close();
    }
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await server.close();
  }
  ctx.raw.mcp = raw;
  return rows;
}
