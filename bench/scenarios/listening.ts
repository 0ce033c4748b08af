import path from 'node:path';
import { prepareSimulatorCache } from '../../src/whatsapp/simulator/index.js';
import type { Watched } from '../lib/children.js';
import { launchBridge, linkBridge, removeDir, tempDir } from '../lib/launch.js';
import type { ScenarioContext } from '../lib/options.js';
import type { Row } from '../lib/report.js';
import { startBareClient } from '../lib/wwebjs.js';
import { historyScenario } from './history.js';
import { pushScenario, type LinkedPair } from './push.js';

/**
 * Issue 11's figures that need WhatsApp Web (push latency, history import) share one
 * set-up, as send and read do: the compiled bridge (demo mode) in its own process, linked
 * through the simulator's controls and driven over REST, and a bare whatsapp-web.js Client
 * in this process on its own simulator page.
 */
export async function listeningScenarios(ctx: ScenarioContext): Promise<Row[]> {
  const root = tempDir('wa-bench-listening-');
  let bridge: Watched | null = null;
  let bare: LinkedPair['bare'] | null = null;
  try {
    const cache = await prepareSimulatorCache(path.join(root, 'bare-cache'));
    bridge = await launchBridge('compiled', path.join(root, 'bridge'));
    const url = await linkBridge(bridge);
    bare = await startBareClient(path.join(root, 'bare'), cache);
    ctx.log('push/history: bridge and bare client linked');
    const pair: LinkedPair = { url, pid: bridge.pid, bare };
    const rows: Row[] = [];
    if (ctx.opts.only.includes('push')) rows.push(...(await pushScenario(ctx, pair)));
    if (ctx.opts.only.includes('history')) rows.push(...(await historyScenario(ctx, pair)));
    return rows;
  } finally {
    await bridge?.stop();
    await bare?.client.destroy();
    removeDir(root);
  }
}
