import type { Account } from '../../src/core/status.js';
import type { ChatDto, MessageDto, SentMessage } from '../../src/whatsapp/session.js';
import { FakeSession } from '../../test/helpers/fake-session.js';

export const ACCOUNT: Account = { wid: '15550100100@c.us', pushname: 'Bench Phone', platform: 'android' };
export const SEND_BODY = { phone_number: '+1 555 010 0001', message: 'Hello from the benchmark 👋' };

/**
 * A ready WhatsApp in memory, for measuring the HTTP and MCP layers alone: the tests'
 * double (so it follows the session port as it grows), except that sending keeps nothing,
 * so a long load run does the same work from the first request to the last.
 */
export class MemorySession extends FakeSession {
  private sentCount = 0;

  constructor() {
    super();
    this.saved = true;
    this.link(ACCOUNT);
    for (let i = 0; i < 100; i++) {
      const id = `4915100000${String(i).padStart(3, '0')}@c.us`;
      const messages = Array.from({ length: 20 }, (_, j) => message(id, j));
      this.chats.set(id, { chat: chat(id, i, messages.at(-1)!), messages });
    }
  }

  override async send(chatId: string): Promise<SentMessage> {
    return { id: `true_${chatId}_BENCH${++this.sentCount}` };
  }
}

/** What GET /api/status answers for a ready MemorySession; the bare Fastify baseline answers the same. */
export function statusBody(): Record<string, unknown> {
  const { info } = new MemorySession();
  return {
    state: 'ready',
    ready: true,
    authenticated: true,
    auth_dir: info.authDir,
    chrome_executable: info.chromeExecutable,
    headless: info.headless,
    has_qr: false,
    last_error: null,
    account_id: 'default',
    account: ACCOUNT,
  };
}

function message(chatId: string, i: number): MessageDto {
  return {
    id: `false_${chatId}_${i}`,
    from: chatId,
    to: ACCOUNT.wid,
    author: null,
    from_me: false,
    type: 'chat',
    body: `Message ${i}`,
    timestamp: 1_760_000_000 + i,
    has_media: false,
    ack: null,
    quoted_message_id: null,
    mentioned_ids: [],
    media: null,
    edited: false,
    revoked: false,
    sender_phone: chatId,
    sender_lid: null,
  };
}

function chat(id: string, i: number, last: MessageDto): ChatDto {
  return { id, name: `Contact ${i}`, is_group: false, is_read_only: false, unread_count: 0, timestamp: 1_760_000_000 - i, archived: false, pinned: false, muted: false, last_message: last };
}
