import autocannon from 'autocannon';
import { cpuMs } from './proc.js';
import { LatencyRecorder } from './stats.js';

export interface LoadSpec {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  durationS: number;
  /** The server's pid: its CPU time per request is reported too. */
  serverPid?: number;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /** Server CPU time per request, µs (null without serverPid). */
  cpuUsPerReq: number | null;
}

/**
 * One autocannon run. Latencies come from autocannon's own per-response timings
 * (sub-millisecond; its histogram keeps whole milliseconds only). Any non-2xx or
 * connection error fails the run: a benchmark of error answers measures nothing.
 */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const latencies = new LatencyRecorder();
  const cpuBefore = spec.serverPid ? cpuMs(spec.serverPid) : 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        method: spec.method ?? 'GET',
        headers: spec.headers ?? {},
        ...(spec.body !== undefined ? { body: spec.body } : {}),
        connections: spec.connections,
        duration: spec.durationS,
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    // autocannon emits (client, statusCode, bytes, ms); its typings leave out the client.
    (instance as unknown as NodeJS.EventEmitter).on('response', (...args: unknown[]) => {
      if (args[1] === 200) latencies.record(args[3] as number);
    });
  });
  const cpu = spec.serverPid ? cpuMs(spec.serverPid) - cpuBefore : 0;
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(`${spec.method ?? 'GET'} ${spec.url}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
  }
  const requests = result.requests.total;
  const { p50, p99 } = latencies.percentiles();
  return { rps: requests / result.duration, p50, p99, requests, cpuUsPerReq: spec.serverPid ? (cpu * 1000) / requests : null };
}
