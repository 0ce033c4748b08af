import { mkdirSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { app } from 'electron';
import { appDataDir } from '../core/config.js';

/**
 * "Start at login". Electron does it on macOS and Windows; on Linux the freedesktop way is
 * an autostart entry (the AppImage's own path when run from one).
 */
const linuxEntry = (): string => path.join(appDataDir('linux'), 'autostart', 'whatsapp-mcp-desktop.desktop');

export function getOpenAtLogin(): boolean {
  if (process.platform === 'linux') return existsSync(linuxEntry());
  return app.getLoginItemSettings().openAtLogin;
}

export function setOpenAtLogin(enabled: boolean): void {
  if (process.platform !== 'linux') {
    app.setLoginItemSettings({ openAtLogin: enabled });
    return;
  }
  const file = linuxEntry();
  if (!enabled) {
    rmSync(file, { force: true });
    return;
  }
  const exec = process.env.APPIMAGE ?? process.execPath;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(
    file,
    ['[Desktop Entry]', 'Type=Application', 'Name=WhatsApp MCP Desktop', `Exec="${exec.replace(/"/g, '\\"')}"`, 'X-GNOME-Autostart-enabled=true', ''].join('\n'),
  );
}
