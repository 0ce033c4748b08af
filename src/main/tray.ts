import path from 'node:path';
import { Menu, nativeImage, Notification, Tray, type MessageBoxOptions, type NativeImage } from 'electron';
import { UNLINK_CONFIRM } from '../shared/states.js';
import { trayIconKind, trayMenuTemplate, trayTooltip, type TrayActions, type TrayIconKind, type TrayMenuItem, type TrayStatus } from './tray-menu.js';

/**
 * macOS menu bar icons are monochrome template images; Windows trays want an .ico (one image
 * per display scale); elsewhere a PNG (with its @2x) carries a colour per state. While sends
 * wait for approval, the icon has a dot (`<kind>-approval`, made by scripts/make-icons.ts).
 */
export function trayIconFile(assetsDir: string, kind: TrayIconKind, platform: NodeJS.Platform = process.platform, approvals = false): string {
  const name = `${kind}${approvals ? '-approval' : ''}`;
  if (platform === 'darwin') return path.join(assetsDir, 'tray', `${name}Template.png`);
  if (platform === 'win32') return path.join(assetsDir, 'tray', `${name}.ico`);
  return path.join(assetsDir, 'tray', `${name}.png`);
}

/** The question before unlinking: the window's words, or, with several accounts, naming the one that is unlinked. */
export function unlinkQuestion(accountName: string | null): { message: string; detail: string } {
  if (accountName === null) return { message: UNLINK_CONFIRM.title, detail: UNLINK_CONFIRM.text };
  return {
    message: `Log out “${accountName}” on this computer?`,
    detail: `This computer is removed from that phone's Linked devices. Scripts and AI agents lose access to “${accountName}” until you link it again; your other accounts stay linked.`,
  };
}

/**
 * Asks before unlinking from the tray, as the window does; true only for an explicit "Log out".
 * `accountName` names the account when there are several.
 */
export async function confirmUnlink(ask: (options: MessageBoxOptions) => Promise<{ response: number }>, accountName: string | null = null): Promise<boolean> {
  const buttons = [UNLINK_CONFIRM.cancel, UNLINK_CONFIRM.confirm];
  const { response } = await ask({ type: 'question', buttons, defaultId: 0, cancelId: 0, noLink: true, ...unlinkQuestion(accountName) });
  return response === 1;
}

/** The tray icon and its menu, rebuilt from the status on every change. */
export class AppTray {
  private tray: Tray | null = null;
  private readonly icons = new Map<string, NativeImage>();
  private template: TrayMenuItem[] = [];

  constructor(
    private readonly assetsDir: string,
    private readonly actions: TrayActions,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  init(status: TrayStatus): void {
    this.tray = new Tray(this.icon(status));
    // A click opens the window wherever the tray reports clicks (Windows, macOS, KDE and other
    // StatusNotifier hosts); where a click opens the menu instead (GNOME's AppIndicator), the
    // menu's "Open window" does it.
    this.tray.on('click', () => this.actions.openWindow());
    this.update(status);
  }

  update(status: TrayStatus): void {
    if (!this.tray) return;
    this.template = trayMenuTemplate(status, this.actions, this.platform);
    this.tray.setImage(this.icon(status));
    this.tray.setToolTip(trayTooltip(status));
    // The menu bar shows a count beside the icon (macOS only has a title); elsewhere the tooltip and the menu's first item say it.
    if (this.platform === 'darwin') this.tray.setTitle(status.approvals > 0 ? String(status.approvals) : '');
    this.tray.setContextMenu(Menu.buildFromTemplate(this.template));
  }

  /** A short desktop notification: the feedback for tray actions, whose menu closes at once. */
  notify(title: string, body: string): void {
    if (Notification.isSupported()) new Notification({ title, body, silent: true }).show();
    else if (this.platform === 'win32') this.tray?.displayBalloon({ title, content: body, iconType: 'info' });
  }

  /** The current menu, for the end-to-end tests' hook. */
  menu(): TrayMenuItem[] {
    return this.template;
  }

  destroy(): void {
    this.tray?.destroy();
    this.tray = null;
  }

  private icon(status: TrayStatus): NativeImage {
    const file = trayIconFile(this.assetsDir, trayIconKind(status), this.platform, status.approvals > 0);
    let image = this.icons.get(file);
    if (!image) {
      image = nativeImage.createFromPath(file);
      if (this.platform === 'darwin') image.setTemplateImage(true);
      this.icons.set(file, image);
    }
    return image;
  }
}
