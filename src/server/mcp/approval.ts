import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ApprovalRequest } from '../../app/approvals.js';
import type { RequestContext } from '../../app/context.js';
import type { AppServices } from '../../app/index.js';
import { entryError } from '../../app/outbox.js';
import type { SendAnswer } from '../../app/sending.js';
import { READY_TIMEOUT_MS } from '../../whatsapp/session.js';
import type { ToolExtra } from './caller.js';

/** What a send tool answers: a send answer, the files' ids of a media send, or a reaction's short answer. */
type Answer = Pick<SendAnswer, 'status' | 'outbox_id' | 'note'> & Partial<SendAnswer> & { outbox_ids?: string[]; message_ids?: (string | null)[] };

const WHERE = 'The user approves or denies it in the WhatsApp MCP window or dashboard; whatsapp_get_send_status shows the outcome. Tell the user, and do not send it again.';
/** Long texts are cut in the form; the person sees enough to recognise the message. */
const SHOWN_CHARS = 1500;

const kb = (bytes: number): string => (bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);
const cut = (s: string): string => (s.length > SHOWN_CHARS ? `${s.slice(0, SHOWN_CHARS)}… (${s.length} characters in all)` : s);

/** The approval form's text: who asks, why, to whom (name and number), and what exactly would go out. */
export function approvalMessage(req: ApprovalRequest): string {
  const r = req.recipient;
  const to = r.is_group ? `the group ${r.name ? `"${r.name}" ` : ''}(${r.chat_id})` : `${r.name ? `${r.name} ` : ''}(+${r.number})`;
  const lines = [
    `${req.requested_by ? `The AI agent "${req.requested_by}"` : 'An AI agent'} wants to send a WhatsApp message from your account. Send it?`,
    `To: ${to}`,
    `Why you are asked: ${req.reason_text}.`,
  ];
  for (const m of req.messages) {
    if (m.forwarded) lines.push(`Forward of a message${m.forwarded.from ? ` from ${m.forwarded.from}` : ''}: "${cut(m.forwarded.text)}"`);
    else if (m.kind === 'reaction') lines.push(`Reaction: ${m.text || '(remove the reaction)'}`);
    else if (m.text) lines.push(`${m.kind === 'text' ? 'Message' : m.kind === 'poll' ? 'Poll' : m.kind === 'location' ? 'Location' : 'Caption'}: "${cut(m.text)}"`);
    else if (m.kind === 'location') lines.push('A location pin');
    for (const f of m.files) lines.push(`File: ${f.filename ?? '(no name)'} (${f.mimetype}, ${kb(f.size)})`);
  }
  if (req.expires_at) lines.push(`If nobody answers, it is canceled at ${req.expires_at}.`);
  return lines.join('\n');
}

/**
 * Sends held for approval, in an MCP client: when the client declared form elicitation, the
 * user is asked there (accept sends, decline cancels) and the tool answers with the outcome;
 * otherwise, or if the client cannot ask now, the answer says who approves and where. Sends
 * that were not held pass unchanged.
 */
export async function approveInClient<T extends Answer>(server: McpServer, services: AppServices, ctx: RequestContext, answer: T, extra: ToolExtra): Promise<T> {
  if (answer.status !== 'awaiting_approval') return answer;
  const pending: T = { ...answer, note: `${answer.note ?? 'Not sent yet: a person must approve it first.'} ${WHERE}` };
  if (!server.server.getClientCapabilities()?.elicitation?.form) return pending;
  const ids = answer.outbox_ids ?? [answer.outbox_id];
  const request = await services.approvals.describe(ids);
  const left = request.expires_at ? Date.parse(request.expires_at) - Date.now() : 0;
  if (left <= 0) return pending;
  let action: 'accept' | 'decline' | 'cancel';
  try {
    ({ action } = await server.server.elicitInput(
      { mode: 'form', message: approvalMessage(request), requestedSchema: { type: 'object', properties: {} } },
      { timeout: left, signal: extra.signal, relatedRequestId: extra.requestId },
    ));
  } catch {
    // The client could not ask (it failed, timed out, or the call was canceled): it still waits for a person elsewhere.
    return pending;
  }
  if (action === 'cancel') return { ...pending, note: `The user closed the approval form without deciding. ${pending.note}` };
  for (const id of ids) {
    await services.approvals.answeredInClient(ctx, id, action === 'accept');
    // The person's decision is a row of its own, as one made in the window or over REST is.
    services.audit.record(ctx, action === 'accept' ? 'approve_send' : 'deny_send', id, 'ok', { outboxId: id, detail: { decided_by: 'user (MCP client)' } });
  }
  return outcome(services, ctx, answer, ids);
}

/** The answer once the user decided: sent (or on its way), or the coded reason it never will be. */
async function outcome<T extends Answer>(services: AppServices, ctx: RequestContext, answer: T, ids: readonly string[]): Promise<T> {
  const { approval: _approval, note: _note, ...asked } = answer;
  if (answer.chat_id !== undefined && answer.to !== undefined) {
    const followed = await services.sending.follow(ctx, ids.map((id) => ({ ...(answer as unknown as SendAnswer), outbox_id: id })));
    const done = { ...asked, ...followed[0]! };
    return (ids.length > 1 ? { ...done, message_ids: followed.map((a) => a.message_id), outbox_ids: followed.map((a) => a.outbox_id) } : done) as T;
  }
  // A reaction: the short answer.
  const entry = ctx.wait ? await services.outbox.waitSettled(answer.outbox_id, READY_TIMEOUT_MS) : services.outbox.get(answer.outbox_id)!;
  if (entry.status === 'failed' || entry.status === 'canceled') throw entryError(entry);
  return { ...asked, status: entry.status } as T;
}
