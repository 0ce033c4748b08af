import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';

export const APP_DIR_NAME = 'whatsapp-mcp-desktop';
export const DEFAULT_PORT = 8790;

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  authDir: string;
  /** null: auto-detect an installed Chrome, Chromium or Edge. */
  chromeExecutable: string | null;
  headless: boolean;
  /** null: read or generate `<dataDir>/api-token`. */
  token: string | null;
  demo: boolean;
  logLevel: string;
  /** Outgoing messages allowed per minute, on average, for the whole account. */
  sendPerMinute: number;
  /** How many may go out at once before the pace applies. */
  sendBurst: number;
  /** Folders whose files may be sent by path; none by default. */
  mediaDirs: string[];
  /** How long a send held for approval waits for a person before it is canceled. */
  approvalTimeoutSeconds?: number;
  /** The history import on the first link: the most recent chats (0: none) and messages per chat; absent: the defaults. */
  historyChats?: number;
  historyMessages?: number;
}

export const DEFAULT_SEND_PER_MINUTE = 30;
export const DEFAULT_SEND_BURST = 10;
export const DEFAULT_APPROVAL_TIMEOUT_SECONDS = 600;
export const DEFAULT_HISTORY_CHATS = 20;
export const DEFAULT_HISTORY_MESSAGES = 200;

/** The OS's per-user application-data folder (what Electron calls `appData`). */
export function appDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  const home = env.HOME ?? env.USERPROFILE ?? os.homedir();
  if (platform === 'win32') return env.APPDATA ?? path.join(home, 'AppData', 'Roaming');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support');
  return env.XDG_CONFIG_HOME ?? path.join(home, '.config');
}

export const OPTIONS = {
  host: { type: 'string', env: 'WHATSAPP_MCP_HOST', help: 'listen address (default 127.0.0.1; anything but loopback exposes your WhatsApp)' },
  port: { type: 'string', env: 'WHATSAPP_MCP_PORT', help: `listen port (default ${DEFAULT_PORT})` },
  'data-dir': { type: 'string', env: 'WHATSAPP_DATA_DIR', help: `token, session and caches (default <app data>/${APP_DIR_NAME})` },
  'auth-dir': { type: 'string', env: 'WHATSAPP_AUTH_DIR', help: 'the linked-device session (default <data dir>/session)' },
  chrome: { type: 'string', env: 'WHATSAPP_CHROME_EXECUTABLE', help: 'Chrome/Chromium/Edge executable (default: auto-detected)' },
  headless: { type: 'string', env: 'WHATSAPP_HEADLESS', help: 'true|false; false shows the browser window (default true)' },
  token: { type: 'string', env: 'WHATSAPP_MCP_TOKEN', help: 'API token (default: generated once, saved in <data dir>/api-token)' },
  demo: { type: 'boolean', env: 'WHATSAPP_DEMO', help: 'run against the built-in WhatsApp Web simulator (no phone, offline)' },
  'log-level': { type: 'string', env: 'LOG_LEVEL', help: 'fatal|error|warn|info|debug|trace|silent (default info)' },
  'send-per-minute': { type: 'string', env: 'WHATSAPP_SEND_PER_MINUTE', help: `outgoing messages per minute, on average (default ${DEFAULT_SEND_PER_MINUTE})` },
  'send-burst': { type: 'string', env: 'WHATSAPP_SEND_BURST', help: `messages that may go out at once before pacing (default ${DEFAULT_SEND_BURST})` },
  'media-dirs': {
    type: 'string',
    env: 'WHATSAPP_MEDIA_DIRS',
    help: `folders whose files may be sent by path, separated by "${path.delimiter}" (default: none)`,
  },
  'approval-timeout': {
    type: 'string',
    env: 'WHATSAPP_APPROVAL_TIMEOUT',
    help: `seconds a send held for approval waits for a person before it is canceled (default ${DEFAULT_APPROVAL_TIMEOUT_SECONDS})`,
  },
  'history-chats': { type: 'string', env: 'WHATSAPP_HISTORY_CHATS', help: `recent chats whose history is imported after the first link (default ${DEFAULT_HISTORY_CHATS}; 0: none)` },
  'history-messages': { type: 'string', env: 'WHATSAPP_HISTORY_MESSAGES', help: `messages imported per chat after the first link (default ${DEFAULT_HISTORY_MESSAGES})` },
  help: { type: 'boolean', env: null, help: 'show this help' },
} as const;

const bool = (name: string) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .refine((v) => ['true', 'false', '1', '0', 'yes', 'no'].includes(v), `${name} must be true or false`)
    .transform((v) => ['true', '1', 'yes'].includes(v));

