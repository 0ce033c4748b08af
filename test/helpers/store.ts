import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { silentLogger } from '../../src/core/logger.js';
import type { MessageDto } from '../../src/shared/wire.js';
import { openStore, type NewOutboxEntry, type Store, type StoreOptions } from '../../src/store/index.js';

/** A fresh data directory and the store file the bridge would use in it. */
export function tempStore(prefix = 'wa-store-'): { dataDir: string; file: string } {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dataDir, file: path.join(dataDir, 'whatsapp.db') };
}

/** Opens a store on `file`; `lockWaitMs: 0` so a refused lock fails at once instead of waiting. */
export function open(file: string, options: Partial<StoreOptions> = {}): Store {
  return openStore({ file, log: silentLogger(), lockWaitMs: 0, ...options });
}

let n = 0;
/** A text send as the app layer would record it. */
export function textEntry(overrides: Partial<NewOutboxEntry> = {}): NewOutboxEntry {
  n += 1;
  const text = `Hello ${n}`;
  return { requestHash: `hash-${n}`, kind: 'text', chatId: '15550100001@c.us', payload: { text }, matchText: text, ...overrides };
}

/** A clock the test moves by hand. */
export function manualClock(start = Date.UTC(2026, 0, 1)): { now: () => number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

let m = 0;
/** A wire message as the session reports it: incoming text in a one-to-one chat unless overridden. */
export function wireMessage(overrides: Partial<MessageDto> = {}): MessageDto {
  m += 1;
  return {
    id: `false_15550100001@c.us_3EB0${String(m).padStart(8, '0')}`,
    from: '15550100001@c.us',
    to: '15550009999@c.us',
    author: null,
    from_me: false,
    type: 'chat',
    body: `Message ${m}`,
    timestamp: 1_767_225_600 + m,
    has_media: false,
    ack: null,
    quoted_message_id: null,
    mentioned_ids: [],
    media: null,
    edited: false,
    revoked: false,
    sender_phone: null,
    sender_lid: null,
    ...overrides,
  };
}
