import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The client keys the stdio entry obtained for each MCP client (`--client cursor`), kept in
 * the data dir (0600, owner only, like api-token): the bridge stores keys hashed and shows
 * each once, so this file is where the stdio entry finds "its" key the next time the client
 * starts it. No key ever goes into a client's configuration.
 */
export const CLIENT_KEYS_FILE = 'client-keys.json';

/** A client's name on the command line: lower-case letters, digits and dashes. */
export const CLIENT_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

export interface StoredClientKey {
  /** The key's id at the bridge (for revoking it). */
  id: string;
  key: string;
  /** The key's name as the window lists it. */
  name: string;
}

function readAll(dataDir: string): Record<string, StoredClientKey> {
  try {
    const parsed = JSON.parse(readFileSync(path.join(dataDir, CLIENT_KEYS_FILE), 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, StoredClientKey>) : {};
  } catch {
    return {};
  }
}

export function readClientKey(dataDir: string, client: string): StoredClientKey | null {
  const found = readAll(dataDir)[client];
  return found && typeof found.key === 'string' && typeof found.id === 'string' ? found : null;
}

/** Written whole to a temporary file and renamed over the old one: never half a file. */
export function saveClientKey(dataDir: string, client: string, entry: StoredClientKey): void {
  const all = { ...readAll(dataDir), [client]: entry };
  const file = path.join(dataDir, CLIENT_KEYS_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}
