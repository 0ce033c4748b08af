import type { z } from 'zod';
import { DEFAULT_HISTORY_CHATS, DEFAULT_HISTORY_MESSAGES } from '../core/config.js';
import { describeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { FirstImport, Store } from '../store/index.js';
import type { MessageDto, WhatsAppSession } from '../whatsapp/session.js';
import { toIncoming } from './event-store.js';
import { chatOfMessage, readChat } from './people.js';
import { toChatId } from './reading.js';
import type { HistoryImportStatus, HistoryInput, HistoryResult } from './schemas/index.js';

const PAGE = 100;
/** Phone requests in one call: each waits up to ~20 s for the phone, and each answer is a page. */
const MAX_PHONE_REQUESTS = 20;

export interface FirstImportOptions {
  /** The most recently active chats imported on the first link (0: none). */
  chats: number;
  /** Messages imported per chat, newest first. */
  perChat: number;
}

export const FIRST_IMPORT_DEFAULTS: FirstImportOptions = { chats: DEFAULT_HISTORY_CHATS, perChat: DEFAULT_HISTORY_MESSAGES };

/** How an import call is going: after each page. */
export interface ImportProgress {
  seen: number;
  imported: number;
  limit: number;
}

type Result = z.output<typeof HistoryResult>;
type Status = z.output<typeof HistoryImportStatus>;
interface Page {
  messages: MessageDto[];
  nextBefore: string | null;
  /** WhatsApp Web's chats the page was read from: those whose phone is asked for more. */
  chatIds: string[];
}

/**
 * Imports chats' older messages into the store (searchable, readable offline). Imported
 * messages are recorded, not pushed as events (they are old news).
 *
 * - On demand, one chat: what WhatsApp Web has loaded and further back as far as it loads
 *   from the phone, then asking the phone for more (whatsapp-web.js `syncHistory`) where
 *   WhatsApp Web says it holds more; in pages, newest first, up to `limit` per call.
 *   Bounded and resumable: `next_before` continues where the call stopped. A person's
 *   phone-number chat and LID chat are imported together, each message into its own.
 * - On the first link (the first `ready` of a store without messages): the most recent
 *   chats, `perChat` messages each, in the background. The plan is kept in the store, so
 *   an import the bridge stopped in the middle of goes on at the next `ready`.
 *
 * Either shows its progress in the status (`history_import`).
 */
export class History {
  /** The first link's import and the latest one on demand; either may run while the other does. */
  private readonly latest: { first_link: Status | null; on_demand: Status | null } = { first_link: null, on_demand: null };
  private firstRun: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly account: string,
    private readonly store: Store,
    private readonly session: WhatsAppSession,
    private readonly log: Logger,
    private readonly firstImport: FirstImportOptions = FIRST_IMPORT_DEFAULTS,
  ) {}

  /** The import under way (the first link's before one on demand), else the one that ended last; null before any. */
  progress(): Status | null {
    const { first_link: first, on_demand: demand } = this.latest;
    const running = [first, demand].find((s) => s?.state === 'running');
    const ended = (s: Status) => s.finished_at ?? s.started_at;
    const last = [first, demand].filter((s): s is Status => s !== null).sort((a, b) => ended(b).localeCompare(ended(a)))[0];
    const shown = running ?? last;
    return shown ? { ...shown } : null;
  }

  async importChat(chatIdOrPhone: string, input: z.output<typeof HistoryInput>, onProgress?: (p: ImportProgress) => void): Promise<Result> {
    const chatId = toChatId(chatIdOrPhone);
    await this.session.waitUntilReady();
    const status = this.begin('on_demand', 1);
    status.current_chat = chatId;
    try {
      const result = await this.importOne(chatId, input.limit, input.before, {
        askPhone: true,
        read: async (limit, before) => {
          const page = await readChat(this.session, chatId, limit, before);
          return page && { messages: page.messages, nextBefore: page.nextBefore, chatIds: page.chat.chat_ids };
        },
        onPage: (p) => {
          status.messages_seen = p.seen;
          status.messages_imported = p.imported;
          onProgress?.(p);
        },
      });
      status.chats_done = 1;
      this.end(status, null);
      return result;
    } catch (err) {
      this.end(status, describeError(err));
      throw err;
    }
  }

  /**
   * On every `ready`: the first link's import, begun (when the store holds no message yet)
   * or resumed (when the bridge stopped in the middle of it), in the background; a call
   * while it runs does nothing more. Returns at once the chats a plan kept in the store has
   * still to import (catch-up leaves those to it; on a first link the store holds nothing
   * for catch-up to start from anyway).
   */
  resumeFirstImport(): ReadonlySet<string> {
    if (this.firstImport.chats === 0) return new Set();
    this.firstRun ??= this.plan()
      .then((plan) => (plan ? this.runFirstImport(plan) : undefined))
      .catch((err: unknown) => this.log.warn({ err: describeError(err) }, 'the first history import stopped; it goes on at the next start'))
      .finally(() => (this.firstRun = null));
    try {
      const plan = this.store.messages.firstImport.get(this.account);
      return new Set(plan && !plan.finishedAt ? plan.chats.filter((id) => !plan.done.includes(id)) : []);
    } catch {
      return new Set();
    }
  }

  close(): void {
    this.closed = true;
  }

  /** The plan kept in the store, or a new one on a first link; null when there is nothing (left) to import. */
  private async plan(): Promise<FirstImport | null> {
    const repo = this.store.messages.firstImport;
    const kept = repo.get(this.account);
    if (kept) return kept.finishedAt ? null : kept;
    // Not a first link: the store already holds this account's messages (from before this import existed).
    if (repo.hasMessages(this.account)) return null;
    const chats = (await this.session.listChats(this.firstImport.chats)).map((c) => c.id).filter((id): id is string => id !== null);
    const plan: FirstImport = { chats, done: [], startedAt: Date.now(), finishedAt: null };
    repo.save(this.account, plan);
    this.log.info({ chats: chats.length, perChat: this.firstImport.perChat }, "first link: importing the recent chats' history");
    return plan;
  }

  private async runFirstImport(plan: FirstImport): Promise<void> {
    const repo = this.store.messages.firstImport;
    const status = this.begin('first_link', plan.chats.length);
    status.chats_done = plan.done.length;
    try {
      for (const chatId of plan.chats) {
        if (this.closed) throw new Error('the bridge is closing');
        if (plan.done.includes(chatId)) continue;
        status.current_chat = chatId;
        // Counts of the chats before this one, plus this one's so far.
        const before = { seen: status.messages_seen, imported: status.messages_imported };
        await this.importOne(chatId, this.firstImport.perChat, undefined, {
          askPhone: false,
          read: async (limit, cursor) => {
            const page = await this.session.chatMessages(chatId, limit, cursor);
            return page && { messages: page.messages, nextBefore: page.nextBefore, chatIds: [chatId] };
          },
          onPage: (p) => {
            status.messages_seen = before.seen + p.seen;
            status.messages_imported = before.imported + p.imported;
          },
        });
        plan.done.push(chatId);
        repo.save(this.account, plan);
        status.chats_done = plan.done.length;
      }
      plan.finishedAt = Date.now();
      repo.save(this.account, plan);
      this.end(status, null);
      this.log.info({ chats: plan.chats.length, imported: status.messages_imported }, 'first link: history imported');
    } catch (err) {
      this.end(status, describeError(err));
      throw err;
    }
  }

  private async importOne(
    chatId: string,
    limit: number,
    before: string | undefined,
    how: { askPhone: boolean; read: (limit: number, before?: string) => Promise<Page | null>; onPage: (p: ImportProgress) => void },
  ): Promise<Result> {
    let cursor = before;
    let seen = 0;
    let imported = 0;
    let phoneRequests = 0;
    let complete = false;
    let askedPhone = false;
    while (seen < limit) {
      const page = await how.read(Math.min(PAGE, limit - seen), cursor);
      if (!page) {
        return { ok: true, chat_id: chatId, seen, imported, complete: true, next_before: null, phone_requests: phoneRequests, note: 'There is no such chat in WhatsApp Web.' };
      }
      const upserted = this.store.messages.upsertMany(this.account, page.messages.filter((m) => m.id).map((m) => toIncoming(m, chatOfMessage(m.id!) ?? chatId)), 'history');
      imported += upserted.filter((u) => u.created).length;
      seen += page.messages.length;
      how.onPage({ seen, imported, limit });
      const oldest = page.messages[0]?.id;
      if (page.nextBefore && oldest) {
        cursor = page.nextBefore;
        continue;
      }
      // WhatsApp Web has nothing older: the phone may (an answer that gave nothing readable ends it).
      if (oldest) cursor = oldest;
      const ask = how.askPhone && phoneRequests < MAX_PHONE_REQUESTS && cursor !== undefined && !(askedPhone && !oldest);
      if (ask && (await this.askPhone(page.chatIds, () => phoneRequests++))) {
        askedPhone = true;
        continue;
      }
      complete = true;
      break;
    }
    return {
      ok: true,
      chat_id: chatId,
      seen,
      imported,
      complete,
      next_before: complete ? null : (cursor ?? null),
      phone_requests: phoneRequests,
      note: complete ? 'The whole history WhatsApp Web could load, and the phone would give, is in.' : 'More history: call again with before=next_before.',
    };
  }

  /** Asks the phone for each chat's older messages; true when any came. */
  private async askPhone(chatIds: readonly string[], counted: () => void): Promise<boolean> {
    let any = false;
    for (const id of chatIds) {
      counted();
      if (await this.session.syncHistory(id)) any = true;
    }
    return any;
  }

  private begin(trigger: Status['trigger'], chats: number): Status {
    const status: Status = {
      state: 'running',
      trigger,
      chats_total: chats,
      chats_done: 0,
      current_chat: null,
      messages_seen: 0,
      messages_imported: 0,
      started_at: new Date().toISOString(),
      finished_at: null,
      error: null,
    };
    this.latest[trigger] = status;
    return status;
  }

  private end(status: Status, error: string | null): void {
    status.state = error ? 'failed' : 'done';
    status.error = error;
    status.current_chat = null;
    status.finished_at = new Date().toISOString();
  }
}
