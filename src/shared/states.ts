/**
 * The one table of what a person sees for each state of the session: its words, its tone
 * (the dot in the window, the tray icon) and the actions offered. The tray menu, the window,
 * the dashboard and the /qr page all read it. No Node or Electron imports: the renderer gets
 * it as the generated module `ui/states.js` (see `statesModule()`).
 *
 * A wire state can read differently by cause ("disconnected" may be a reconnect under way,
 * another browser taking over, or the phone removing this device). The status carries the
 * cause only in `last_error`'s words today, so a phase may name a pattern over them (`when`);
 * the end-to-end tests against the simulator pin those words.
 */
import type { SessionStateName } from './ipc.js';

export type Tone = 'ok' | 'busy' | 'idle' | 'error';
export type TrayIconKind = 'linked' | 'connecting' | 'needs-login' | 'error';

/** What a button does: start (or restart) WhatsApp Web, or stop it (unlinking when linked). */
export type ActionKind = 'start' | 'stop';
export type ActionId = 'log_in' | 'try_again' | 'reconnect' | 'use_here' | 'link_again' | 'cancel' | 'log_out';

export interface UserAction {
  /** The button in the window. */
  label: string;
  /** The tray menu item. */
  menuLabel: string;
  does: ActionKind;
  /** Unlinks the account: asked for confirmation first. */
  confirm: boolean;
}

export const ACTIONS: Record<ActionId, UserAction> = {
  log_in: { label: 'Log in', menuLabel: 'Log in…', does: 'start', confirm: false },
  try_again: { label: 'Try again', menuLabel: 'Try again', does: 'start', confirm: false },
  reconnect: { label: 'Reconnect', menuLabel: 'Reconnect', does: 'start', confirm: false },
  // WhatsApp's own words when another browser has taken the session.
  use_here: { label: 'Use here', menuLabel: 'Use here', does: 'start', confirm: false },
  link_again: { label: 'Link again', menuLabel: 'Link again…', does: 'start', confirm: false },
  // In `starting` and `qr` nothing is linked yet: stopping is a cancel, not a logout.
  cancel: { label: 'Cancel', menuLabel: 'Cancel linking', does: 'stop', confirm: false },
  log_out: { label: 'Log out…', menuLabel: 'Log out…', does: 'stop', confirm: true },
};

/** The question asked before unlinking, in the window and from the tray. */
export const UNLINK_CONFIRM = {
  title: 'Log out of WhatsApp on this computer?',
  text: "This computer is removed from your phone's Linked devices. Scripts and AI agents lose access until you link it again.",
  confirm: 'Log out',
  cancel: 'Keep linked',
};

export type PhaseId =
  | 'stopped'
  | 'browser_missing'
  | 'start_failed'
  | 'starting'
  | 'qr'
  | 'authenticated'
  | 'ready'
  | 'reconnecting'
  | 'conflict'
  | 'phone_logout'
  | 'disconnected'
  | 'auth_failure'
  | 'offline';

export interface Phase {
  id: PhaseId;
  /** The wire state; null for `offline`, which only the page itself can see (the bridge is not answering). */
  state: SessionStateName | null;
  /** A pattern (case-insensitive) over `last_error` that picks this phase; the first match wins. */
  when?: string;
  /** Short heading. */
  title: string;
  /** The heading when the linked account is known; `{who}` is its name and number. */
  titleWithAccount?: string;
  /** One or two plain sentences: what is going on and what to do. */
  sentence: string;
  tone: Tone;
  icon: TrayIconKind;
  primary: ActionId | null;
  secondary: ActionId | null;
  /** Whether the QR code / pairing-code panel belongs on screen. */
  showLink: boolean;
  /** Whether `last_error` adds something the sentence does not say (it is shown below it). */
  showError: boolean;
}

