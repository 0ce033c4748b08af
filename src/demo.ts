import path from 'node:path';
import type { BridgeOptions } from './bridge.js';
import type { Config } from './core/config.js';
import type { Logger } from './core/logger.js';
import { makePrivateDir } from './core/private-dir.js';
import { simulatorRoutes } from './server/routes/simulator.js';
import { AppError } from './core/errors.js';
import { prepareSimulatorCache, SimulatorControl } from './whatsapp/simulator/index.js';
import { linkPhone } from './whatsapp/simulator/refusals.js';

/**
 * Demo mode: whatsapp-web.js runs unchanged, but its WhatsApp Web is the built-in
 * simulator page, and the simulator's controls appear under /api/simulator/.
 */
export async function demoBridgeOptions(config: Config, log: Logger): Promise<Partial<BridgeOptions>> {
  // The simulator's page is the first thing written to a new demo data dir.
  makePrivateDir(config.dataDir);
  const cacheDir = path.join(config.dataDir, 'simulator');
  const webVersion = await prepareSimulatorCache(cacheDir);
  log.warn('DEMO MODE: WhatsApp Web is a local simulator; nothing reaches WhatsApp and no real account is used.');
  return {
    webVersion,
    demo: (session) => ({
      routes: [simulatorRoutes(session, { cacheDir })],
      linkPhone: async () => {
        const page = session.page;
        if (!page) throw new AppError('WA_NOT_STARTED', 'The simulator is not running: log in first.');
        await linkPhone(new SimulatorControl(page));
      },
    }),
  };
}
