export const SCENARIOS = ['rest', 'mcp', 'send', 'read', 'startup', 'memory', 'outbox', 'search', 'history', 'push', 'sse-memory', 'accounts'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchOptions {
  quick: boolean;
  only: ScenarioName[];
  /** Rounds per figure (REST, MCP, send, read, start-up). */
  rounds: number;
  /** Length of one load round and of the warm-up before the first (REST, MCP), seconds. */
  loadSeconds: number;
  warmupSeconds: number;
  /** Texts per end-to-end send round (the issue: 500). */
  sendCount: number;
  /** Chats in the account for the reading figures (the issue: 100, 1,000, 10,000). */
  readSizes: number[];
  /** Messages in the one big chat (the issue: 10,000). */
  bigChatMessages: number;
  /** Sends and incoming messages in the memory run (the issue: 1,000 each). */
  memoryOps: number;
  memoryRounds: number;
  /** Sends through the outbox's bookkeeping per round (the issue: 10,000). */
  outboxSends: number;
  /** Messages imported into the store before searching it (issue 11: 1,000,000). */
  searchMessages: number;
  /** Messages in the chat read back through the history import, per round. */
  historyMessages: number;
  /** Incoming messages per push-latency round, one at a time. */
  pushMessages: number;
  /** Events streamed to the slow SSE client (issue 11: 100,000), and runs of each kind. */
  sseEvents: number;
  sseRounds: number;
  /** Runs of the bridge up to 4 accounts (and of the bare clients), and of the shared-browser measurement. */
  accountsRounds: number;
  /** Texts each sending account sends per throughput round, and rounds of 1 vs 2 senders per run. */
  accountsSends: number;
  accountsSendRounds: number;
}

/**
 * `npm run bench` runs everything as the issue describes (16–21 minutes on 2 cores);
 * `BENCH_QUICK=1` (or `--quick`) is a smoke run of a couple of minutes with fewer rounds and
 * smaller counts; `BENCH_ONLY=rest,mcp` (or `--only rest,mcp`) picks scenarios;
 * `BENCH_MEMORY_OPS=5000` makes the memory run longer (sends and as many incoming).
 */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const flag = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? (argv[i + 1] ?? '') : undefined;
  };
  const quick = argv.includes('--quick') || ['1', 'true', 'yes'].includes((env.BENCH_QUICK ?? '').toLowerCase());
  const onlyText = flag('only') ?? env.BENCH_ONLY ?? '';
  const only = onlyText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of only) {
    if (!(SCENARIOS as readonly string[]).includes(name)) throw new Error(`unknown scenario "${name}"; choose from ${SCENARIOS.join(', ')}`);
  }
  return {
    quick,
    only: only.length ? (only as ScenarioName[]) : [...SCENARIOS],
    rounds: quick ? 2 : 5,
    loadSeconds: quick ? 1 : 2,
    warmupSeconds: quick ? 0.5 : 1,
    sendCount: quick ? 100 : 500,
    readSizes: [100, 1_000, 10_000],
    bigChatMessages: 10_000,
    memoryOps: memoryOps(env.BENCH_MEMORY_OPS) ?? (quick ? 200 : 1_000),
    memoryRounds: quick ? 1 : 2,
    outboxSends: quick ? 2_000 : 10_000,
    searchMessages: quick ? 100_000 : 1_000_000,
    historyMessages: quick ? 2_000 : 10_000,
    pushMessages: quick ? 50 : 200,
    sseEvents: quick ? 20_000 : 100_000,
    sseRounds: quick ? 1 : 2,
    accountsRounds: quick ? 1 : 2,
    accountsSends: quick ? 100 : 300,
    accountsSendRounds: quick ? 1 : 2,
  };
}

function memoryOps(text: string | undefined): number | null {
  if (!text) return null;
  const n = Number(text);
  // Ten batches of whole operations.
  if (!Number.isInteger(n) || n < 10 || n % 10 !== 0) throw new Error(`BENCH_MEMORY_OPS must be a multiple of 10, got "${text}"`);
  return n;
}

export interface ScenarioContext {
  opts: BenchOptions;
  /** Progress lines on stderr, so stdout stays the table. */
  log(message: string): void;
  /** Scenario-specific raw figures for the JSON file. */
  raw: Record<string, unknown>;
}
