import { AppError, describeError } from '../core/errors.js';
import { messageNotFound, notOnWhatsApp } from './session.js';

/** puppeteer's errors for a browser, page or connection that went away or stopped answering. */
const CONNECTION_ERRORS = new Set(['TargetCloseError', 'ConnectionClosedError', 'ProtocolError', 'TimeoutError']);
const CONNECTION_LOST =
  /Target closed|Session closed|Connection closed|detached Frame|frame was detached|Execution context was destroyed|Protocol error|timed out\. Increase the 'protocolTimeout'|Page crashed|Target crashed/i;

/**
 * Whether a call failed because the browser, the page or the connection to it died (or
 * stopped answering) while the call was in flight, rather than because WhatsApp Web
 * refused it. The page may have done its part before that: the outcome is unknown.
 */
export function lostInFlight(err: unknown): boolean {
  return (err instanceof Error && CONNECTION_ERRORS.has(err.name)) || CONNECTION_LOST.test(describeError(err));
}

/**
 * A failed send (text, media, location, poll, forward) in the product's words. WhatsApp
 * refusing before sending is WA_SEND_FAILED; a browser that died mid-send may already have
 * sent it, and a blind retry would send it twice.
 */
export function sendFailure(err: unknown, chatId: string, quotedMessageId?: unknown): AppError {
  const text = describeError(err);
  if (lostInFlight(err)) {
    return new AppError(
      'SEND_OUTCOME_UNKNOWN',
      `The connection to WhatsApp Web was lost while the message was being sent (${text.split('\n')[0]}): it may or may not have been sent. Do not send it again blindly: check the chat's newest messages once WhatsApp is ready again.`,
    );
  }
  // WhatsApp Web finds no account ("No LID for user") for numbers that are not on WhatsApp.
  if (/No LID for user|not a WhatsApp user|invalid wid/i.test(text)) return notOnWhatsApp(chatId);
  // With ignoreQuoteErrors: false, whatsapp-web.js refuses a reply_to it cannot find, before sending anything.
  if (/Could not get the quoted message/.test(text)) return messageNotFound(String(quotedMessageId));
  return new AppError('WA_SEND_FAILED', `WhatsApp could not send the message: ${text}`);
}
