import type { z } from 'zod';
import { AppError } from '../core/errors.js';
import { normalizePhone, phoneToChatId } from '../core/phone.js';
import type { WhatsAppSession } from '../whatsapp/session.js';
import type {
  ChatsResult,
  ListChatsInput,
  MessagesResult,
  PairingCodeInput,
  PairingCodeResult,
  ReadMessagesInput,
  StatusDto,
} from './schemas.js';

export const PAIRING_INSTRUCTIONS = 'WhatsApp -> Linked devices -> Link a device -> Link with phone number instead';

/** States in which a browser is running or about to be: starting again would be a no-op. */
const RUNNING = new Set(['starting', 'qr', 'authenticated', 'ready']);

/**
 * What every REST route and MCP tool does, once. Inputs arrive parsed by the shared zod
 * schema; the answer is the payload both transports return.
 */
export class WhatsAppService {
  constructor(private readonly session: WhatsAppSession) {}

  status(): StatusDto {
    const s = this.session.snapshot();
    const { info } = this.session;
    return {
      state: s.state,
      ready: s.state === 'ready',
      authenticated: s.state === 'authenticated' || s.state === 'ready',
      auth_dir: info.authDir,
      chrome_executable: info.chromeExecutable,
      headless: info.headless,
      has_qr: s.qr !== null,
      last_error: s.lastError,
      account: s.account,
    };
  }

  async startAuth(): Promise<StatusDto> {
    const s = this.session.snapshot();
    if (!RUNNING.has(s.state) && !(s.state === 'disconnected' && s.reconnecting)) await this.session.start();
    return this.status();
  }

  async pairingCode(input: z.output<typeof PairingCodeInput>): Promise<z.output<typeof PairingCodeResult>> {
    const digits = normalizePhone(input.phone_number);
    if (this.session.snapshot().state !== 'ready') {
      await this.startAuth();
      const prompt = await this.session.waitForLinkPrompt();
      if (prompt === 'qr') {
        const code = await this.session.requestPairingCode(digits);
        return { already_authenticated: false, phone_number: digits, code: formatPairingCode(code), instructions: PAIRING_INSTRUCTIONS };
      }
    }
    return { already_authenticated: true, code: null, status: this.status() };
  }

  async listChats(input: z.output<typeof ListChatsInput>): Promise<z.output<typeof ChatsResult>> {
    await this.session.waitUntilReady();
    const chats = await this.session.listChats(input.limit);
    return { ok: true, count: chats.length, chats };
  }

  async readMessages(input: z.output<typeof ReadMessagesInput>): Promise<z.output<typeof MessagesResult>> {
    const digits = normalizePhone(input.phone_number);
    await this.session.waitUntilReady();
    const found = await this.session.readMessages(phoneToChatId(digits), input.limit);
    if (!found) {
      throw new AppError(
        'CHAT_NOT_FOUND',
        `There is no chat with ${digits} yet. Check the number (with country code), list chats with GET /api/chats (MCP: whatsapp_list_chats), or send a message first.`,
      );
    }
    return { ok: true, chat: found.chat, count: found.messages.length, messages: found.messages };
  }

  async logout(): Promise<{ ok: true }> {
    await this.session.logout();
    return { ok: true };
  }

  qr(): { ok: true; state: StatusDto['state']; has_qr: boolean; qr: string | null } {
    const s = this.session.snapshot();
    return { ok: true, state: s.state, has_qr: s.qr !== null, qr: s.qr };
  }
}

/** WhatsApp shows pairing codes as two groups of four: "ABCD-EFGH". */
export function formatPairingCode(code: string): string {
  const clean = code.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  return clean.length === 8 ? `${clean.slice(0, 4)}-${clean.slice(4)}` : clean;
}
