import type { Logger } from '../../core/logger.js';
import { describeError } from '../../core/errors.js';
import type { WaEvent } from '../../shared/events.js';
import { deliverWhileClosed } from './page-cache.js';
import { SimulatorControl } from './index.js';
import type { SimulatedPhone } from './types.js';
import type { Page } from 'puppeteer-core';

/** What the network needs of an account's session. */
export interface NetworkSession {
  readonly page: Page | null;
  hasSavedSession(): boolean;
  on(event: 'event', fn: (e: WaEvent) => void): unknown;
  off(event: 'event', fn: (e: WaEvent) => void): unknown;
}

interface Member {
  phone: Required<Pick<SimulatedPhone, 'user'>> & SimulatedPhone;
  session: NetworkSession;
  cacheDir: string;
}

/**
 * WhatsApp's servers between the simulated phones of one demo bridge (one per account):
 * a text one account sends to another's number arrives in that account as an incoming
 * message, from the sender's number and name. Each simulator page is its own phone in its
 * own browser; this relays between them on the Node side. While the receiving account has
 * no WhatsApp Web open but is linked, the message waits for it like any message sent to a
 * device that is off. Only texts are relayed (files, reactions and the rest stay in the
 * sender's simulator).
 */
export class SimulatorNetwork {
  private readonly members = new Map<string, Member>();

  constructor(private readonly log: Logger) {}

  /** The account's phone joins; returns its leave. */
  join(member: Member): () => void {
    const onEvent = (e: WaEvent): void => {
      if (e.type !== 'message_create' || !e.chat_id.endsWith('@c.us')) return;
      const peer = this.members.get(e.chat_id.slice(0, -'@c.us'.length));
      if (!peer || peer === member || e.message.type !== 'chat') return;
      void this.deliver(member, peer, e.message.body);
    };
    this.members.set(member.phone.user, member);
    member.session.on('event', onEvent);
    return () => {
      member.session.off('event', onEvent);
      if (this.members.get(member.phone.user) === member) this.members.delete(member.phone.user);
    };
  }

  private async deliver(from: Member, to: Member, body: string): Promise<void> {
    const input = { from: from.phone.user, body, ...(from.phone.pushname ? { pushname: from.phone.pushname } : {}) };
    try {
      const page = to.session.page;
      if (page) await new SimulatorControl(page).incoming(input);
      else if (to.session.hasSavedSession()) await deliverWhileClosed(to.cacheDir, input);
      else this.log.info({ to: to.phone.user }, 'simulator: message to an account with no linked phone dropped');
    } catch (err) {
      this.log.warn({ to: to.phone.user, err: describeError(err) }, 'simulator: could not deliver a message between accounts');
    }
  }
}
