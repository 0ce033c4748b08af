import type { z } from 'zod';
import { AppError } from '../core/errors.js';
import { KeyedLock } from '../core/keyed-lock.js';
import { normalizePhone, phoneToChatId } from '../core/phone.js';
import type { OutboxEntry } from '../store/index.js';
import type { OutgoingMessage } from '../whatsapp/outgoing.js';
import { READY_TIMEOUT_MS, type WhatsAppSession } from '../whatsapp/session.js';
import { reasonText, type Approvals } from './approvals.js';
import type { RequestContext } from './context.js';
import type { SendGuard } from './guard.js';
import { checkMediaSet, resolveMedia } from './media.js';
import { entryError, type Outbox } from './outbox.js';
import type { ForwardInput, ReactionInput, SendLocationInput, SendMediaInput, SendMessageInput, SendPollInput } from './schemas/index.js';

type In<S extends z.ZodType> = z.output<S>;

export interface Recipient {
  phone_number?: string | undefined;
  group_id?: string | undefined;
}

export interface Target {
  /** What the answer calls the recipient: digits, or the group id. */
  to: string;
  chatId: string;
  isGroup: boolean;
}

/** The answer to a send: 200 once WhatsApp has it, 202 while it is still queued (see `status`). */
export interface SendAnswer {
  ok: true;
  to: string;
  chat_id: string;
  message_id: string | null;
  /** ISO 8601: when the send was recorded. */
  timestamp: string;
  outbox_id: string;
  status: OutboxEntry['status'];
  /** While a person must approve the send: why, and when it is canceled unless someone does. */
  approval?: { reason: string; expires_at: string | null };
  /** What the caller should know about a send that did not go out yet (held for approval, agents paused). */
  note?: string;
}

/** What the send path enforces for client keys (issue 12); absent: every caller may send anywhere. */
export interface SendSafety {
  guard: SendGuard;
  approvals: Approvals;
}

export const EVERYONE = '@everyone';

/** The chat a message id belongs to: "true_15551234567@c.us_3EB0…" → "15551234567@c.us". */
export function chatOfMessage(messageId: string): string {
  const m = /^(?:true|false)_([^_]+@[a-z.]+)_/.exec(messageId);
  if (!m?.[1]) throw new AppError('VALIDATION_ERROR', `"${messageId}" is not a message id: use an id from the message lists`, { fields: ['id'] });
  return m[1];
}
const DONE = new Set<OutboxEntry['status']>(['sent', 'delivered', 'read']);

export function isPending(answer: { status: OutboxEntry['status'] }): boolean {
  return !DONE.has(answer.status);
}

/**
 * The one send path: every kind of message is checked, turned into an OutgoingMessage,
 * recorded in the outbox, and answered when it went out (or, for a caller that will not
 * wait or waited long enough, while it is still on its way).
 */
export class Sending {
  /** A key's checks and submits run one at a time, so its caps cannot be overrun by sends in parallel. */
  private readonly perKey = new KeyedLock();

  constructor(
    private readonly session: WhatsAppSession,
    private readonly outbox: Outbox,
    private readonly mediaDirs: readonly string[],
    private readonly syncTimeoutMs: number = READY_TIMEOUT_MS,
    private readonly safety: SendSafety | null = null,
  ) {}

  async text(ctx: RequestContext, input: In<typeof SendMessageInput>): Promise<SendAnswer> {
    const target = await this.target(input);
    const mentions = await this.mentionIds(input.mentions, target);
    return this.send(ctx, target, {
      kind: 'text',
      text: input.message,
      ...(input.reply_to ? { quotedMessageId: input.reply_to } : {}),
      ...(mentions ? { mentions } : {}),
      ...(input.link_preview !== undefined ? { linkPreview: input.link_preview } : {}),
    });
  }

  /** Each file is its own message; the caption goes with the first photo, video or document. */
  async media(ctx: RequestContext, input: In<typeof SendMediaInput>): Promise<SendAnswer & { message_ids?: (string | null)[]; outbox_ids?: string[] }> {
    const target = await this.target(input);
    const files = await Promise.all(input.media.map((m, i) => resolveMedia(m, i, this.mediaDirs)));
    checkMediaSet(files, { asVoice: input.as_voice, asGif: input.as_gif, asDocument: input.as_document, viewOnce: input.view_once });
    const captioned = input.as_document ? 0 : files.findIndex((f) => f.kind !== 'audio');
    if (input.caption && captioned < 0) {
      throw new AppError('VALIDATION_ERROR', 'WhatsApp shows no caption on audio: send the text as a message, or the audio as_document', { fields: ['caption'] });
    }
    const contents: OutgoingMessage[] = files.map(({ kind: _kind, ...file }, i) => ({
      kind: 'media',
      file,
      ...(input.caption && i === captioned ? { caption: input.caption } : {}),
      ...(input.reply_to && i === 0 ? { quotedMessageId: input.reply_to } : {}),
      viewOnce: Boolean(input.view_once),
      asVoice: Boolean(input.as_voice),
      asGif: Boolean(input.as_gif),
      asDocument: Boolean(input.as_document),
    }));
    const answers = await this.sendAll(ctx, target, contents);
    const first = answers[0]!;
    return answers.length > 1 ? { ...first, message_ids: answers.map((a) => a.message_id), outbox_ids: answers.map((a) => a.outbox_id) } : first;
  }

