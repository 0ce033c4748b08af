import path from 'node:path';
import { Menu, nativeImage, Tray, type NativeImage } from 'electron';
import { statusLine, trayIconKind, trayMenuTemplate, type TrayActions, type TrayIconKind, type TrayMenuItem, type TrayStatus } from './tray-menu.js';

/** macOS menu bar icons are monochrome template images; elsewhere the icon carries a colour per state. */
export function trayIconFile(assetsDir: string, kind: TrayIconKind, platform: NodeJS.Platform = process.platform): string {
  return platform === 'darwin' ? path.join(assetsDir, 'tray', `${kind}Template.png`) : path.join(assetsDir, 'tray', `${kind}.png`);
}

/** The tray icon and its menu, rebuilt from the status on every change. */
export class AppTray {
  private tray: Tray | null = null;
  private readonly icons = new Map<TrayIconKind, NativeImage>();
  private template: TrayMenuItem[] = [];

  constructor(
    private readonly assetsDir: string,
    private readonly actions: TrayActions,
  ) {}

  init(status: TrayStatus): void {
    this.tray = new Tray(this.icon(trayIconKind(status)));
    // Linux trays open the menu on click; elsewhere a click opens the window, the menu is on right-click.
    if (process.platform !== 'linux') this.tray.on('click', () => this.actions.openWindow());
    this.update(status);
  }

  update(status: TrayStatus): void {
    if (!this.tray) return;
    this.template = trayMenuTemplate(status, this.actions);
    this.tray.setImage(this.icon(trayIconKind(status)));
    this.tray.setToolTip(`WhatsApp MCP Desktop — ${statusLine(status)}`);
    this.tray.setContextMenu(Menu.buildFromTemplate(this.template));
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
      image = nativeImage.createFromPath(trayIconFile(this.assetsDir, kind));
      if (process.platform === 'darwin') image.setTemplateImage(true);
      this.icons.set(kind, image);
    }
    return image;
  }
}
