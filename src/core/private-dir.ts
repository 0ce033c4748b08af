import { mkdirSync } from 'node:fs';

/**
 * Every directory the bridge keeps data in (the API token, the linked WhatsApp session,
 * the browser profile) is the owner's only, like the token file itself.
 */
export const PRIVATE_DIR_MODE = 0o700;

/** Creates `dir` and each missing parent owner-only; an existing directory keeps its mode. */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}
