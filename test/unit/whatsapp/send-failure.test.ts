import { ConnectionClosedError, ProtocolError, TimeoutError } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { sendFailure } from '../../../src/whatsapp/send-failure.js';

/** puppeteer's own, for a target that closed mid-call; its type is not exported. */
class TargetCloseError extends ProtocolError {}

const CHAT = '15550100001@c.us';
const codeOf = (err: unknown) => sendFailure(err, CHAT, 'true_x_1').code;

describe('sendFailure: refused before sending, or the outcome unknown', () => {
  it('a browser, page or connection that died mid-send (as puppeteer reports it) is SEND_OUTCOME_UNKNOWN', () => {
    const lost = [
      new TargetCloseError('Protocol error (Runtime.callFunctionOn): Target closed'),
      new TargetCloseError('Protocol error (Runtime.callFunctionOn): Session closed. Most likely the page has been closed.'),
      new ConnectionClosedError('Connection closed.'),
      new ProtocolError("Runtime.callFunctionOn timed out. Increase the 'protocolTimeout' setting in launch/connect calls for a higher timeout if needed."),
      new TimeoutError('Waiting failed: 30000ms exceeded'),
      new Error("Attempted to use detached Frame 'F1'."),
      new Error('Execution context was destroyed, most likely because of a navigation.'),
    ];
    for (const err of lost) expect(codeOf(err), err.message).toBe('SEND_OUTCOME_UNKNOWN');
    const unknown = sendFailure(lost[0], CHAT);
    expect(unknown.status).toBe(504);
    expect(unknown.message).toMatch(/may or may not have been sent.*Do not send it again blindly/);
    expect(unknown.message).not.toMatch(/\/api\/|whatsapp_/);
  });

  it('WhatsApp Web refusing in the page keeps its own codes', () => {
    expect(codeOf(new Error('No LID for user'))).toBe('CHAT_NOT_FOUND');
    expect(codeOf(new Error('Could not get the quoted message.'))).toBe('MESSAGE_NOT_FOUND');
    expect(codeOf(new Error('addAndSendMsgToChat: "vcard" messages are not simulated'))).toBe('WA_SEND_FAILED');
    expect(codeOf('a string thrown by whatsapp-web.js')).toBe('WA_SEND_FAILED');
  });
});
