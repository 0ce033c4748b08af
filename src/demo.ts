import type { BridgeOptions } from './bridge.js';
import type { Config } from './core/config.js';
import type { Logger } from './core/logger.js';

/** Filled in by the simulator work: wires the WhatsApp Web simulator into the bridge. */
export async function demoBridgeOptions(_config: Config, _log: Logger): Promise<Partial<BridgeOptions>> {
  throw new Error('Demo mode is not available yet.');
}
