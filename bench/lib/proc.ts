import { readdirSync, readFileSync } from 'node:fs';

/** Reads /proc/<pid>/stat; null once the process is gone. */
function stat(pid: number): { ppid: number; ticks: number; comm: string } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm is in parentheses and may itself contain spaces or parentheses.
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const fields = text.slice(close + 2).split(' ');
    // After comm: state(0) ppid(1) ... utime(11) stime(12)
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]), comm };
  } catch {
    return null;
  }
}

/** `pid` and every process below it (Node, the browser and all of its helpers). */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = stat(Number(entry));
    if (!s) continue;
    const list = children.get(s.ppid) ?? [];
    list.push(Number(entry));
    children.set(s.ppid, list);
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift()!;
    out.push(p);
    queue.push(...(children.get(p) ?? []));
  }
  return out;
}

function statusKb(pid: number, field: string, file = 'status'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export interface TreeMemory {
  /** Sum of VmRSS over the tree, MB (shared pages counted once per process, as `ps` does). */
  rssMb: number;
  /** Sum of Pss over the tree, MB (shared pages split between the processes sharing them). */
  pssMb: number;
  /** VmRSS of the root process alone (Node), MB. */
  rootRssMb: number;
  processes: number;
}

export function treeMemory(pid: number): TreeMemory {
  const pids = processTree(pid);
  let rss = 0;
  let pss = 0;
  for (const p of pids) {
    rss += statusKb(p, 'VmRSS');
    pss += statusKb(p, 'Pss', 'smaps_rollup');
  }
  return { rssMb: rss / 1024, pssMb: pss / 1024, rootRssMb: statusKb(pid, 'VmRSS') / 1024, processes: pids.length };
}

/** CPU time (user + system) of one process so far, ms. */
export function cpuMs(pid: number): number {
  const s = stat(pid);
  // USER_HZ is 100 on every Linux the project runs on.
  return s ? s.ticks * 10 : 0;
}

/** CPU time of `pid` and everything below it so far, ms. */
export function treeCpuMs(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + cpuMs(p), 0);
}

/** CPU time of this process so far, ms (finer than /proc's 10 ms ticks). */
export function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Waits until this process and the trees of `pids` are nearly idle (10% of one core over
 * 200 ms: /proc counts in 10 ms ticks), at most `maxMs`: the acks and events of one round
 * must not run into the next.
 */
export async function quiesce(pids: number[], maxMs = 4000): Promise<void> {
  const tree = pids.flatMap((pid) => processTree(pid));
  const total = () => selfCpuMs() + tree.reduce((sum, pid) => sum + cpuMs(pid), 0);
  const end = performance.now() + maxMs;
  while (performance.now() < end) {
    const before = total();
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (total() - before <= 20) return;
  }
}
