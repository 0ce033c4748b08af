/**
 * `npm run bench`: every scenario of issues 6, 11 and 14 against its own baseline, measured in the
 * same run; prints the table and writes the raw figures to bench/results/<time>.json.
 * `npm run bench -- --markdown bench/results/<file>.json` prints a saved run as Markdown.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from './lib/build.js';
import { CHROME } from './lib/config.js';
import { parseOptions, SCENARIOS, type ScenarioContext, type ScenarioName } from './lib/options.js';
import { markdownTable, textTable, type Row } from './lib/report.js';
import { accountsScenario } from './scenarios/accounts.js';
import { mcpScenario } from './scenarios/mcp.js';
import { memoryScenario } from './scenarios/memory.js';
import { outboxScenario } from './scenarios/outbox.js';
import { searchScenario } from './scenarios/search.js';
import { listeningScenarios } from './scenarios/listening.js';
import { sseMemoryScenario } from './scenarios/sse-memory.js';
import { browserScenarios } from './scenarios/browser.js';
import { restScenario } from './scenarios/rest.js';
import { startupScenario } from './scenarios/startup.js';

interface SavedRun {
  date: string;
  command: string;
  quick: boolean;
  durationS: number;
  machine: Record<string, unknown>;
  rows: Row[];
  failures: { scenario: string; error: string }[];
  raw: Record<string, unknown>;
}

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));
/** A run that hangs somewhere still ends, with what it has. */
const WATCHDOG_MS = 40 * 60_000;

function machine(): Record<string, unknown> {
  // Read from node_modules directly: some packages' exports map package.json elsewhere.
  const version = (pkg: string) => (JSON.parse(readFileSync(path.join(REPO_ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  let chromium = 'unknown';
  try {
    chromium = execFileSync(CHROME, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // reported as unknown
  }
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    chromium,
    'whatsapp-web.js': version('whatsapp-web.js'),
    fastify: version('fastify'),
    '@modelcontextprotocol/sdk': version('@modelcontextprotocol/sdk'),
    autocannon: version('autocannon'),
    // Other work on a shared machine shows here; the ratios are what stays comparable.
    loadAverageAtEnd: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
}

/**
 * Each kind of warning once: undici's fetch (under the MCP SDK client) adds an abort
 * listener per request to the client's long-lived signal and frees them only on GC, so a
 * client making thousands of calls warns thousands of times about a "possible leak".
 */
function warnOnce(): void {
  const seen = new Set<string>();
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    if (seen.has(w.name)) return;
    seen.add(w.name);
    process.stderr.write(`(warning, shown once) ${w.name}: ${w.message}\n`);
  });
}

async function main(): Promise<void> {
  warnOnce();
  const argv = process.argv.slice(2);
  const mdIndex = argv.indexOf('--markdown');
  if (mdIndex >= 0) {
    const saved = JSON.parse(readFileSync(argv[mdIndex + 1] ?? '', 'utf8')) as SavedRun;
    process.stdout.write(`${markdownTable(saved.rows)}\n`);
    return;
  }
  const opts = parseOptions(argv, process.env);
  const started = performance.now();
  const loadAverageAtStart = os.loadavg().map((l) => Number(l.toFixed(2)));
  const date = new Date();
  const ctx: ScenarioContext = {
    opts,
    log: (m) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${m}\n`),
    raw: {},
  };
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench: still running after ${WATCHDOG_MS / 60_000} min; giving up.\n`);
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();

  const rows: Row[] = [];
  const failures: SavedRun['failures'] = [];
  const run = async (names: ScenarioName[], fn: (c: ScenarioContext) => Promise<Row[]>) => {
    if (!names.some((n) => opts.only.includes(n))) return;
    ctx.log(`${names.join(' + ')}: starting`);
    try {
      rows.push(...(await fn(ctx)));
    } catch (err) {
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      failures.push({ scenario: names.join('+'), error });
      ctx.log(`${names.join(' + ')} FAILED: ${error}`);
    }
  };
  ctx.log(`${opts.quick ? 'quick run' : 'full run'}: ${opts.only.join(', ')}`);
  await run(['rest'], restScenario);
  await run(['mcp'], mcpScenario);
  await run(['send', 'read'], browserScenarios);
  await run(['startup'], startupScenario);
  await run(['memory'], memoryScenario);
  await run(['outbox'], outboxScenario);
  await run(['search'], searchScenario);
  await run(['history', 'push'], listeningScenarios);
  await run(['sse-memory'], sseMemoryScenario);
  await run(['accounts'], accountsScenario);

  const durationS = (performance.now() - started) / 1000;
  const saved: SavedRun = {
    date: date.toISOString(),
    command: `npm run bench${opts.quick ? ' (BENCH_QUICK=1)' : ''}${opts.only.length < SCENARIOS.length ? ` (BENCH_ONLY=${opts.only.join(',')})` : ''}`,
    quick: opts.quick,
    durationS,
    machine: { ...machine(), loadAverageAtStart },
    rows,
    failures,
    raw: ctx.raw,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = `${RESULTS_DIR}${date.toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, `${JSON.stringify(saved, null, 2)}\n`);

  process.stdout.write(`\n${textTable(rows)}\n\n`);
  const missed = rows.filter((r) => r.target && !r.target.met);
  process.stdout.write(`${rows.filter((r) => r.target?.met).length} targets met, ${missed.length} missed${missed.length ? `: ${missed.map((r) => `${r.scenario} ${r.metric}`).join('; ')}` : ''}.\n`);
  if (failures.length) process.stdout.write(`${failures.length} scenario(s) FAILED: ${failures.map((f) => f.scenario).join(', ')} (see above).\n`);
  process.stdout.write(`Run time ${durationS.toFixed(0)} s; load average ${loadAverageAtStart.join(' ')} at the start, ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} at the end. Raw figures: ${file}\n`);
  process.exit(failures.length ? 1 : 0);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
