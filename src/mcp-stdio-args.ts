import { parseArgs } from 'node:util';
import { ACCOUNT_ID, ACCOUNT_ID_RULE } from './app/schemas/accounts.js';
import { CLIENT_ID } from './core/client-keys-file.js';
import { ConfigError } from './core/config.js';

/** The environment variable that names the account when the client's configuration cannot pass --account. */
export const ACCOUNT_ENV = 'WHATSAPP_MCP_ACCOUNT';

export interface EntryFlags {
  client: string | null;
  newKey: boolean;
  /** The account the entry is bound to (`/mcp/<account>`); null: the default account over `/mcp`. */
  account: string | null;
  /** The bridge's own configuration flags (--demo, --data-dir…). */
  rest: string[];
}

const OWN = new Set(['client', 'new-key', 'account']);
const TAKES_VALUE = new Set(['client', 'account']);

/** The entry's own flags, taken out before the bridge's configuration flags are read. */
export function entryFlags(argv: string[], env: NodeJS.ProcessEnv = {}): EntryFlags {
  const { values, tokens } = parseArgs({
    args: argv,
    options: { client: { type: 'string' }, 'new-key': { type: 'boolean' }, account: { type: 'string' } },
    strict: false,
    tokens: true,
  });
  const ours = new Set<number>();
  for (const t of tokens ?? []) {
    if (t.kind === 'option' && OWN.has(t.name)) {
      ours.add(t.index);
      if (TAKES_VALUE.has(t.name) && !t.inlineValue) ours.add(t.index + 1);
    }
  }
  const client = typeof values.client === 'string' ? values.client : null;
  if (client !== null && !CLIENT_ID.test(client)) throw new ConfigError(`--client must be a short name of lower-case letters, digits and dashes (e.g. cursor), not "${client}"`);
  return { client, newKey: values['new-key'] === true, account: accountOf(values.account, env), rest: argv.filter((_, i) => !ours.has(i)) };
}

/** --account wins over WHATSAPP_MCP_ACCOUNT; an empty variable is no account. */
function accountOf(flag: string | boolean | undefined, env: NodeJS.ProcessEnv): string | null {
  if (flag === true) throw new ConfigError('--account needs an account id, e.g. --account work');
  const fromEnv = env[ACCOUNT_ENV]?.trim() || null;
  const [account, source] = typeof flag === 'string' ? [flag, '--account'] : [fromEnv, ACCOUNT_ENV];
  if (account !== null && !ACCOUNT_ID.test(account)) throw new ConfigError(`${source} "${account}" is not an account id: ${ACCOUNT_ID_RULE}`);
  return account;
}
