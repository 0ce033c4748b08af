import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';

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

/** What a Chromium process is, from its command line: browser, renderer, gpu-process, utility:network, zygote, … */
function chromiumRole(pid: number): string {
  try {
    // Chromium rewrites the command lines of its helpers into one space-separated string.
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
    const type = args.find((a) => a.startsWith('--type='))?.slice(7);
    if (!type) return stat(pid)?.comm ?? 'unknown';
    const sub = args.find((a) => a.startsWith('--utility-sub-type='))?.slice(19);
    return sub ? `${type}:${sub.split('.')[0]}` : type;
  } catch {
    return 'gone';
  }
}

/** PSS of a process tree by kind of process (one line per Chromium role), MB. */
export function treeBreakdown(pid: number): Record<string, { processes: number; pssMb: number }> {
  const out: Record<string, { processes: number; pssMb: number }> = {};
  for (const p of processTree(pid)) {
    const role = chromiumRole(p);
    const entry = (out[role] ??= { processes: 0, pssMb: 0 });
    entry.processes++;
    entry.pssMb += statusKb(p, 'Pss', 'smaps_rollup') / 1024;
  }
  return out;
}

const PAGE = 4096;

/**
 * The memory process trees hold, each physical page counted once however many of their
 * processes map it, and whoever else on the machine maps it too (MB). Unlike PSS, it does not
 * change when unrelated processes start or stop, so the difference between two samples is
 * what was added in between. Reads /proc/<pid>/pagemap (page frame numbers need root);
 * null when they are hidden.
 */
export function treeUniqueMb(...roots: number[]): number | null {
  const frames = new Set<number>();
  const entry = Buffer.alloc(8 * 4096);
  for (const p of roots.flatMap((root) => processTree(root))) {
    let maps: string;
    let fd: number;
    try {
      maps = readFileSync(`/proc/${p}/smaps`, 'utf8');
      fd = openSync(`/proc/${p}/pagemap`, 'r');
    } catch {
      continue;
    }
    try {
      // Only the mappings with resident pages: a renderer reserves terabytes it never touches.
      for (const m of maps.matchAll(/^([0-9a-f]+)-([0-9a-f]+) [^\n]*\n(?:(?![0-9a-f]+-)[^\n]*\n)*?Rss:\s+(\d+) kB/gm)) {
        if (m[3] === '0') continue;
        let page = parseInt(m[1]!, 16) / PAGE;
        const end = parseInt(m[2]!, 16) / PAGE;
        while (page < end) {
          const count = Math.min(end - page, entry.length / 8);
          const read = readSync(fd, entry, 0, count * 8, page * 8);
          for (let i = 0; i < read / 8; i++) {
            const v = entry.readBigUInt64LE(i * 8);
            // Bit 63: present; bits 0-54: the page frame number (0 when hidden).
            if (v >> 63n) {
              const pfn = Number(v & 0x7fffffffffffffn);
              if (pfn === 0) return null;
              frames.add(pfn);
            }
          }
          page += count;
        }
      }
    } catch {
      // the process went away mid-read
    } finally {
      closeSync(fd);
    }
  }
  return (frames.size * PAGE) / 2 ** 20;
}
