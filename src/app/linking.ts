import type { z } from 'zod';
import { normalizePhone } from '../core/phone.js';
import type { StatusChange } from '../core/status.js';
import type { WhatsAppSession } from '../whatsapp/session.js';
import { DEFAULT_ACCOUNT } from './context.js';
import { qrImage } from './qr.js';
import type { PairingCodeInput, PairingCodeResult, StatusDto } from './schemas/index.js';

export const PAIRING_INSTRUCTIONS = 'WhatsApp -> Linked devices -> Link a device -> Link with phone number instead';

/** States in which a browser is running or about to be: starting again would be a no-op. */
const RUNNING = new Set(['starting', 'qr', 'authenticated', 'ready']);

/**
 * Linking this device to the account and unlinking it, and the status every surface shows.
 * Inputs arrive parsed by the shared zod schema; the answer is what every transport returns.
 */
export class Linking {
  constructor(
    private readonly session: WhatsAppSession,
    /** The history import under way or the last one, for the status; null before any. */
    private readonly historyImport: () => StatusDto['history_import'] | null = () => null,
    /** The account of the bridge this session is (the registry's id), which the status names. */
    private readonly account: string = DEFAULT_ACCOUNT,
  ) {}

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
      account_id: this.account,
      account: s.account,
      ...optional('history_import', this.historyImport()),
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

  async logout(): Promise<{ ok: true }> {
    await this.session.logout();
    return { ok: true };
  }

  /** The pending QR code as a PNG data URL, or null outside the `qr` state. */
  async qrImage(): Promise<string | null> {
    const { qr } = this.qr();
    return qr ? qrImage(qr) : null;
  }

  /** Whether a linked device was saved, so a start restores it without a QR code. */
  hasSavedSession(): boolean {
    return this.session.hasSavedSession();
  }

  /** Every change of state (and of QR code or error within one); returns the unsubscribe. */
  onStatus(listener: (change: StatusChange) => void): () => void {
    this.session.on('status', listener);
    return () => this.session.off('status', listener);
  }

  qr(): { ok: true; state: StatusDto['state']; has_qr: boolean; qr: string | null } {
    const s = this.session.snapshot();
    return { ok: true, state: s.state, has_qr: s.qr !== null, qr: s.qr };
  }
}

function optional<K extends string, V>(key: K, value: V | null | undefined): { [k in K]?: V } {
  return (value == null ? {} : { [key]: value }) as { [k in K]?: V };
}

/** WhatsApp shows pairing codes as two groups of four: "ABCD-EFGH". */
export function formatPairingCode(code: string): string {
  const clean = code.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  return clean.length === 8 ? `${clean.slice(0, 4)}-${clean.slice(4)}` : clean;
}
