import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServices, type AppDeps, type AppServices } from '../../src/app/index.js';
import type { Logger } from '../../src/core/logger.js';
import { silentLogger } from '../../src/core/logger.js';
import { createMediaSpool, IN_MEMORY, openStore, STORE_FILE } from '../../src/store/index.js';
import type { WhatsAppSession } from '../../src/whatsapp/session.js';

export interface ServicesOptions {
  /** The send pace (default: high enough never to hold a test back). */
  sendPace?: { perMinute: number; burst: number };
  mediaDirs?: string[];
  /** How long a send waits for WhatsApp before answering 202 (default 120 s). */
  syncTimeoutMs?: number;
  /** Sends that may wait in the queue before new ones get 429. */
  maxQueued?: number;
  /** The webhook dispatcher's schedule and poll interval (short ones make retries testable). */
  webhooks?: AppDeps['webhooks'];
  /** How long a send held for approval waits before it is canceled (default 10 min). */
  approvalTimeoutMs?: number;
  /** The history import on the first link (default: the product's, 20 chats × 200 messages). */
  firstImport?: AppDeps['firstImport'];
  /** true: the store is a file in a temp dir (as the bridge has it); default: in memory. */
  onDisk?: boolean;
  log?: Logger;
}

/** The application over any session, with its own store and media spool; `dispose` removes them. */
export async function startServices(session: WhatsAppSession, opts: ServicesOptions = {}): Promise<{ services: AppServices; dispose(): void }> {
  const log = opts.log ?? silentLogger();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wa-services-'));
  const store = openStore({ file: opts.onDisk ? path.join(dir, STORE_FILE) : IN_MEMORY, log });
  const services = createServices({
    session,
    store,
    spool: createMediaSpool(dir),
    log,
    pace: opts.sendPace ?? { perMinute: 6000, burst: 10_000 },
    mediaDirs: opts.mediaDirs ?? [],
    ...(opts.syncTimeoutMs !== undefined ? { syncTimeoutMs: opts.syncTimeoutMs } : {}),
    ...(opts.maxQueued !== undefined ? { maxQueued: opts.maxQueued } : {}),
    ...(opts.webhooks ? { webhooks: opts.webhooks } : {}),
    ...(opts.approvalTimeoutMs !== undefined ? { approvalTimeoutMs: opts.approvalTimeoutMs } : {}),
    ...(opts.firstImport ? { firstImport: opts.firstImport } : {}),
  });
  await services.start();
  return {
    services,
    dispose() {
      services.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
