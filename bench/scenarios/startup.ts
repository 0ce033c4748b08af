import path from 'node:path';
import type { Watched } from '../lib/children.js';
import { compiledCli, launchBare, launchBareFastify, launchBridge, LINES, linkBridge, post, removeDir, tempDir, type BridgeMode } from '../lib/launch.js';
import type { ScenarioContext } from '../lib/options.js';
import { atMost, row, type Row, type TargetRule } from '../lib/report.js';

const underOneSecond: TargetRule = { text: '< 1 s', test: (_r, ours) => ours.median < 1000 };

async function timed(w: Watched, fn: (w: Watched) => Promise<Record<string, number>>): Promise<Record<string, number>> {
  try {
    return await fn(w);
  } finally {
    await w.stop();
  }
}

/**
 * 5. Start-up, each from the moment the process is spawned: → HTTP listening (vs a bare
 * Fastify script), → `qr` on a new profile (POST /api/auth/start sent as soon as it
 * listens; vs the bare whatsapp-web.js script), → `ready` restoring a saved session. The
 * bridge runs both as `npm run demo` does (scripts/run.mjs over dist/) and from this run's
 * own tsc build (plain node).
 */
export async function startupScenario(ctx: ScenarioContext): Promise<Row[]> {
  const { opts } = ctx;
  const { buildS } = await compiledCli();
  ctx.log(`startup: compiled src/ with tsc in ${buildS.toFixed(1)} s (not timed below)`);
  const root = tempDir('wa-bench-startup-');
  const fig: Record<string, number[]> = {};
  const add = (name: string, ms: number) => (fig[name] ??= []).push(ms);

  const bridgeFresh = async (mode: BridgeMode) => {
    const dir = tempDir('wa-bench-fresh-');
    try {
      const t = await timed(await launchBridge(mode, dir), async (w) => {
        const l = await w.waitFor(LINES.listening, 'bridge listening');
        await post(`${l.match[1]}/api/auth/start`, {});
        const q = await w.waitFor(LINES.bridgeQr, 'bridge qr');
        return { listening: l.at - w.startedAt, qr: q.at - w.startedAt };
      });
      add(`${mode} listening`, t.listening!);
      add(`${mode} qr`, t.qr!);
    } finally {
      removeDir(dir);
    }
  };
  const bareFresh = async () => {
    const dir = tempDir('wa-bench-fresh-');
    try {
      const t = await timed(await launchBare(dir, false), async (w) => ({ qr: (await w.waitFor(LINES.bareQr, 'bare qr')).at - w.startedAt }));
      add('bare qr', t.qr!);
    } finally {
      removeDir(dir);
    }
  };
  const fastifyListen = async () => {
    const t = await timed(launchBareFastify(), async (w) => ({ listening: (await w.waitFor(LINES.fastifyListening, 'bare fastify listening')).at - w.startedAt }));
    add('fastify listening', t.listening!);
  };

  // A linked profile for each, saved by a graceful stop, then restored in every round.
  const bridgeDir = path.join(root, 'bridge');
  const bareDir = path.join(root, 'bare');
  try {
    await timed(await launchBridge('compiled', bridgeDir), async (w) => {
      await linkBridge(w);
      return {};
    });
    await timed(await launchBare(bareDir, true), async (w) => {
      await w.waitFor(LINES.bareReady, 'bare ready (linking)');
      return {};
    });
    const bridgeRestore = async () => {
      const t = await timed(await launchBridge('compiled', bridgeDir), async (w) => ({ ready: (await w.waitFor(LINES.bridgeReady, 'bridge ready (restore)')).at - w.startedAt }));
      add('compiled ready', t.ready!);
    };
    const bareRestore = async () => {
      const t = await timed(await launchBare(bareDir, false), async (w) => ({ ready: (await w.waitFor(LINES.bareReady, 'bare ready (restore)')).at - w.startedAt }));
      add('bare ready', t.ready!);
    };

    // One unmeasured pass warms the page cache (and lets scripts/run.mjs build dist/ if it is stale).
    await fastifyListen();
    await bridgeFresh('launcher');
    await bridgeFresh('compiled');
    await bareFresh();
    for (const k of Object.keys(fig)) delete fig[k];

    for (let r = 0; r < opts.rounds; r++) {
      const steps = [fastifyListen, () => bridgeFresh('compiled'), () => bridgeFresh('launcher'), bareFresh, bridgeRestore, bareRestore];
      for (const step of r % 2 === 0 ? steps : [...steps].reverse()) await step();
      ctx.log(
        `startup round ${r + 1}: listening compiled ${ms(fig['compiled listening'])} / npm run demo ${ms(fig['launcher listening'])} / fastify ${ms(fig['fastify listening'])}; ` +
          `qr compiled ${ms(fig['compiled qr'])} / npm run demo ${ms(fig['launcher qr'])} / bare ${ms(fig['bare qr'])}; ready compiled ${ms(fig['compiled ready'])} / bare ${ms(fig['bare ready'])}`,
      );
    }
  } finally {
    removeDir(root);
  }
  ctx.raw.startup = { buildS, ms: fig };
  const s = '5 Start-up';
  const f = (k: string) => fig[k]!;
  return [
    row(s, 'process start → listening (compiled, node cli.js)', 'ms', f('compiled listening'), 'bare Fastify script', f('fastify listening'), underOneSecond),
    row(s, 'process start → listening (npm run demo: scripts/run.mjs, built)', 'ms', f('launcher listening'), 'bare Fastify script', f('fastify listening'), underOneSecond),
    row(s, 'process start → qr (compiled)', 'ms', f('compiled qr'), 'bare whatsapp-web.js script', f('bare qr'), atMost(1.2)),
    row(s, 'process start → qr (npm run demo: scripts/run.mjs, built)', 'ms', f('launcher qr'), 'bare whatsapp-web.js script', f('bare qr'), atMost(1.2)),
    row(s, 'process start → ready, saved session (compiled)', 'ms', f('compiled ready'), 'bare whatsapp-web.js script', f('bare ready')),
  ];
}

const ms = (v: number[] | undefined) => (v?.length ? `${Math.round(v.at(-1)!)} ms` : '-');
