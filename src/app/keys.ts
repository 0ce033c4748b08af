import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { normalizePhone, phoneToChatId } from '../core/phone.js';
import type { ClientKeyRow, Store } from '../store/index.js';
import { SCOPES, type Client, type Scope, type SendPolicy } from './context.js';
import { GROUP_ID } from './schemas/common.js';
import { KEY_DEFAULTS, type CreateKeyInput, type KeyView } from './schemas/keys.js';
import { policyLooserThan } from './key-policy.js';

/** `wak_` + base64url of 32 random bytes (43 characters): 256 bits, so a plain SHA-256 is a safe hash. */
export const CLIENT_KEY = /^wak_[A-Za-z0-9_-]{43}$/;
const PREFIX_CHARS = 10;
/** last_used_at is written at most this often per key: a write per request would cost more than it tells. */
const TOUCH_EVERY_MS = 60_000;

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');
export const newClientKey = (): string => `wak_${randomBytes(32).toString('base64url')}`;

/** A presented credential that is a client key: who it is, or that it was revoked. */
export type KeyAuth = { client: Client } | { revoked: true; name: string } | null;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function policyOf(row: ClientKeyRow): SendPolicy {
  const p = row.policy as Partial<SendPolicy>;
  return {
    recipients: p.recipients ?? KEY_DEFAULTS.recipients,
    allowlist: p.allowlist ?? [],
    replyWindowHours: p.replyWindowHours ?? KEY_DEFAULTS.replyWindowHours,
    approve: p.approve ?? KEY_DEFAULTS.approve,
    quarantine: p.quarantine ?? KEY_DEFAULTS.quarantine,
    maxNewRecipientsPerDay: p.maxNewRecipientsPerDay === undefined ? KEY_DEFAULTS.maxNewRecipientsPerDay : p.maxNewRecipientsPerDay,
    maxPerChatPerMinute: p.maxPerChatPerMinute === undefined ? KEY_DEFAULTS.maxPerChatPerMinute : p.maxPerChatPerMinute,
  };
}

/** Scopes as stored, in the canonical order; anything unknown is dropped (never widened). */
function scopesOf(row: ClientKeyRow): Scope[] {
  return SCOPES.filter((s) => row.scopes.includes(s));
}

export function keyView(row: ClientKeyRow): KeyView {
  const p = policyOf(row);
  return {
    id: row.id,
    name: row.name,
    key_prefix: row.keyPrefix,
    scopes: scopesOf(row),
    recipients: p.recipients,
    allowlist: p.allowlist,
    reply_window_hours: p.replyWindowHours,
    approve: p.approve,
    quarantine: p.quarantine,
    max_new_recipients_per_day: p.maxNewRecipientsPerDay,
    max_messages_per_chat_per_minute: p.maxPerChatPerMinute,
    accounts: row.accounts,
    created_at: iso(row.createdAt)!,
    last_used_at: iso(row.lastUsedAt),
    revoked_at: iso(row.revokedAt),
  };
}

export const keyClient = (row: ClientKeyRow): Client => ({
  kind: 'key',
  id: row.id,
  name: row.name,
  scopes: scopesOf(row),
  policy: policyOf(row),
  ...(row.accounts ? { accounts: row.accounts } : {}),
});

/** Phone numbers by the strict rules (refused, never cleaned) → chat ids; group ids as they are. */
function allowlistChatIds(entries: readonly string[]): string[] {
  const ids = entries.map((entry, i) => {
    if (entry.endsWith('@g.us')) {
      if (!GROUP_ID.test(entry)) throw new AppError('VALIDATION_ERROR', `allowlist[${i}] "${entry}" is not a group id: they look like "120363012345678901@g.us" (see the list of groups)`, { fields: [`allowlist[${i}]`] });
      return entry;
    }
    return phoneToChatId(normalizePhone(entry, `allowlist[${i}]`));
  });
  return [...new Set(ids)];
}

/** The policy a creation asks for, defaults filled in; refuses settings that would do nothing. */
export function requestedPolicy(input: CreateKeyInput): SendPolicy {
  const recipients = input.recipients ?? KEY_DEFAULTS.recipients;
  if (recipients === 'allowlist' && !input.allowlist?.length) {
    throw new AppError('VALIDATION_ERROR', 'recipients "allowlist" needs allowlist: a non-empty list of phone numbers or group ids the key may write to', { fields: ['allowlist'] });
  }
  if (recipients !== 'allowlist' && input.allowlist !== undefined) {
    throw new AppError('VALIDATION_ERROR', `allowlist applies only with recipients "allowlist" (this key has "${recipients}"): set recipients to "allowlist" or leave allowlist out`, { fields: ['allowlist'] });
  }
  if (recipients !== 'reply_only' && input.reply_window_hours !== undefined) {
    throw new AppError('VALIDATION_ERROR', `reply_window_hours applies only with recipients "reply_only" (this key has "${recipients}"): leave it out`, { fields: ['reply_window_hours'] });
  }
  return {
    recipients,
    allowlist: recipients === 'allowlist' ? allowlistChatIds(input.allowlist ?? []) : [],
    replyWindowHours: input.reply_window_hours ?? KEY_DEFAULTS.replyWindowHours,
    approve: input.approve ?? KEY_DEFAULTS.approve,
    quarantine: input.quarantine ?? KEY_DEFAULTS.quarantine,
    maxNewRecipientsPerDay: input.max_new_recipients_per_day === undefined ? KEY_DEFAULTS.maxNewRecipientsPerDay : input.max_new_recipients_per_day,
    maxPerChatPerMinute: input.max_messages_per_chat_per_minute === undefined ? KEY_DEFAULTS.maxPerChatPerMinute : input.max_messages_per_chat_per_minute,
  };
}

