import { describe, expect, it } from 'vitest';
import { SimulatorRefusal, type SimulatorSnapshot } from '../../../src/whatsapp/simulator/index.js';
import { contactReadsChat, linkPhone, receiveIncoming, simulatorError } from '../../../src/whatsapp/simulator/refusals.js';

/** A page that refuses every action, in the state given. */
function refusingPage(state: Partial<SimulatorSnapshot>, chats: string[] = []) {
  const refuse = async (): Promise<never> => {
    throw new Error('Error: the page says no\n    at somewhere (https://web.whatsapp.com/:1:2)');
  };
  return {
    link: refuse,
    incoming: refuse,
    contactReads: refuse,
    messages: async (chatId: string) => (chats.includes(chatId) ? [] : refuse()),
    snapshot: async () => ({ linked: false, me: null, socketState: 'UNPAIRED', qrRef: null, pendingPairingCode: null, ...state }) as SimulatorSnapshot,
  };
}

describe('simulator refusals as coded errors', () => {
  it('link while WhatsApp Web is still opening (no QR code yet) is a 409 WA_NOT_STARTED', async () => {
    await expect(linkPhone(refusingPage({ socketState: 'OPENING' }))).rejects.toMatchObject({
      code: 'WA_NOT_STARTED',
      status: 409,
      message: expect.stringMatching(/Nothing to link yet.*socket OPENING/),
    });
  });

  it('link when a phone is linked is a 409 WA_ALREADY_LINKED naming it', async () => {
    await expect(linkPhone(refusingPage({ linked: true, me: '15550100100@c.us', socketState: 'CONNECTED' }))).rejects.toMatchObject({
      code: 'WA_ALREADY_LINKED',
      status: 409,
      message: expect.stringMatching(/already linked \(15550100100@c\.us\)/),
    });
  });

  it('incoming with no phone linked is a 409 WA_NOT_LINKED; from the account itself a 400', async () => {
    await expect(receiveIncoming(refusingPage({}), { from: '15550100001', body: 'Hi' })).rejects.toMatchObject({ code: 'WA_NOT_LINKED', status: 409 });
    await expect(receiveIncoming(refusingPage({ linked: true, me: '15550100100@c.us' }), { from: '15550100100', body: 'Hi' })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      status: 400,
    });
  });

  it('a contact reading with no phone linked is a 409 WA_NOT_LINKED; a chat the account lacks a 404 CHAT_NOT_FOUND; a refusal in a chat it has a 502', async () => {
    await expect(contactReadsChat(refusingPage({}), '15550100001@c.us')).rejects.toMatchObject({ code: 'WA_NOT_LINKED', status: 409 });
    const linked = refusingPage({ linked: true, me: '15550100100@c.us' }, ['15550100001@c.us']);
    await expect(contactReadsChat(linked, '15550107999@c.us')).rejects.toMatchObject({
      code: 'CHAT_NOT_FOUND',
      status: 404,
      message: expect.stringMatching(/no chat 15550107999@c\.us/),
    });
    await expect(contactReadsChat(linked, '15550100001@c.us')).rejects.toMatchObject({ code: 'WA_ERROR', status: 502 });
  });

  it('any other refusal stays a 502 WA_ERROR, in one line without the page\'s stack', async () => {
    const err = await linkPhone(refusingPage({ qrRef: 'ref' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'WA_ERROR', status: 502, message: 'Simulator: the page says no' });
    expect(simulatorError('plain string').message).toBe('Simulator: plain string');
  });

  it('what a simulated person cannot do keeps the code the page gave it (404 / 409 / 410), never a 502', () => {
    expect(simulatorError(new SimulatorRefusal('MESSAGE_NOT_FOUND', 'There is no message x on this account.'))).toMatchObject({ code: 'MESSAGE_NOT_FOUND', status: 404 });
    expect(simulatorError(new SimulatorRefusal('SIMULATOR_REFUSED', '15550100002 is not in the chat.'))).toMatchObject({
      code: 'SIMULATOR_REFUSED',
      status: 409,
      message: '15550100002 is not in the chat.',
    });
    expect(simulatorError(new SimulatorRefusal('MESSAGE_ALREADY_DELETED', 'gone'))).toMatchObject({ status: 410 });
  });
});
