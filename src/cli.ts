#!/usr/bin/env node
import { startBridge, type BridgeOptions } from './bridge.js';
import { ConfigError, helpText, isLoopbackAddress, loadConfig, type Config } from './core/config.js';
import { describeError } from './core/errors.js';
import { createLogger, type Logger } from './core/logger.js';
import { ListenError } from './server/server.js';
import { isStoreError } from './store/index.js';

/** Headless entry point: `npm run headless` (installed Chrome) or `npm run demo` (simulator). */
async function main(): Promise<void> {
  let config: Config & { help: boolean };
  try {
    config = loadConfig(process.argv.slice(2));
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  if (config.help) {
    process.stdout.write(helpText());
    return;
  }
  const log = createLogger({ level: config.logLevel });
  // whatsapp-web.js lets some page-closed rejections escape from its own event handlers;
  // they must not take the API down with them.
  process.on('unhandledRejection', (reason) => log.warn({ err: describeError(reason) }, 'unhandled rejection (ignored)'));

  if (!isLoopbackAddress(config.host)) {
    log.warn(
      `WHATSAPP_MCP_HOST=${config.host} is not a loopback address: anyone who can reach this machine and learns the token can use your WhatsApp. Use 127.0.0.1 unless you really mean it.`,
    );
  }

  const extra: Partial<BridgeOptions> = config.demo ? await (await import('./demo.js')).demoBridgeOptions(config, log) : {};
  let bridge;
  try {
    bridge = await startBridge({ config, log, ...extra });
  } catch (err) {
    if (err instanceof ListenError) {
      log.error(err.message);
      process.exit(1);
    }
    if (isStoreError(err)) {
      // A damaged, locked or newer store needs a person: say once, plainly, what to do and stop.
      process.stderr.write(`\nThe bridge did not start (${err.code}). ${err.message}\n\n`);
      process.exit(1);
    }
    throw err;
  }
  printBanner(config, bridge.url, bridge.token, log);

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: closing the server and the browser (the link is kept)…`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await bridge.stop().catch((err: unknown) => log.warn({ err: describeError(err) }, 'stop failed'));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

function printBanner(config: Config, url: string, token: string, log: Logger): void {
  const lines = [
    '',
    config.demo ? '  WhatsApp MCP Desktop — DEMO MODE: a built-in WhatsApp Web SIMULATOR, not your real WhatsApp.' : '  WhatsApp MCP Desktop — headless bridge',
    '',
    `  Dashboard  ${url}/?token=${token}`,
    `  REST API   ${url}/api/status`,
    `  MCP        ${url}/mcp`,
    `  Link page  ${url}/qr?token=${token}`,
    `  API token  saved in ${config.token ? '(from WHATSAPP_MCP_TOKEN)' : `${config.dataDir}/api-token`}`,
    '',
    '  Send the token as "Authorization: Bearer <token>". Keep it private: it controls your WhatsApp.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  log.info({ url, dataDir: config.dataDir, authDir: config.authDir }, 'listening');
}

main().catch((err: unknown) => {
  process.stderr.write(`Fatal: ${describeError(err)}\n`);
  process.exit(1);
});
