/**
 * What the desktop app says about sends waiting for approval outside its window: whether a
 * native notification is due, and its words and buttons per platform. Pure (no Electron), so
 * every case is unit-tested.
 */

/** What a person deciding is told (the parts of `ApprovalRequest` in src/app/approvals.ts a notification shows). */
export interface ApprovalSummary {
  recipient: { chat_id: string; number: string | null; name: string | null; is_group: boolean };
  requested_by: string | null;
  reason_text: string;
  messages: { kind: string; text: string | null; files: { filename: string | null; size: number }[] }[];
}

export interface NoticeSituation {
  /** The approval event's state: only a new `pending` one is announced. */
  state: string;
  /** The window is on screen (shown and not minimised) and has the focus: the Approvals panel is in front of the person. */
  windowInFront: boolean;
  /** Notification.isSupported() */
  supported: boolean;
}

/** A notification only when the person would not see the send otherwise: the window is closed, hidden, minimised or in the background. */
export function shouldNotify(s: NoticeSituation): boolean {
  return s.state === 'pending' && s.supported && !s.windowInFront;
}

/** Notification buttons exist on macOS and Windows; elsewhere a click opens the window at the approval. */
export function notificationButtons(platform: NodeJS.Platform): readonly string[] {
  return platform === 'darwin' || platform === 'win32' ? ['Approve', 'Deny'] : [];
}

/** The index of each button in `notificationButtons` (Electron's `action` event passes it). */
export const APPROVE_ACTION = 0;
export const DENY_ACTION = 1;

/**
 * Linux notification servers read the body as markup (<b>, <a href>…): text an agent wrote
 * must arrive as text, never as a link or styling a person could take for the app's own.
 */
export function notificationText(text: string, platform: NodeJS.Platform): string {
  if (platform !== 'linux' && platform !== 'freebsd' && platform !== 'openbsd') return text;
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const MAX_TEXT = 160;

const shorten = (text: string, max: number): string => {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
};

/** "12 KB", "1.5 MB" */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** "Alice (+15550100001)", "+15550100001", "Family (group)". */
export function recipientWords(r: ApprovalSummary['recipient']): string {
  const number = r.number ? `+${r.number}` : null;
  if (r.is_group) return `${r.name ?? 'a group'} (group)`;
  if (r.name && number) return `${r.name} (${number})`;
  return r.name ?? number ?? r.chat_id;
}

/**
 * The notification for one held send: who asks, to whom, what, and why; with Approve / Deny
 * where the platform has buttons. `accountName` names the account it would be sent from when
 * there are several.
 */
export function approvalNotice(
  a: ApprovalSummary,
  platform: NodeJS.Platform,
  accountName: string | null = null,
): { title: string; body: string; actions: { type: 'button'; text: string }[] } {
  const m = a.messages[0];
  const files = (m?.files ?? []).map((f) => `${f.filename ?? 'a file'} (${fileSize(f.size)})`);
  const what = m?.text ? `“${shorten(m.text, MAX_TEXT)}”` : m ? `a ${m.kind} message` : 'a message';
  const lines = [
    `${a.requested_by ?? 'A client key'} asks to send ${what}`,
    ...(files.length ? [`Files: ${shorten(files.join(', '), MAX_TEXT)}`] : []),
    `Held because ${a.reason_text}.`,
  ];
  return {
    title: `Approve a send ${accountName === null ? '' : `from ${accountName} `}to ${recipientWords(a.recipient)}?`,
    body: notificationText(lines.join('\n'), platform),
    actions: notificationButtons(platform).map((text) => ({ type: 'button' as const, text })),
  };
}

/** "1 send waiting for approval", "3 sends waiting for approval". */
export function approvalsLine(count: number): string {
  return `${count} send${count === 1 ? '' : 's'} waiting for approval`;
}
