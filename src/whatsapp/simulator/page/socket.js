// Connection-level singletons: the socket state machine, the connection info, the command
// bus and presence. Their behaviour (state changes, logout) is driven by linking.js.

class SocketModel extends Model {
  // Socket.logout() is what whatsapp-web.js's client.logout() calls before closing the browser.
  logout() {
    return unlinkDevice('logout');
  }

  // "Use here" after a CONFLICT; whatsapp-web.js calls it when takeoverOnConflict is set.
  takeover() {
    if (this.state !== 'CONFLICT') throw new Error(`Socket.takeover: the socket is ${this.state}, not CONFLICT`);
    reconnect();
  }
}
defineProps(SocketModel, ['state', 'hasSynced']);
const Socket = new SocketModel({ state: 'UNLAUNCHED', hasSynced: false });

class ConnModel extends Model {}
defineProps(ConnModel, ['ref', 'wid', 'pushname', 'platform', 'connected']);
const Conn = new ConnModel({ connected: false });

// The command bus: whatsapp-web.js listens for 'logout', 'logout_from_bridge' and
// 'offline_progress_update_from_bridge' on it, and deletes messages for everyone or only
// for me through it (message-actions.js).
class CmdBus extends Emitter {
  sendRevokeMsgs(chat, selection, _options) {
    return revokeMessages(chat, selection);
  }

  sendDeleteMsgs(chat, selection, _clearMedia) {
    return deleteMessagesForMe(chat, selection);
  }
}
const Cmd = new CmdBus();

class StreamModel extends Model {
  markAvailable() {
    this.available = true;
  }

  markUnavailable() {
    this.available = false;
  }
}
defineProps(StreamModel, ['available']);
const Stream = new StreamModel({ available: false });

defineModule('WAWebSocketModel', () => ({ Socket }));
defineModule('WAWebConnModel', () => ({ Conn }));
defineModule('WAWebCmd', () => ({ Cmd }));
defineModule('WAWebStreamModel', () => ({ Stream }));
defineModule('WAWebOfflineHandler', () => ({
  OfflineMessageHandler: {
    getOfflineDeliveryProgress: () => historySync.progress,
  },
}));

// Resolves when the socket is CONNECTED: sends made while it is not wait for the
// reconnection before the server acknowledges them, as on WhatsApp.
function whenConnected() {
  if (Socket.state === 'CONNECTED') return Promise.resolve();
  return new Promise((resolve) => {
    const onState = (_socket, state) => {
      if (state !== 'CONNECTED') return;
      Socket.off('change:state', onState);
      resolve();
    };
    Socket.on('change:state', onState);
  });
}