export const PHASES: readonly Phase[] = [
  {
    id: 'stopped',
    state: 'stopped',
    when: '^$',
    title: 'Not linked',
    sentence: 'Log in to link this computer to your WhatsApp as a linked device.',
    tone: 'idle',
    icon: 'needs-login',
    primary: 'log_in',
    secondary: null,
    showLink: true,
    showError: false,
  },
  {
    id: 'browser_missing',
    state: 'stopped',
    when: 'No Chrome|Chrome not found|Could not start the browser',
    title: 'WhatsApp Web could not start',
    sentence: 'WhatsApp Web runs in Google Chrome, Chromium or Microsoft Edge, and none could be started on this computer. What to change is below; then try again.',
    tone: 'error',
    icon: 'error',
    primary: null,
    secondary: 'try_again',
    showLink: false,
    showError: true,
  },
  {
    id: 'start_failed',
    state: 'stopped',
    title: 'WhatsApp Web could not start',
    sentence: 'The reason is below. Check the internet connection, then try again.',
    tone: 'error',
    icon: 'error',
    primary: 'try_again',
    secondary: null,
    showLink: false,
    showError: true,
  },
  {
    id: 'starting',
    state: 'starting',
    title: 'Starting WhatsApp Web…',
    sentence: 'The QR code appears in a few seconds.',
    tone: 'busy',
    icon: 'connecting',
    primary: null,
    secondary: 'cancel',
    showLink: true,
    showError: false,
  },
  {
    id: 'qr',
    state: 'qr',
    title: 'Waiting for your phone',
    sentence: 'Scan the QR code, or link with your phone number, to link this computer.',
    tone: 'busy',
    icon: 'needs-login',
    primary: null,
    secondary: 'cancel',
    showLink: true,
    showError: false,
  },
  {
    id: 'authenticated',
    state: 'authenticated',
    title: 'Phone linked',
    sentence: 'Loading your chats… this takes a few seconds.',
    tone: 'busy',
    icon: 'connecting',
    primary: null,
    secondary: 'log_out',
    showLink: false,
    showError: false,
  },
  {
    id: 'ready',
    state: 'ready',
    title: 'Linked',
    titleWithAccount: 'Linked as {who}',
    sentence: 'WhatsApp is ready: scripts and AI agents can use it now.',
    tone: 'ok',
    icon: 'linked',
    primary: null,
    secondary: 'log_out',
    showLink: false,
    showError: false,
  },
  {
    id: 'reconnecting',
    state: 'disconnected',
    when: 'reconnecting in',
    title: 'Reconnecting…',
    sentence: 'WhatsApp lost its connection and is coming back by itself. Scripts and agents wait for it (up to two minutes).',
    tone: 'busy',
    icon: 'connecting',
    primary: null,
    secondary: 'log_out',
    showLink: false,
    showError: true,
  },
  {
    id: 'conflict',
    state: 'disconnected',
    when: 'opened on another computer',
    title: 'WhatsApp is open in another window',
    sentence: 'WhatsApp Web was opened on another computer or browser, so this one stepped aside. Choose Use here to use WhatsApp on this computer again.',
    tone: 'error',
    icon: 'error',
    primary: 'use_here',
    secondary: 'log_out',
    showLink: false,
    showError: false,
  },
  {
    id: 'phone_logout',
    state: 'disconnected',
    when: 'logged this device out',
    title: 'Unlinked from your phone',
    sentence: 'This computer was unlinked from your phone — link again to use WhatsApp here.',
    tone: 'error',
    icon: 'needs-login',
    primary: 'link_again',
    secondary: null,
    showLink: true,
    showError: false,
  },
  {
    id: 'disconnected',
    state: 'disconnected',
    title: 'Disconnected',
    sentence: 'WhatsApp lost its connection and stopped trying. Reconnect once this computer is online again.',
    tone: 'error',
    icon: 'error',
    primary: 'reconnect',
    secondary: 'log_out',
    showLink: false,
    showError: true,
  },
  {
    id: 'auth_failure',
    state: 'auth_failure',
    title: 'Linking failed',
    sentence: "WhatsApp did not accept this computer's link. Link again to show a new QR code.",
    tone: 'error',
    icon: 'error',
    primary: 'link_again',
    secondary: null,
    showLink: true,
    showError: true,
  },
  {
    id: 'offline',
    state: null,
    title: 'Connection lost',
    sentence: 'This page cannot reach WhatsApp MCP Desktop. Is it still running? The page reconnects by itself as soon as it answers.',
    tone: 'error',
    icon: 'error',
    primary: null,
    secondary: null,
    showLink: false,
    showError: true,
  },
];

/**
 * Sentences of `last_error` that address scripts ("Call POST /api/auth/start"): a person
 * has the button instead, so the window and the tray leave them out.
 */
export const API_HINT = 'POST /api/|\\(MCP: ';

/** The phase a status reads as. */
export function phaseFor(s: { state: SessionStateName; last_error: string | null }): Phase {
  const error = s.last_error ?? '';
  const phase = PHASES.find((p) => p.state === s.state && (p.when === undefined || new RegExp(p.when, 'i').test(error)));
  // Every wire state has a phase without `when`, or (stopped) one matching any text.
  return phase!;
}

/** `last_error` for a person: without the sentences that tell scripts which route to call. */
export function errorForPeople(error: string | null): string {
  if (!error) return '';
  const hint = new RegExp(API_HINT);
  return error
    .split(/(?<=[.!?])\s+/)
    .filter((sentence) => !hint.test(sentence))
    .join(' ');
}

/** The account as people know it: name and number ("Ada (+447700900123)"), or whichever is known. */
export function accountParts(account: { wid: string; pushname: string | null } | null): { name: string | null; number: string | null } {
  if (!account) return { name: null, number: null };
  const digits = account.wid.replace(/@.*/, '');
  return { name: account.pushname || null, number: digits ? `+${digits}` : null };
}

/** The phase's heading in plain text (the tray, titles); the window isolates the name itself. */
export function phaseTitle(phase: Phase, account: { wid: string; pushname: string | null } | null): string {
  const { name, number } = accountParts(account);
  const who = name && number ? `${name} (${number})` : (name ?? number);
  return phase.titleWithAccount && who ? phase.titleWithAccount.replace('{who}', who) : phase.title;
}

/** The renderer's copy of this table, as an ES module (served at ui/states.js by the dashboard and app://). */
export function statesModule(): string {
  const data = { PHASES, ACTIONS, UNLINK_CONFIRM, API_HINT };
  return `${Object.entries(data)
    .map(([name, value]) => `export const ${name} = ${JSON.stringify(value)};`)
    .join('\n')}\n`;
}
