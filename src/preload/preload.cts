/**
 * The window's only door to the main process. Sandboxed preloads run as CommonJS and can
 * require nothing but `electron`, so this file is .cts (tsc emits preload.cjs) and imports
 * the shared contract for its types only.
 */
import electron = require('electron');
import type { ApprovalDecision, CopyItem, DesktopApi, EventView, InvokeArg, InvokeChannel, InvokeResult, IpcResult, LinkClient, NewClientKey, StatusView } from '../shared/ipc.js';

const { contextBridge, ipcRenderer } = electron;

// Must equal the channels in src/shared/ipc.ts (a value cannot be required from there; the types check it).
const STATUS_CHANNEL: typeof import('../shared/ipc.js').STATUS_CHANNEL = 'status:changed';
const EVENT_CHANNEL: typeof import('../shared/ipc.js').EVENT_CHANNEL = 'event:logged';

/** Subscribes to a main -> window push; returns the unsubscribe. The IPC event object never reaches the page. */
function subscribe<T>(channel: string, listener: (payload: T) => void): () => void {
  const handler = (_event: unknown, payload: T): void => listener(payload);
  ipcRenderer.on(channel, handler);
  return () => {
    ipcRenderer.off(channel, handler);
  };
}

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
  onStatus: (listener: (status: StatusView) => void) => subscribe(STATUS_CHANNEL, listener),
  getActivity: () => invoke('activity:get'),
  getChats: () => invoke('chats:get'),
  getHealth: () => invoke('health:get'),
  onEvent: (listener: (event: EventView) => void) => subscribe(EVENT_CHANNEL, listener),
  getApprovals: () => invoke('approvals:get'),
  decideApproval: (id: string, decision: ApprovalDecision) => invoke('approvals:decide', { id, decision }),
  getSend: (id: string) => invoke('send:get', { id }),
  getKeys: () => invoke('keys:get'),
  createKey: (input: NewClientKey) => invoke('keys:create', input),
  revokeKey: (id: string) => invoke('keys:revoke', { id }),
  getAgents: () => invoke('agents:get'),
  setAgentsPaused: (paused: boolean) => invoke('agents:set', { paused }),
  openInstallLink: (client: LinkClient) => invoke('link:open', { client }),
  getAccounts: () => invoke('accounts:get'),
  createAccount: (input: { id: string; name?: string }) => invoke('accounts:create', input),
  removeAccount: (id: string) => invoke('accounts:remove', { id }),
  selectAccount: (id: string) => invoke('accounts:select', { id }),
};

contextBridge.exposeInMainWorld('whatsappDesktop', api);