export interface KeysOptions {
  account: string;
  store: Store;
  /** Whether an account of the registry has this id (keys limited to accounts name existing ones). */
  accountExists?: (id: string) => boolean;
  log: Logger;
  now?: () => number;
}

/**
 * Client keys (issue 12): named credentials with scopes and a send policy. The key itself is
 * shown once, at creation; the store keeps its SHA-256. Revoking takes effect on the next
 * request, and the transports close the key's open streams and MCP sessions (`onRevoked`).
 */
export class Keys {
  private readonly revokedListeners = new Set<(id: string) => void>();
  private readonly touched = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly opts: KeysOptions) {
    this.now = opts.now ?? Date.now;
  }

  /**
   * A key created by another key holds at most its creator's scopes and, when it can send,
   * a policy no looser than its creator's: otherwise an admin key could mint its way out of
   * its own limits.
   */
  create(creator: Client, input: CreateKeyInput): KeyView & { key: string } {
    const scopes = SCOPES.filter((s) => (input.scopes ?? KEY_DEFAULTS.scopes).includes(s));
    const policy = requestedPolicy(input);
    if (creator.kind === 'key') {
      const missing = scopes.filter((s) => !creator.scopes?.includes(s));
      if (missing.length) {
        throw new AppError('FORBIDDEN_SCOPE', `This key lacks the ${missing.join(', ')} scope${missing.length > 1 ? 's' : ''}, so it cannot give ${missing.length > 1 ? 'them' : 'it'} to a new key: ask the owner for that key.`, { fields: ['scopes'] });
      }
      const looser = scopes.includes('send') && creator.policy ? policyLooserThan(policy, creator.policy) : null;
      if (looser) throw new AppError('FORBIDDEN_SCOPE', `A key can only create keys whose send policy is as strict as its own: ${looser.why}. Ask the owner for that key.`, { fields: [looser.field] });
    }
    const accounts = this.requestedAccounts(creator, input.accounts);
    const name = input.name;
    const taken = this.opts.store.keys.list(this.opts.account).some((k) => k.revokedAt === null && k.name.toLowerCase() === name.toLowerCase());
    if (taken) throw new AppError('KEY_NAME_TAKEN', `An active key is already named "${name}": choose another name, or revoke that key first.`, { fields: ['name'] });
    const key = newClientKey();
    const row = this.opts.store.keys.create({
      account: this.opts.account,
      name,
      keyHash: hashKey(key),
      keyPrefix: key.slice(0, PREFIX_CHARS),
      scopes,
      policy: { ...policy },
      accounts,
    });
    this.opts.log.info({ keyId: row.id, name, scopes }, 'client key created');
    return { ...keyView(row), key };
  }

  /**
   * The accounts a new key is limited to (null: every one). Each must exist; a key limited
   * to accounts creates keys limited to some of them, never wider.
   */
  private requestedAccounts(creator: Client, requested: readonly string[] | undefined): string[] | null {
    const accounts = requested ? [...new Set(requested)] : null;
    accounts?.forEach((id, i) => {
      if (this.opts.accountExists && !this.opts.accountExists(id)) {
        throw new AppError('ACCOUNT_NOT_FOUND', `accounts[${i}]: there is no account "${id}": list the accounts to see their ids, or create that account first.`, { fields: [`accounts[${i}]`] });
      }
    });
    const limit = creator.kind === 'key' ? creator.accounts : undefined;
    if (!limit) return accounts;
    const wider = (accounts ?? ['(every account)']).filter((id) => !limit.includes(id));
    if (wider.length) {
      throw new AppError('ACCOUNT_FORBIDDEN', `This key is limited to the accounts ${limit.join(', ')}, so it cannot create a key for ${wider.join(', ')}: list some of its own accounts in "accounts", or ask the owner.`, { fields: ['accounts'] });
    }
    return accounts;
  }

  list(): KeyView[] {
    return this.opts.store.keys.list(this.opts.account).map(keyView);
  }

  get(id: string): KeyView {
    return keyView(this.find(id));
  }

  /** Revoking twice keeps the first time. The key's open streams and sessions are closed by the listeners. */
  revoke(id: string): KeyView {
    this.find(id);
    const row = this.opts.store.keys.revoke(id);
    if (!row) throw notFound(id);
    this.touched.delete(id);
    this.opts.log.info({ keyId: id, name: row.name }, 'client key revoked');
    for (const listener of this.revokedListeners) listener(id);
    return keyView(row);
  }

  /** Called with the key id whenever a key is revoked; returns the unsubscribe. */
  onRevoked(listener: (id: string) => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  /**
   * The client behind a presented credential, if it is an active key of this account. A
   * lookup by hash: 256-bit keys make timing attacks on it pointless.
   */
  authenticate(presented: string): KeyAuth {
    if (!CLIENT_KEY.test(presented)) return null;
    const row = this.opts.store.keys.findByHash(hashKey(presented));
    if (!row || row.account !== this.opts.account) return null;
    if (row.revokedAt !== null) return { revoked: true, name: row.name };
    const now = this.now();
    if (now - (this.touched.get(row.id) ?? 0) >= TOUCH_EVERY_MS) {
      this.touched.set(row.id, now);
      this.opts.store.keys.touch(row.id);
    }
    return { client: keyClient(row) };
  }

  private find(id: string): ClientKeyRow {
    const row = this.opts.store.keys.get(id);
    if (!row || row.account !== this.opts.account) throw notFound(id);
    return row;
  }
}

const notFound = (id: string) => new AppError('KEY_NOT_FOUND', `No client key ${id}: list the keys to see their ids.`);
