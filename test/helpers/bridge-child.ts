/**
 * The real bridge in its own process, for the tests that `kill -9` it. It starts exactly what
 * `npm run demo` starts (the configuration from the environment, `startBridge` with the demo
 * options) and adds two things: an IPC channel to the simulator's controls that have no REST
 * route (holding sends in flight) and to the browser's pid; and, from BRIDGE_CHILD_WEBHOOKS
 * (JSON, see webhookTimingEnv in crash-bridge.ts), the webhook dispatcher's timing, so that a
 * test outlasts a receiver's outage in seconds, not the product's 32 h of retries. Run with
 * `fork(…, { execArgv: ['--import', 'tsx'] })`; it never exits by itself: the parent kills it.
 */
import { startBridge, type BridgeOptions } from '../../src/bridge.js';
import { describeError } from '../../src/core/errors.js';
import { loadConfig } from '../../src/core/config.js';
import { createLogger } from '../../src/core/logger.js';
import { demoBridgeOptions } from '../../src/demo.js';
import { SimulatorControl } from '../../src/whatsapp/simulator/index.js';

export type ChildRequest = { seq: number; op: 'holdSends' | 'releaseSends' | 'heldSend' | 'browserPid' };
export type ChildMessage = { type: 'listening'; url: string } | { type: 'reply'; seq: number; value?: unknown; error?: string };

const send = (m: ChildMessage): void => void process.send!(m);

async function main(): Promise<void> {
  const config = loadConfig(['--demo']);
  const log = createLogger({ level: config.logLevel });
  // Like the CLI: whatsapp-web.js lets page-closed rejections escape from its own handlers.
  process.on('unhandledRejection', (reason) => log.warn({ err: describeError(reason) }, 'unhandled rejection (ignored)'));
  const timing = process.env.BRIDGE_CHILD_WEBHOOKS;
  const webhooks = timing ? (JSON.parse(timing) as BridgeOptions['webhooks']) : undefined;
  const bridge = await startBridge({ config, log, ...(await demoBridgeOptions(config, log)), ...(webhooks ? { webhooks } : {}) });
  const sim = (): SimulatorControl => {
    const page = bridge.session.page;
    if (!page) throw new Error('no WhatsApp page');
    return new SimulatorControl(page);
  };
  process.on('message', (req: ChildRequest) => {
    const run = async (): Promise<unknown> => {
      switch (req.op) {
        case 'holdSends':
          return sim().holdSends();
        case 'releaseSends':
          return sim().releaseSends();
        case 'heldSend':
          return sim().heldSend();
        case 'browserPid':
          return bridge.session.page?.browser().process()?.pid ?? null;
      }
    };
    run().then(
      (value) => send({ type: 'reply', seq: req.seq, value }),
      (err: unknown) => send({ type: 'reply', seq: req.seq, error: describeError(err) }),
    );
  });
  send({ type: 'listening', url: bridge.url });
}

main().catch((err: unknown) => {
  process.stderr.write(`bridge-child: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
