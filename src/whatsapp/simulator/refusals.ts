import { AppError, describeError, isAppError } from '../../core/errors.js';
import type { SimulatorControl } from './index.js';
import { SimulatorRefusal, type ContactReadsOptions, type IncomingMessage, type SimulatedPhone } from './types.js';

/**
 * The simulator page refuses an action that makes no sense in its current state with a
 * plain Error. These run the action and, when it is refused, say why with a coded error;
 * the reason is read from the page's state afterwards, not guessed from the Error's text.
 */
type Control = Pick<SimulatorControl, 'link' | 'incoming' | 'snapshot'>;

/** The phone links: it scans the QR code, or enters the pending pairing code. */
export async function linkPhone(control: Control, phone?: SimulatedPhone): Promise<void> {
  try {
    await control.link(phone);
  } catch (err) {
    const now = await control.snapshot().catch(() => null);
    if (now?.linked) {
      throw new AppError('WA_ALREADY_LINKED', `The simulated phone is already linked (${now.me}): there is nothing to link. To link again, log out first.`);
    }
    if (now && !now.qrRef && !now.pendingPairingCode) {
      throw new AppError(
        'WA_NOT_STARTED',
        `Nothing to link yet: WhatsApp Web shows no QR code and no pairing code is pending (socket ${now.socketState}). Link once the state is "qr".`,
      );
    }
    throw simulatorError(err);
  }
}

/** A contact writes to the account. */
export async function receiveIncoming(control: Control, input: IncomingMessage): Promise<{ id: string }> {
  try {
    return await control.incoming(input);
  } catch (err) {
    const now = await control.snapshot().catch(() => null);
    if (now && !now.linked) throw new AppError('WA_NOT_LINKED', 'No simulated phone is linked yet, so nobody can write to the account: link it first.');
    if (now?.me === `${input.from}@c.us`) {
      throw new AppError('VALIDATION_ERROR', `${input.from} is the linked account's own number: a contact writes from another number.`);
    }
    throw simulatorError(err);
  }
}

/** The contact of a chat (every member of a group) reads it. */
export async function contactReadsChat(control: Pick<SimulatorControl, 'contactReads' | 'messages' | 'snapshot'>, chatId: string, options?: ContactReadsOptions): Promise<{ read: number }> {
  try {
    return await control.contactReads(chatId, options);
  } catch (err) {
    const now = await control.snapshot().catch(() => null);
    if (now && !now.linked) throw new AppError('WA_NOT_LINKED', 'No simulated phone is linked yet, so there is no chat to read: link it first.');
    // The account's chats, as the page lists them: one it has answers, one it lacks is refused.
    if (now && !(await control.messages(chatId, 1).then(() => true, () => false))) {
      const next = chatId.endsWith('@g.us') ? 'give one of the account\'s groups' : 'send them a message first';
      throw new AppError('CHAT_NOT_FOUND', `The account has no chat ${chatId}, so there is nothing to read: ${next}.`);
    }
    throw simulatorError(err);
  }
}

/** Any other failure of the page, in one line (the page's stack trace is no help to a caller). */
export function simulatorError(err: unknown): AppError {
  if (isAppError(err)) return err;
  // The simulated person cannot do that now: the page said which kind of refusal it is.
  if (err instanceof SimulatorRefusal) return new AppError(err.code, err.message);
  return new AppError('WA_ERROR', `Simulator: ${describeError(err).split('\n')[0]!.replace(/^Error: /, '')}`);
}
