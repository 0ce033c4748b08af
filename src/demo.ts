import path from 'node:path';
import { accountDir } from './account-runtimes.js';
import type { BridgeOptions, DemoHooks } from './bridge.js';
import type { Config } from './core/config.js';
import type { Logger } from './core/logger.js';
import { makePrivateDir } from './core/private-dir.js';
import { simulatorRoutes } from './server/routes/simulator.js';
import { AppError } from './core/errors.js';
import type { AccountRow } from './store/index.js';
import { prepareSimulatorCache, SimulatorControl, type SimulatedPhone } from './whatsapp/simulator/index.js';
import { SimulatorNetwork } from './whatsapp/simulator/network.js';
import { linkPhone } from './whatsapp/simulator/refusals.js';
import type { WwebjsSession } from './whatsapp/wwebjs-session.js';

/** The default account's simulated phone (the simulator's own default). */
export const DEFAULT_SIM_PHONE = { user: '15550100100', pushname: 'Sim Phone' };

/**
 * Each account's simulated phone: the default account keeps the simulator's phone, the others
 * get a number of their own from their place in the registry (the 2nd account 15550200002, …)
 * and their display name.
 */
export function simulatedPhoneOf(account: AccountRow): Required<Pick<SimulatedPhone, 'user' | 'pushname'>> {
  if (account.id === 'default') return DEFAULT_SIM_PHONE;
  return { user: `1555020${String(account.seq).padStart(4, '0')}`, pushname: account.name };
}

/**
 * Demo mode: whatsapp-web.js runs unchanged, but its WhatsApp Web is the built-in
 * simulator page, and the simulator's controls appear under /api/simulator/. Each account
 * has its own simulator page (its own phone), and the phones can message each other.
 */
export async function demoBridgeOptions(config: Config, log: Logger): Promise<Partial<BridgeOptions>> {
  // The simulator's page is the first thing written to a new demo data dir.
  makePrivateDir(config.dataDir);
  const cacheDirOf = (account: string): string => (account === 'default' ? path.join(config.dataDir, 'simulator') : path.join(accountDir(config.dataDir, account), 'simulator'));
  const webVersion = await prepareSimulatorCache(cacheDirOf('default'));
  const network = new SimulatorNetwork(log.child({ module: 'simulator' }));
  log.warn('DEMO MODE: WhatsApp Web is a local simulator; nothing reaches WhatsApp and no real account is used.');
  return {
    webVersion,
    webVersionFor: (account) => prepareSimulatorCache(cacheDirOf(account.id)),
    demo: (session: WwebjsSession, account: AccountRow): DemoHooks => {
      const cacheDir = cacheDirOf(account.id);
      const phone = simulatedPhoneOf(account);
      network.join({ phone, session, cacheDir });
      const own = account.id === 'default' ? undefined : phone;
      return {
        routes: [simulatorRoutes(session, { cacheDir, ...(own ? { phone: own } : {}) })],
        linkPhone: async () => {
          const page = session.page;
          if (!page) throw new AppError('WA_NOT_STARTED', 'The simulator is not running: log in first.');
          await linkPhone(new SimulatorControl(page), own);
        },
      };
    },
  };
}
