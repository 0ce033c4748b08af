import path from 'node:path';
import { Menu, nativeImage, Notification, Tray, type MessageBoxOptions, type NativeImage } from 'electron';
import { UNLINK_CONFIRM } from '../shared/states.js';
import { trayIconKind, trayMenuTemplate, trayTooltip, type TrayActions, type TrayIconKind, type TrayMenuItem, type TrayStatus } from './tray-menu.js';

/**
 * macOS menu bar icons are monochrome template images; Windows trays want an .ico (one image
 * per display scale); elsewhere a PNG (with its @2x) carries a colour per state.
 */
export function trayIconFile(assetsDir: string, kind: TrayIconKind, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return path.join(assetsDir, 'tray', `${kind}Template.png`);
  if (platform === 'win32') return path.join(assetsDir, 'tray', `${kind}.ico`);
  return path.join(assetsDir, 'tray', `${kind}.png`);
}

/** Asks before unlinking from the tray, as the window does; true only for an explicit "Log out". */
export async function confirmUnlink(ask: (options: MessageBoxOptions) => Promise<{ response: number }>): Promise<boolean> {
  const buttons = [UNLINK_CONFIRM.cancel, UNLINK_CONFIRM.confirm];
  const { response } = await ask({ type: 'question', buttons, defaultId: 0, cancelId: 0, noLink: true, message: UNLINK_CONFIRM.title, detail: UNLINK_CONFIRM.text });
  return response === 1;
}

/** The tray icon and its menu, rebuilt from the status on every change. */
export class AppTray {
  private tray: Tray | null = null;
  private readonly icons = new Map<TrayIconKind, NativeImage>();
  private template: TrayMenuItem[] = [];

  constructor(
    private readonly assetsDir: string,
    private readonly actions: TrayActions,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  init(status: TrayStatus): void {
    this.tray = new Tray(this.icon(trayIconKind(status)));
    // A click opens the window wherever the tray reports clicks (Windows, macOS, KDE and other
    // StatusNotifier hosts); where a click opens the menu instead (GNOME's AppIndicator), the
    // menu's "Open window" does it.
    this.tray.on('click', () => this.actions.openWindow());
    this.update(status);
  }

  update(status: TrayStatus): void {
    if (!this.tray) return;
    this.template = trayMenuTemplate(status, this.actions, this.platform);
    this.tray.setImage(this.icon(trayIconKind(status)));
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

  private icon(kind: TrayIconKind): NativeImage {
    let image = this.icons.get(kind);
    if (!image) {
      image = nativeImage.createFromPath(trayIconFile(this.assetsDir, kind, this.platform));
      if (this.platform === 'darwin') image.setTemplateImage(true);
      this.icons.set(kind, image);
    }
    return image;
  }
}
