import { AppError, describeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { OutboxEntry, Store } from '../store/index.js';
import type { OutgoingMessage } from '../whatsapp/outgoing.js';
import type { WhatsAppSession } from '../whatsapp/session.js';
import type { RequestContext } from './context.js';
import type { ApprovalEventData, EventHub } from './events.js';
import type { Outbox, Submission } from './outbox.js';
import type { ApprovalReason } from './policy.js';

/** How a held send was decided: by a person (REST, the window, an MCP client's form) or by the clock. */
export type DecidedVia = 'rest' | 'window' | 'mcp_elicitation' | 'expiry';

/** What the outbox records of a hold (`outbox.approval`): why, for whom, what the person saw, and the outcome. */
export interface ApprovalRecord {
  reason: ApprovalReason;
  requested_by: { id: string | null; name: string | null };
  /** The files of a media send, as the person deciding sees them. */
  files?: { filename: string | null; mimetype: string; size: number }[];
  decision?: 'approved' | 'denied' | 'expired';
  decided_by?: { kind: string; id: string | null; name: string | null; via: DecidedVia };
  /** ISO 8601. */
  decided_at?: string;
}

export const DEFAULT_APPROVAL_TIMEOUT_MS = 10 * 60_000;

/** What a person deciding is shown: who asks, why, to whom, and exactly what would go out. */
export interface ApprovalRequest {
  outbox_ids: string[];
  reason: string;
  reason_text: string;
  requested_by: string | null;
  /** ISO 8601. */
  expires_at: string | null;
  recipient: { chat_id: string; number: string | null; name: string | null; is_group: boolean };
  messages: {
    kind: string;
    /** The text, caption, poll question, location name, or emoji. */
    text: string | null;
    files: NonNullable<ApprovalRecord['files']>;
    /** For a forward: the message that would be forwarded, as stored. */
    forwarded: { from: string | null; text: string } | null;
  }[];
}

export interface ApprovalsOptions {
  account: string;
  store: Store;
  outbox: Outbox;
  events: EventHub;
  /** For the recipient's name in what a person is shown (optional: the number is shown anyway). */
  session?: WhatsAppSession;
  log: Logger;
  /** How long a held send waits for a person before it is canceled (APPROVAL_EXPIRED). */
  timeoutMs?: number;
  now?: () => number;
}

const REASONS: Readonly<Record<ApprovalReason, string>> = {
  quarantine: 'the agent read messages from other people in this session, and this goes to a different chat',
  new_recipient: 'nobody has written to this recipient from this account before',
  always: "this client key's sends all need approval",
};

/** Why a send was held, in words for the person who decides. */
export function reasonText(reason: string): string {
  return REASONS[reason as ApprovalReason] ?? reason;
}

/**
 * Sends held for a person's approval (issue 12): recorded in the outbox as
 * `awaiting_approval` with an expiry; approved → queued and sent once as usual; denied or
 * expired → canceled, never sent. Every change is an `approval` event in the log, so the
 * window and the dashboard can show what waits. A client key never decides its own sends.
 */
export class Approvals {
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private timerAt: number | null = null;
  private closed = false;

  constructor(private readonly opts: ApprovalsOptions) {
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS;
    this.now = opts.now ?? Date.now;
  }

  /** Cancels what expired while the bridge was down, and keeps the clock running for the rest. */
  async start(): Promise<void> {
    await this.sweep();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = null;
  }

  get timeoutSeconds(): number {
    return Math.round(this.timeoutMs / 1000);
  }

  /** The hold for a send of `ctx` that needs approval for `reason` (what Outbox.submit takes). */
  hold(ctx: RequestContext, reason: ApprovalReason, content: OutgoingMessage): NonNullable<Submission['hold']> {
    const record: ApprovalRecord = {
      reason,
      requested_by: { id: ctx.client.id, name: ctx.client.name ?? null },
      ...(content.kind === 'media' ? { files: [{ filename: content.file.filename, mimetype: content.file.mimetype, size: content.file.data.length }] } : {}),
    };
    return { expiresAt: this.now() + this.timeoutMs, approval: record };
  }

  /** A send was just held: tell whoever shows approvals, and make sure it expires on time. */
  held(entry: OutboxEntry): void {
    if (entry.status !== 'awaiting_approval') return;
    this.publish(entry, 'pending');
    this.schedule();
  }

  /** A person (owner, window, or a key with the admin scope that did not ask) lets the send go out. */
  approve(ctx: RequestContext, id: string): OutboxEntry {
    const entry = this.decidable(ctx, id);
    return this.release(entry, ctx, ctx.transport === 'window' ? 'window' : 'rest');
  }

  /** A person refuses the send: canceled (APPROVAL_DENIED), never sent. */
  async deny(ctx: RequestContext, id: string): Promise<OutboxEntry> {
    const entry = this.decidable(ctx, id);
    return this.refuse(entry, ctx, ctx.transport === 'window' ? 'window' : 'rest');
  }

  /** Cancels a send that has not started (Outbox.cancel); a held one leaves the pending approvals. */
  /** A key cancels its own sends only; the owner, the window and admin keys any. */
  async cancel(ctx: RequestContext, id: string): Promise<OutboxEntry> {
    const entry = this.opts.outbox.get(id);
    if (entry && ctx.client.kind === 'key' && !(ctx.client.scopes ?? []).includes('admin') && entry.client !== ctx.client.id) {
      throw new AppError('FORBIDDEN_SCOPE', `Send ${id} was asked for by another client: a key can cancel only its own sends (ask the owner, or use a key with the admin scope).`);
    }
    const held = entry?.status === 'awaiting_approval';
    const canceled = await this.opts.outbox.cancel(id);
    if (held) this.publish(canceled, 'canceled');
    return canceled;
  }

  /**
   * The user answered the MCP client's approval form for a send of this very session's key:
   * the client showed the form to a person, which is what approval asks for. Resolves with
   * the entry as it is now (decided elsewhere meanwhile: unchanged).
   */
  async answeredInClient(ctx: RequestContext, id: string, accepted: boolean): Promise<OutboxEntry> {
    const entry = this.get(id);
    if (entry.client !== ctx.client.id) throw new AppError('APPROVAL_FORBIDDEN', `Send ${id} was not asked for by this client.`);
    if (entry.status !== 'awaiting_approval') return entry;
    return accepted ? this.release(entry, ctx, 'mcp_elicitation') : this.refuse(entry, ctx, 'mcp_elicitation');
  }

  /** The held sends of one request as a person sees them before deciding (names when WhatsApp is ready). */
  async describe(ids: readonly string[]): Promise<ApprovalRequest> {
    const entries = ids.map((id) => this.get(id));
    const first = entries[0];
    if (!first) throw new AppError('OUTBOX_NOT_FOUND', 'No send to describe.');
    const record = (first.approval ?? {}) as Partial<ApprovalRecord>;
    const isGroup = first.chatId.endsWith('@g.us');
    return {
      outbox_ids: entries.map((e) => e.id),
      reason: record.reason ?? 'always',
      reason_text: reasonText(record.reason ?? 'always'),
      requested_by: record.requested_by?.name ?? null,
      expires_at: first.expiresAt === null ? null : new Date(first.expiresAt).toISOString(),
      recipient: { chat_id: first.chatId, number: isGroup ? null : first.chatId.replace(/@.*/, ''), name: await this.nameOf(first.chatId, isGroup), is_group: isGroup },
      messages: entries.map((e) => {
        const p = e.payload as { kind?: string; text?: string; caption?: string; question?: string; name?: string; emoji?: string; messageId?: string };
        const forwarded = p.kind === 'forward' && p.messageId ? this.opts.store.messages.get(this.opts.account, p.messageId) : null;
        return {
          kind: e.kind,
          text: p.text ?? p.caption ?? p.question ?? p.name ?? p.emoji ?? null,
          files: ((e.approval ?? {}) as Partial<ApprovalRecord>).files ?? [],
          forwarded: p.kind === 'forward' ? { from: forwarded?.sender ?? null, text: forwarded?.body ?? `(message ${p.messageId ?? '?'}, not stored here)` } : null,
        };
      }),
    };
  }

  private async nameOf(chatId: string, isGroup: boolean): Promise<string | null> {
    const session = this.opts.session;
    if (!session || session.snapshot().state !== 'ready') return null;
    try {
      if (isGroup) return (await session.listGroups()).find((g) => g.id === chatId)?.name ?? null;
      const found = (await session.searchContacts(chatId.replace(/@.*/, ''), 20)).find((c) => c.id === chatId);
      return found?.name ?? found?.pushname ?? null;
    } catch {
      return null;
    }
  }

  private get(id: string): OutboxEntry {
    const entry = this.opts.outbox.get(id);
    if (!entry) throw new AppError('OUTBOX_NOT_FOUND', `No send ${id} in the outbox.`);
    return entry;
  }

  private decidable(ctx: RequestContext, id: string): OutboxEntry {
    const { client } = ctx;
    if (client.kind === 'key' && !client.scopes?.includes('admin')) {
      throw new AppError('ADMIN_REQUIRED', 'Approving or denying a send needs the owner token or a client key with the admin scope. Ask the user to decide in the window or the dashboard.');
    }
    const entry = this.get(id);
    if (client.kind === 'key' && entry.client === client.id) {
      throw new AppError('APPROVAL_FORBIDDEN', 'A client key cannot approve or deny its own sends: a person decides, in the window, the dashboard, or with the owner token.');
    }
    if (entry.status !== 'awaiting_approval') {
      throw new AppError('NOT_AWAITING_APPROVAL', `Send ${id} is ${entry.status}: only a send awaiting approval can be approved or denied.`, { next: 'outbox' });
    }
    return entry;
  }

  private release(entry: OutboxEntry, ctx: RequestContext, via: DecidedVia): OutboxEntry {
    const queued = this.opts.outbox.release(entry.id, this.decided(entry, 'approved', ctx, via));
    if (!queued) return this.raced(entry.id);
    this.publish(queued, 'approved');
    return queued;
  }

  private async refuse(entry: OutboxEntry, ctx: RequestContext, via: DecidedVia): Promise<OutboxEntry> {
    const who = via === 'mcp_elicitation' ? 'the user' : ctx.client.kind === 'key' ? `"${ctx.client.name ?? 'a client key'}"` : 'a person';
    const canceled = await this.opts.outbox.refuse(
      entry.id,
      { code: 'APPROVAL_DENIED', message: `Not sent: ${who} denied this send. Do not send it again unless the user asks.` },
      this.decided(entry, 'denied', ctx, via),
    );
    if (!canceled) return this.raced(entry.id);
    this.publish(canceled, 'denied');
    return canceled;
  }

  /** Someone else decided (or the clock) between the check and the change. */
  private raced(id: string): OutboxEntry {
    const now = this.get(id);
    throw new AppError('NOT_AWAITING_APPROVAL', `Send ${id} was decided meanwhile: it is ${now.status}.`, { next: 'outbox' });
  }

  private decided(entry: OutboxEntry, decision: ApprovalRecord['decision'], ctx: RequestContext | null, via: DecidedVia): ApprovalRecord {
    const before = (entry.approval ?? {}) as ApprovalRecord;
    return {
      ...before,
      decision,
      decided_by: ctx ? { kind: ctx.client.kind, id: ctx.client.id, name: ctx.client.name ?? null, via } : { kind: 'system', id: null, name: null, via },
      decided_at: new Date(this.now()).toISOString(),
    };
  }

  private publish(entry: OutboxEntry, state: ApprovalEventData['state']): void {
    const record = (entry.approval ?? {}) as Partial<ApprovalRecord>;
    this.opts.events.recordApproval({
      type: 'approval',
      outbox_id: entry.id,
      chat_id: entry.chatId,
      state,
      reason: record.reason ?? 'always',
      client: record.requested_by?.name ?? null,
      client_id: record.requested_by?.id ?? null,
      expires_at: state === 'pending' && entry.expiresAt !== null ? new Date(entry.expiresAt).toISOString() : null,
    });
  }

  /** Cancels every hold that ran out, then waits for the next one (also on a timer of its own). */
  async sweep(): Promise<void> {
    if (this.closed) return;
    const { outbox, store, account, log } = this.opts;
    for (const entry of store.outbox.findExpired(account, this.now())) {
      try {
        const canceled = await outbox.refuse(
          entry.id,
          { code: 'APPROVAL_EXPIRED', message: `Not sent: nobody approved this send within ${this.timeoutSeconds} s. Ask the user before trying again.` },
          this.decided(entry, 'expired', null, 'expiry'),
        );
        if (canceled) this.publish(canceled, 'expired');
      } catch (err) {
        log.warn({ id: entry.id, err: describeError(err) }, 'could not expire a held send');
      }
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.closed) return;
    const next = this.opts.store.outbox.nextExpiry(this.opts.account);
    if (next === null || (this.timerAt !== null && this.timerAt <= next)) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = next;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = null;
      void this.sweep();
    }, Math.max(0, next - this.now()));
    this.timer.unref();
  }
}
