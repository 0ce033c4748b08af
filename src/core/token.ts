import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makePrivateDir, PRIVATE_DIR_MODE } from './private-dir.js';

export const TOKEN_FILE = 'api-token';

/**
 * The API token: from configuration if given, else the one saved in the data dir, else a
 * new random one saved there readable by the owner only.
 */
export function loadOrCreateToken(dataDir: string, configured: string | null): string {
  if (configured) return configured;
  const file = path.join(dataDir, TOKEN_FILE);
  try {
    const saved = readFileSync(file, 'utf8').trim();
    if (saved.length >= 16) {
      // Older copies or a restore from backup may have lost the owner-only mode. The
      // directory is tightened too: the demo used to create it 0755. It holds our token,
      // so it is the bridge's data dir, not some folder of the user's.
      if (process.platform !== 'win32') {
        chmodSync(file, 0o600);
        chmodSync(dataDir, PRIVATE_DIR_MODE);
      }
      return saved;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  makePrivateDir(dataDir);
  const token = randomBytes(32).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

/**
 * A constant-time check against the token, so it cannot be guessed byte by byte from
 * timings. The expected side is hashed once: this runs on every request.
 */
export function tokenChecker(expected: string): (given: string | undefined | null) => boolean {
  const want = createHash('sha256').update(expected).digest();
  return (given) => typeof given === 'string' && given.length > 0 && timingSafeEqual(want, createHash('sha256').update(given).digest());
}
