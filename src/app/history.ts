import type { z } from 'zod';
import type { Store } from '../store/index.js';
import type { WhatsAppSession } from '../whatsapp/session.js';
import { toIncoming } from './event-store.js';
import { chatOfMessage, readChat } from './people.js';
import { toChatId } from './reading.js';
import type { HistoryInput, HistoryResult } from './schemas/index.js';

const PAGE = 100;

/**
 * Imports a chat's older messages into the store (searchable, readable offline): what
 * WhatsApp Web has loaded, and further back as far as it loads from the phone, in pages,
 * newest first, up to `limit` per call. Bounded and resumable: `next_before` continues where
 * the call stopped. Imported messages are recorded, not pushed as events (they are old news).
 * A person's phone-number chat and LID chat are imported together, each message into its own.
 */
export class History {
  constructor(
    private readonly account: string,
    private readonly store: Store,
    private readonly session: WhatsAppSession,
  ) {}

  async importChat(chatIdOrPhone: string, input: z.output<typeof HistoryInput>): Promise<z.output<typeof HistoryResult>> {
    const chatId = toChatId(chatIdOrPhone);
    await this.session.waitUntilReady();
    let before = input.before;
    let seen = 0;
    let imported = 0;
    let complete = false;
    while (seen < input.limit) {
      const page = await readChat(this.session, chatId, Math.min(PAGE, input.limit - seen), before);
      if (!page) {
        return { ok: true, chat_id: chatId, seen, imported, complete: true, next_before: null, note: 'There is no such chat in WhatsApp Web.' };
      }
      const upserted = this.store.messages.upsertMany(this.account, page.messages.filter((m) => m.id).map((m) => toIncoming(m, chatOfMessage(m.id!) ?? chatId)), 'history');
      imported += upserted.filter((u) => u.created).length;
      seen += page.messages.length;
      if (!page.nextBefore || page.messages.length === 0) {
        complete = true;
        break;
      }
      before = page.nextBefore;
    }
    return { ok: true, chat_id: chatId, seen, imported, complete, next_before: complete ? null : (before ?? null), note: complete ? 'The whole history WhatsApp Web could load is in.' : 'More history: call again with before=next_before.' };
  }
}
