/**
 * The window's only door to the main process. Sandboxed preloads run as CommonJS and can
 * require nothing but `electron`, so this file is .cts (tsc emits preload.cjs) and imports
 * the shared contract for its types only.
 */
import electron = require('electron');
import type { CopyItem, DesktopApi, InvokeArg, InvokeChannel, InvokeResult, IpcResult, StatusView } from '../shared/ipc.js';

const { contextBridge, ipcRenderer } = electron;

// Must equal STATUS_CHANNEL in src/shared/ipc.ts (a value cannot be required from there).
const STATUS_CHANNEL: typeof import('../shared/ipc.js').STATUS_CHANNEL = 'status:changed';

function invoke<C extends InvokeChannel>(channel: C, ...arg: InvokeArg<C> extends void ? [] : [InvokeArg<C>]): Promise<IpcResult<InvokeResult<C>>> {
  return ipcRenderer.invoke(channel, ...arg) as Promise<IpcResult<InvokeResult<C>>>;
}

const api: DesktopApi = {
  getStatus: () => invoke('status:get'),
  getQr: () => invoke('qr:get'),
  getConfig: () => invoke('config:get'),
  startAuth: () => invoke('auth:start'),
  requestPairingCode: (phoneNumber: string) => invoke('auth:pairing-code', { phone_number: phoneNumber }),
  logout: () => invoke('auth:logout'),
  copy: (item: CopyItem) => invoke('clipboard:copy', { item }),
  simulatePhoneLink: () => invoke('demo:link'),
  onStatus(listener: (status: StatusView) => void) {
    const handler = (_event: unknown, status: StatusView): void => listener(status);
    ipcRenderer.on(STATUS_CHANNEL, handler);
    return () => {
      ipcRenderer.off(STATUS_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('whatsappDesktop', api);