const raw = z.object({
  host: z.string().trim().min(1, 'WHATSAPP_MCP_HOST must not be empty').default('127.0.0.1'),
  port: z.coerce
    .number({ error: 'WHATSAPP_MCP_PORT must be a number' })
    .int('WHATSAPP_MCP_PORT must be a whole number')
    .min(0, 'WHATSAPP_MCP_PORT must be 0-65535')
    .max(65535, 'WHATSAPP_MCP_PORT must be 0-65535')
    .default(DEFAULT_PORT),
  'data-dir': z.string().min(1).optional(),
  'auth-dir': z.string().min(1).optional(),
  chrome: z.string().min(1).optional(),
  headless: bool('WHATSAPP_HEADLESS').default(true),
  token: z.string().min(16, 'WHATSAPP_MCP_TOKEN must be at least 16 characters').optional(),
  demo: z.union([z.boolean(), bool('WHATSAPP_DEMO')]).default(false),
  'log-level': z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  'send-per-minute': z.coerce
    .number({ error: 'WHATSAPP_SEND_PER_MINUTE must be a number' })
    .positive('WHATSAPP_SEND_PER_MINUTE must be more than 0')
    .max(6000, 'WHATSAPP_SEND_PER_MINUTE must be at most 6000')
    .default(DEFAULT_SEND_PER_MINUTE),
  'send-burst': z.coerce
    .number({ error: 'WHATSAPP_SEND_BURST must be a number' })
    .int('WHATSAPP_SEND_BURST must be a whole number')
    .min(1, 'WHATSAPP_SEND_BURST must be at least 1')
    .max(10000, 'WHATSAPP_SEND_BURST must be at most 10000')
    .default(DEFAULT_SEND_BURST),
  'media-dirs': z.string().optional(),
  'approval-timeout': z.coerce
    .number({ error: 'WHATSAPP_APPROVAL_TIMEOUT must be a number of seconds' })
    .int('WHATSAPP_APPROVAL_TIMEOUT must be a whole number of seconds')
    .min(1, 'WHATSAPP_APPROVAL_TIMEOUT must be at least 1 second')
    .max(7 * 24 * 3600, 'WHATSAPP_APPROVAL_TIMEOUT must be at most 604800 (a week)')
    .default(DEFAULT_APPROVAL_TIMEOUT_SECONDS),
  'history-chats': z.coerce
    .number({ error: 'WHATSAPP_HISTORY_CHATS must be a number' })
    .int('WHATSAPP_HISTORY_CHATS must be a whole number')
    .min(0, 'WHATSAPP_HISTORY_CHATS must be 0-200')
    .max(200, 'WHATSAPP_HISTORY_CHATS must be 0-200')
    .default(DEFAULT_HISTORY_CHATS),
  'history-messages': z.coerce
    .number({ error: 'WHATSAPP_HISTORY_MESSAGES must be a number' })
    .int('WHATSAPP_HISTORY_MESSAGES must be a whole number')
    .min(1, 'WHATSAPP_HISTORY_MESSAGES must be 1-5000')
    .max(5000, 'WHATSAPP_HISTORY_MESSAGES must be 1-5000')
    .default(DEFAULT_HISTORY_MESSAGES),
});

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** CLI flags override environment variables, which override the defaults. */
export function loadConfig(argv: string[] = [], env: NodeJS.ProcessEnv = process.env): Config & { help: boolean } {
  let flags: Record<string, string | boolean | undefined>;
  try {
    const parsed = parseArgs({
      args: argv,
      options: Object.fromEntries(Object.entries(OPTIONS).map(([k, v]) => [k, { type: v.type }])),
      strict: true,
      allowPositionals: false,
    });
    flags = parsed.values as Record<string, string | boolean | undefined>;
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}. Run with --help to see the options.`);
  }
  const merged: Record<string, unknown> = {};
  for (const [name, opt] of Object.entries(OPTIONS)) {
    const fromEnv = opt.env ? env[opt.env] : undefined;
    merged[name] = flags[name] ?? (fromEnv === '' ? undefined : fromEnv);
  }
  const result = raw.safeParse(merged);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => i.message).join('; '));
  }
  const v = result.data;
  // The demo keeps its own token and simulated session away from a real linked account.
  const defaultDataDir = path.join(appDataDir(process.platform, env), APP_DIR_NAME, ...(v.demo ? ['demo'] : []));
  const dataDir = path.resolve(v['data-dir'] ?? defaultDataDir);
  return {
    host: v.host,
    port: v.port,
    dataDir,
    authDir: path.resolve(v['auth-dir'] ?? path.join(dataDir, 'session')),
    chromeExecutable: v.chrome ? path.resolve(v.chrome) : null,
    headless: v.headless,
    token: v.token ?? null,
    demo: v.demo,
    logLevel: v['log-level'],
    sendPerMinute: v['send-per-minute'],
    sendBurst: v['send-burst'],
    mediaDirs: (v['media-dirs'] ?? '')
      .split(path.delimiter)
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => path.resolve(d)),
    approvalTimeoutSeconds: v['approval-timeout'],
    historyChats: v['history-chats'],
    historyMessages: v['history-messages'],
    help: Boolean(flags.help),
  };
}

export function helpText(): string {
  const lines = Object.entries(OPTIONS).map(([name, o]) => {
    const flag = `--${name}${o.type === 'string' ? ' <value>' : ''}`;
    return `  ${flag.padEnd(22)} ${o.env ? `[${o.env}] `.padEnd(31) : ''.padEnd(31)}${o.help}`;
  });
  return [
    'WhatsApp MCP Desktop — headless bridge',
    '',
    'Usage: npm run headless -- [options]      (or: npm run demo)',
    '',
    'Options (flags override the environment variables in brackets):',
    ...lines,
    '',
  ].join('\n');
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLoopbackAddress(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(host);
}
