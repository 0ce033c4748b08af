import { OPTIONS } from '../../src/core/config.js';

export const BENCH_TOKEN = 'bench-token-0123456789abcdef';
export const CHROME = process.env.WHATSAPP_CHROME_EXECUTABLE ?? '/usr/bin/chromium';

/**
 * CLI flags for a demo bridge on a free port. Sends are paced to protect the account; the
 * benchmark lifts the pace to its maximum so that it measures the bridge, not the pace.
 */
export function bridgeFlags(dataDir: string, logLevel: string): string[] {
  const flags = ['--demo', '--port', '0', '--data-dir', dataDir, '--chrome', CHROME, '--token', BENCH_TOKEN, '--log-level', logLevel];
  if ('send-per-minute' in OPTIONS) flags.push('--send-per-minute', '6000');
  if ('send-burst' in OPTIONS) flags.push('--send-burst', '10000');
  return flags;
}
