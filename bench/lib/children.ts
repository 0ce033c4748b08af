import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { processTree } from './proc.js';

interface Line {
  at: number;
  text: string;
}

/**
 * A child process whose output lines are timestamped as they arrive, so a benchmark can
 * time "process start → this line" without polling.
 */
export class Watched {
  readonly startedAt: number;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  private readonly lines: Line[] = [];
  private readonly waiters = new Set<(l: Line) => void>();

  constructor(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
    this.startedAt = performance.now();
    this.child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = once(this.child, 'exit').then(() => undefined);
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      createInterface({ input: stream }).on('line', (text) => {
        const line = { at: performance.now(), text };
        this.lines.push(line);
        for (const w of this.waiters) w(line);
      });
    }
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** The first line matching `re` (already seen or still to come), and when it arrived. */
  waitFor(re: RegExp, what: string, timeoutMs = 60_000, from = 0): Promise<{ at: number; match: RegExpExecArray; index: number }> {
    for (let i = from; i < this.lines.length; i++) {
      const m = re.exec(this.lines[i]!.text);
      if (m) return Promise.resolve({ at: this.lines[i]!.at, match: m, index: i });
    }
    return new Promise((resolve, reject) => {
      const onExit = () => finish(() => reject(new Error(`${what}: the process exited first.\n${this.tail()}`)));
      const timer = setTimeout(() => finish(() => reject(new Error(`${what}: not seen within ${timeoutMs} ms.\n${this.tail()}`))), timeoutMs);
      const waiter = (l: Line) => {
        const m = re.exec(l.text);
        if (m) finish(() => resolve({ at: l.at, match: m, index: this.lines.indexOf(l) }));
      };
      const finish = (fn: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        this.child.off('exit', onExit);
        fn();
      };
      this.waiters.add(waiter);
      this.child.once('exit', onExit);
    });
  }

  get lineCount(): number {
    return this.lines.length;
  }

  send(line: string): void {
    this.child.stdin!.write(`${line}\n`);
  }

  tail(n = 15): string {
    return this.lines
      .slice(-n)
      .map((l) => `  | ${l.text.slice(0, 300)}`)
      .join('\n');
  }

  /**
   * SIGTERM and wait for a graceful exit; past `timeoutMs`, SIGKILL every process of the
   * tree by its pid (the browser runs in its own process group and would outlive Node).
   */
  async stop(timeoutMs = 15_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const tree = processTree(this.pid);
    this.child.kill('SIGTERM');
    const done = await Promise.race([this.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs).unref())]);
    // Anything of the tree still alive now (a browser left behind) goes too.
    const rest = done ? tree.slice(1).filter((pid) => existsSync(`/proc/${pid}`)) : [...tree, ...processTree(this.pid)];
    for (const pid of rest) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await this.exited;
  }
}