  async location(ctx: RequestContext, input: In<typeof SendLocationInput>): Promise<SendAnswer> {
    const target = await this.target(input);
    return this.send(ctx, target, {
      kind: 'location',
      latitude: input.latitude,
      longitude: input.longitude,
      ...(input.name ? { name: input.name } : {}),
      ...(input.address ? { address: input.address } : {}),
      ...(input.reply_to ? { quotedMessageId: input.reply_to } : {}),
    });
  }

  async poll(ctx: RequestContext, input: In<typeof SendPollInput>): Promise<SendAnswer> {
    const target = await this.target(input);
    if (input.selectable_count > input.options.length) {
      throw new AppError('VALIDATION_ERROR', `selectable_count (${input.selectable_count}) is more than the ${input.options.length} options`, { fields: ['selectable_count'] });
    }
    return this.send(ctx, target, { kind: 'poll', question: input.question, options: input.options, allowMultipleAnswers: input.selectable_count !== 1 });
  }

  async forward(ctx: RequestContext, messageId: string, input: In<typeof ForwardInput>): Promise<SendAnswer> {
    return this.send(ctx, await this.target(input), { kind: 'forward', messageId });
  }

  /** A reaction goes out like a message (recorded, once), in the reacted message's chat. */
  async react(ctx: RequestContext, messageId: string, input: In<typeof ReactionInput>): Promise<{ ok: true; outbox_id: string; status: OutboxEntry['status'] }> {
    const chatId = chatOfMessage(messageId);
    const answer = await this.send(ctx, { to: chatId, chatId, isGroup: chatId.endsWith('@g.us') }, { kind: 'reaction', messageId, emoji: input.emoji });
    return { ok: true, outbox_id: answer.outbox_id, status: answer.status };
  }

  /** Exactly one of phone_number and group_id; a group must be one we are in (checked when WhatsApp is ready). */
  async target(input: Recipient): Promise<Target> {
    if ((input.phone_number === undefined) === (input.group_id === undefined)) {
      throw new AppError('VALIDATION_ERROR', 'Give exactly one recipient: phone_number or group_id', { fields: ['phone_number', 'group_id'] });
    }
    if (input.phone_number !== undefined) {
      const digits = normalizePhone(input.phone_number);
      return { to: digits, chatId: phoneToChatId(digits), isGroup: false };
    }
    const groupId = input.group_id!;
    if (this.session.snapshot().state === 'ready' && (await this.session.groupParticipants(groupId)) === null) {
      throw new AppError('GROUP_NOT_FOUND', `You are not in a group ${groupId}.`, { next: 'list_groups' });
    }
    return { to: groupId, chatId: groupId, isGroup: true };
  }

  /** Mentioned numbers as chat ids; "@everyone" in a group is each member but us. */
  async mentionIds(mentions: readonly string[] | undefined, target: Target): Promise<string[] | undefined> {
    if (!mentions?.length) return undefined;
    const ids = new Set<string>();
    for (const [i, m] of mentions.entries()) {
      if (m.trim().toLowerCase() === EVERYONE) {
        if (!target.isGroup) throw new AppError('VALIDATION_ERROR', '"@everyone" mentions all members of a group: use it with group_id', { fields: ['mentions'] });
        await this.session.waitUntilReady();
        const me = this.session.snapshot().account?.wid;
        for (const id of (await this.session.groupParticipants(target.chatId)) ?? []) if (id !== me) ids.add(id);
      } else {
        ids.add(phoneToChatId(normalizePhone(m, `mentions[${i}]`)));
      }
    }
    return [...ids];
  }

  /** Records one message and answers for it. */
  async send(ctx: RequestContext, target: Target, content: OutgoingMessage): Promise<SendAnswer> {
    const [answer] = await this.sendAll(ctx, target, [content]);
    return answer!;
  }

