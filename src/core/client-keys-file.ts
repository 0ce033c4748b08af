import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The client keys the stdio entry obtained for each MCP client (`--client cursor`), kept in
 * the data dir (0600, owner only, like api-token): the bridge stores keys hashed and shows
 * each once, so this file is where the stdio entry finds "its" key the next time the client
 * starts it. No key ever goes into a client's configuration.
 *
 * One key per client and account: the key a client got for the default account is under the
 * client's name (`"cursor"`, as before there were accounts), the one for another account under
 * `"<client>@<account>"` (`"cursor@work"`). A key is limited to its account, so an entry
 * started with another `--account` never reuses it: it gets (or finds) that account's own.
 */
export const CLIENT_KEYS_FILE = 'client-keys.json';

/** A client's name on the command line: lower-case letters, digits and dashes. */
export const CLIENT_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** The default account's id (app/context's DEFAULT_ACCOUNT; core does not import app). */
const DEFAULT_ACCOUNT = 'default';

export interface StoredClientKey {
  /** The key's id at the bridge (for revoking it). */
  id: string;
  key: string;
  /** The key's name as the window lists it. */
  name: string;
}

/** Where a client's key for an account is kept in the file. */
export function clientKeyEntry(client: string, account: string = DEFAULT_ACCOUNT): string {
  return account === DEFAULT_ACCOUNT ? client : `${client}@${account}`;
}

function readAll(dataDir: string): Record<string, StoredClientKey> {
  try {
    const parsed = JSON.parse(readFileSync(path.join(dataDir, CLIENT_KEYS_FILE), 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, StoredClientKey>) : {};
  } catch {
    return {};
  }
}

export function readClientKey(dataDir: string, client: string, account?: string): StoredClientKey | null {
  const found = readAll(dataDir)[clientKeyEntry(client, account)];
  return found && typeof found.key === 'string' && typeof found.id === 'string' ? found : null;
}

/** Written whole to a temporary file and renamed over the old one: never half a file. */
export function saveClientKey(dataDir: string, client: string, entry: StoredClientKey, account?: string): void {
  const all = { ...readAll(dataDir), [clientKeyEntry(client, account)]: entry };
  const file = path.join(dataDir, CLIENT_KEYS_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}
