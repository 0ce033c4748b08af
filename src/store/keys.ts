import { int, json, optInt, text, toJson, type Row } from './columns.js';
import { guarded } from './errors.js';
import { newKeyId } from './ids.js';
import type { Db } from './sqlite.js';

/**
 * A client key as stored: its SHA-256 and first characters, never the key itself. Scopes and
 * policy are the app's to interpret (JSON here). Times are milliseconds since the epoch.
 */
export interface ClientKeyRow {
  /** `key_…` */
  id: string;
  account: string;
  name: string;
  /** SHA-256 of the key, hex. */
  keyHash: string;
  /** The key's first characters, to tell keys apart in a list ("wak_3f9cX1"). */
  keyPrefix: string;
  scopes: string[];
  policy: Record<string, unknown>;
  /** The accounts the key may act on; null: every account. */
  accounts: string[] | null;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface NewClientKey {
  account: string;
  name: string;
  keyHash: string;
  keyPrefix: string;
  scopes: readonly string[];
  policy: Record<string, unknown>;
  accounts?: readonly string[] | null;
}

export interface KeysRepo {
  create(key: NewClientKey): ClientKeyRow;
  /** The key whose hash this is, revoked or not (the caller says which it was). */
  findByHash(keyHash: string): ClientKeyRow | null;
  get(id: string): ClientKeyRow | null;
  /** Oldest first, revoked ones included. */
  list(account: string): ClientKeyRow[];
  /** Sets `revokedAt` (once: revoking again keeps the first time). null when there is no such key. */
  revoke(id: string): ClientKeyRow | null;
  /** Records a use; false when the key is gone or revoked. */
  touch(id: string): boolean;
}

const T = 'client_keys';

function toKey(row: Row): ClientKeyRow {
  return {
    id: text(row, T, 'id'),
    account: text(row, T, 'account'),
    name: text(row, T, 'name'),
    keyHash: text(row, T, 'key_hash'),
    keyPrefix: text(row, T, 'key_prefix'),
    scopes: json(row, T, 'scopes') as string[],
    policy: json(row, T, 'policy') as Record<string, unknown>,
    accounts: row.accounts === null || row.accounts === undefined ? null : (json(row, T, 'accounts') as string[]),
    createdAt: int(row, T, 'created_at'),
    lastUsedAt: optInt(row, T, 'last_used_at'),
    revokedAt: optInt(row, T, 'revoked_at'),
  };
}

export function createKeysRepo(db: Db, file: string, now: () => number): KeysRepo {
  const insert = db.prepare(`
    INSERT INTO client_keys (id, account, name, key_hash, key_prefix, scopes, policy, accounts, created_at)
    VALUES (:id, :account, :name, :key_hash, :key_prefix, :scopes, :policy, :accounts, :now) RETURNING *`);
  const byHash = db.prepare('SELECT * FROM client_keys WHERE key_hash = ?');
  const byId = db.prepare('SELECT * FROM client_keys WHERE id = ?');
  const byAccount = db.prepare('SELECT * FROM client_keys WHERE account = ? ORDER BY seq');
  const revoke = db.prepare('UPDATE client_keys SET revoked_at = coalesce(revoked_at, :now) WHERE id = :id RETURNING *');
  const touch = db.prepare('UPDATE client_keys SET last_used_at = :now WHERE id = :id AND revoked_at IS NULL');

  return {
    create: (k) =>
      guarded(file, () => {
        const t = now();
        const row = insert.get({
          id: newKeyId(t),
          account: k.account,
          name: k.name,
          key_hash: k.keyHash,
          key_prefix: k.keyPrefix,
          scopes: toJson([...k.scopes], 'scopes'),
          policy: toJson(k.policy, 'policy'),
          accounts: k.accounts ? toJson([...k.accounts], 'accounts') : null,
          now: t,
        });
        if (!row) throw new Error('client key insert returned no row');
        return toKey(row);
      }),

    findByHash: (keyHash) =>
      guarded(file, () => {
        const row = byHash.get(keyHash);
        return row ? toKey(row) : null;
      }),

    get: (id) =>
      guarded(file, () => {
        const row = byId.get(id);
        return row ? toKey(row) : null;
      }),

    list: (account) => guarded(file, () => byAccount.all(account).map(toKey)),

    revoke: (id) =>
      guarded(file, () => {
        const row = revoke.get({ id, now: now() });
        return row ? toKey(row) : null;
      }),

    touch: (id) => guarded(file, () => Number(touch.run({ id, now: now() }).changes) > 0),
  };
}