  /**
   * Several messages of one request (the files of a media send), each its own outbox entry;
   * with an idempotency key, the nth message uses "<key>#n" so a retry finds each again.
   * A client key's policy is checked first (after the recipient was resolved): a refusal
   * queues nothing; a send that needs approval is held.
   */
  async sendAll(ctx: RequestContext, target: Target, contents: readonly OutgoingMessage[]): Promise<SendAnswer[]> {
    const submit = () => this.submitAll(ctx, target, contents);
    const entries = ctx.client.policy && ctx.client.id !== null ? await this.perKey.run(ctx.client.id, submit) : await submit();
    return this.answer(ctx, target, entries);
  }

  /** The answers again, once the sends settled (after a person approved them, say). */
  async follow(ctx: RequestContext, answers: readonly SendAnswer[]): Promise<SendAnswer[]> {
    const first = answers[0];
    if (!first) return [];
    const entries = answers.map((a) => {
      const entry = this.outbox.get(a.outbox_id);
      if (!entry) throw new AppError('OUTBOX_NOT_FOUND', `No send ${a.outbox_id} in the outbox.`);
      return entry;
    });
    return this.answer(ctx, { to: first.to, chatId: first.chat_id, isGroup: first.chat_id.endsWith('@g.us') }, entries);
  }

  private async submitAll(ctx: RequestContext, target: Target, contents: readonly OutgoingMessage[]): Promise<OutboxEntry[]> {
    const safety = this.safety;
    // A retry of a recorded request replays its first answer: it was checked when first asked.
    const replay = ctx.idempotencyKey !== null && this.outbox.hasIdempotencyKey(ctx.idempotencyKey);
    const mentions = contents.flatMap((c) => (c.kind === 'text' ? (c.mentions ?? []) : []));
    const reason = safety && !replay ? await safety.guard.check(ctx, target, { count: contents.length, mentions }) : null;
    const entries: OutboxEntry[] = [];
    for (const [i, content] of contents.entries()) {
      const idempotencyKey = ctx.idempotencyKey === null ? null : i === 0 ? ctx.idempotencyKey : `${ctx.idempotencyKey}#${i}`;
      const hold = safety && reason ? { hold: safety.approvals.hold(ctx, reason, content) } : {};
      const { entry, created } = await this.outbox.submit({ chatId: target.chatId, content, client: ctx.client.id, idempotencyKey, ...hold });
      if (created && safety) safety.approvals.held(entry);
      entries.push(entry);
    }
    return entries;
  }

  private async answer(ctx: RequestContext, target: Target, entries: readonly OutboxEntry[]): Promise<SendAnswer[]> {
    // Held by the kill switch: answered at once, rather than after the caller's whole wait.
    const held = this.outbox.paused && entries.some((e) => e.client !== null);
    let done = 0;
    const settle = async (e: OutboxEntry, i: number): Promise<OutboxEntry> => {
      const now = await this.outbox.waitSettled(e.id, this.syncTimeoutMs);
      ctx.progress?.(++done, entries.length, `file ${i + 1} of ${entries.length}: ${now.status}`);
      return now;
    };
    const settled = ctx.wait && !held ? await Promise.all(entries.map(settle)) : entries;
    const failed = settled.findIndex((e) => e.status === 'failed' || e.status === 'canceled');
    if (failed >= 0) {
      const err = entryError(settled[failed]!);
      if (settled.length === 1) throw err;
      // Some files may be on their way: say exactly which, so nothing is sent twice.
      const sent = settled.filter((e) => DONE.has(e.status)).map((e) => e.messageId);
      throw new AppError(err.code, `${sent.length} of ${settled.length} files were sent (ids ${sent.join(', ') || 'none'}); file ${failed} was not: ${err.message}`, {
        message_ids: sent,
        outbox_ids: settled.map((e) => e.id),
      });
    }
    return settled.map((e) => ({
      ok: true,
      to: target.to,
      chat_id: target.chatId,
      message_id: e.messageId,
      timestamp: new Date(e.createdAt).toISOString(),
      outbox_id: e.id,
      status: e.status,
      ...pendingNote(e, held),
    }));
  }
}

/** What a caller is told about a send that did not go out yet because of the safety rules. */
function pendingNote(e: OutboxEntry, paused: boolean): Pick<SendAnswer, 'approval' | 'note'> {
  if (e.status === 'awaiting_approval') {
    const reason = (e.approval as { reason?: string } | null)?.reason ?? 'always';
    const expires = e.expiresAt === null ? null : new Date(e.expiresAt).toISOString();
    return {
      approval: { reason, expires_at: expires },
      note: `Not sent yet: a person must approve it first (${reasonText(reason)}). It is canceled unless approved${expires ? ` by ${expires}` : ''}; follow it with its outbox_id, and do not send it again.`,
    };
  }
  if (paused && e.status === 'queued' && e.client !== null) {
    return { note: 'Not sent yet: the user paused all agents. It stays queued and goes out, in order, when they resume; follow it with its outbox_id, and do not send it again.' };
  }
  return {};
}
