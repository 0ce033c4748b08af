import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export interface ServerChild {
  url: string;
  pid: number;
  close(): Promise<void>;
}

/** Starts bench/servers/rest-server.ts (through tsx's loader) in its own process. */
export async function startServerChild(kind: 'ours' | 'bare' | 'bare-mcp'): Promise<ServerChild> {
  const script = fileURLToPath(new URL('../servers/rest-server.ts', import.meta.url));
  const child: ChildProcess = fork(script, [kind], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const [msg] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(() => {
      throw new Error(`the ${kind} server exited before listening`);
    }),
  ])) as [{ port: number }];
  return {
    url: `http://127.0.0.1:${msg.port}`,
    pid: child.pid!,
    async close() {
      const exited = once(child, 'exit');
      child.disconnect();
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}
