import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/**
 * node_modules may be shared between git worktrees (a symlink): one build folder per
 * checkout, so that two benchmark runs from different checkouts do not rebuild under each other.
 */
const OUT = path.join(ROOT, 'node_modules', '.cache', `whatsapp-mcp-bench-${path.basename(ROOT)}`);

/**
 * Compiles src/ with the project's tsc (tsconfig.build.json) into node_modules/.cache, with
 * the simulator page and renderer/ beside it, so start-up can be timed without a TypeScript
 * loader: the form a packaged release runs. Returns the compiled cli.js and the build time.
 */
export async function buildCompiledCli(): Promise<{ cli: string; buildS: number }> {
  const t = performance.now();
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  // A type error elsewhere in the tree still emits JavaScript; only a missing cli.js is fatal.
  await promisify(execFile)(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', OUT], { cwd: ROOT }).catch(() => undefined);
  const cli = path.join(OUT, 'src', 'cli.js');
  if (!existsSync(cli)) throw new Error(`tsc did not emit ${cli}`);
  // What a package ships beside the code: the simulator page and the dashboard's files.
  cpSync(path.join(ROOT, 'src', 'whatsapp', 'simulator', 'page'), path.join(OUT, 'src', 'whatsapp', 'simulator', 'page'), { recursive: true });
  cpSync(path.join(ROOT, 'renderer'), path.join(OUT, 'renderer'), { recursive: true });
  // Node stops looking for "type": "module" at node_modules; the build needs its own.
  writeFileSync(path.join(OUT, 'package.json'), '{ "type": "module" }\n');
  return { cli, buildS: (performance.now() - t) / 1000 };
}

export const REPO_ROOT = ROOT;
