// WhatsApp Web's models are Backbone-like: on/off/once with space-separated event names,
// 'change:<prop>' events carrying (model, value, previousValue), and collections that
// re-emit the events of their models. whatsapp-web.js subscribes to exactly these.

// Errors thrown by listeners (including whatsapp-web.js's own) are collected instead of
// breaking the simulated action that fired the event; snapshot() reports them.
const listenerErrors = [];

class Emitter {
  on(names, fn) {
    return this._listen(names, fn, false);
  }

  once(names, fn) {
    return this._listen(names, fn, true);
  }

  off(names, fn) {
    if (!this._listeners) return this;
    for (const name of names.split(/\s+/)) {
      const list = this._listeners.get(name);
      if (!list) continue;
      const kept = list.filter((l) => l.fn !== fn);
      if (kept.length) this._listeners.set(name, kept);
      else this._listeners.delete(name);
    }
    return this;
  }

  trigger(name, ...args) {
    const list = this._listeners && this._listeners.get(name);
    if (!list) return;
    for (const listener of list.slice()) {
      if (listener.once) this.off(name, listener.fn);
      try {
        const result = listener.fn.apply(this, args);
        if (result && typeof result.catch === 'function') result.catch(recordListenerError(name));
      } catch (error) {
        recordListenerError(name)(error);
      }
    }
  }

  // Resolves once somebody listens to `name`; the history sync needs it (linking.js).
  whenListened(name) {
    if (this._listeners && this._listeners.has(name)) return Promise.resolve();
    return new Promise((resolve) => {
      this._listenedWaiters = this._listenedWaiters || [];
      this._listenedWaiters.push({ name, resolve });
    });
  }

  _listen(names, fn, once) {
    this._listeners = this._listeners || new Map();
    for (const name of names.split(/\s+/)) {
      if (!name) continue;
      if (!this._listeners.has(name)) this._listeners.set(name, []);
      this._listeners.get(name).push({ fn, once });
      this._notifyListened(name);
    }
    return this;
  }

  _notifyListened(name) {
    if (!this._listenedWaiters) return;
    const waiting = this._listenedWaiters.filter((w) => w.name === name);
    this._listenedWaiters = this._listenedWaiters.filter((w) => w.name !== name);
    for (const w of waiting) w.resolve();
  }
}

function recordListenerError(name) {
  return (error) => {
    listenerErrors.push(`${name}: ${error && error.message ? error.message : String(error)}`);
    console.error(`WhatsApp Web simulator: a '${name}' listener failed`, error);
  };
}

// A model keeps its WhatsApp properties in `_attrs`; defineProps() adds accessors so that
// `chat.unreadCount` reads and `chat.unreadCount = 2` writes (and emits), as in WhatsApp.
class Model extends Emitter {
  constructor(attrs) {
    super();
    this._attrs = {};
    this._collections = [];
    const allowed = this.constructor.props;
    for (const key of Object.keys(attrs || {})) {
      // Only declared properties are kept: whatsapp-web.js spreads its whole send-options
      // object into a new message, and those options are not message properties.
      if (allowed.includes(key) && attrs[key] !== undefined) this._attrs[key] = attrs[key];
    }
  }

  set(keyOrAttrs, value) {
    const attrs = typeof keyOrAttrs === 'string' ? { [keyOrAttrs]: value } : keyOrAttrs;
    const changes = [];
    for (const key of Object.keys(attrs)) {
      const previous = this._attrs[key];
      if (previous === attrs[key]) continue;
      this._attrs[key] = attrs[key];
      changes.push([key, attrs[key], previous]);
    }
    for (const [key, next, previous] of changes) this.trigger(`change:${key}`, this, next, previous);
    if (changes.length) this.trigger('change', this);
    return this;
  }

  serialize() {
    return { ...this._attrs };
  }

  toJSON() {
    return this.serialize();
  }

  trigger(name, ...args) {
    super.trigger(name, ...args);
    for (const collection of this._collections) collection.trigger(name, ...args);
  }
}

function defineProps(ModelClass, props) {
  ModelClass.props = props;
  for (const key of props) {
    Object.defineProperty(ModelClass.prototype, key, {
      get() {
        return this._attrs[key];
      },
      set(value) {
        this.set(key, value);
      },
      configurable: true,
    });
  }
}

function idKey(id) {
  if (typeof id === 'string') return id;
  return id && id._serialized;
}

class Collection extends Emitter {
  constructor() {
    super();
    // whatsapp-web.js hooks the first Map it finds on WAWebCallCollection (see actions.js).
    this._index = new Map();
    this._models = [];
  }

  get length() {
    return this._models.length;
  }

  get(id) {
    return this._index.get(idKey(id));
  }

  // A copy, so that a caller sorting the result (our adapter does) cannot reorder the collection.
  getModelsArray() {
    return this._models.slice();
  }

  add(modelOrModels, options) {
    const incoming = Array.isArray(modelOrModels) ? modelOrModels : [modelOrModels];
    const added = [];
    for (const model of incoming) {
      const key = idKey(model.id);
      if (this._index.has(key)) continue;
      this._index.set(key, model);
      model._collections.push(this);
      added.push(model);
    }
    if (options && options.at === 0) this._models = added.concat(this._models);
    else for (const model of added) this._models.push(model);
    for (const model of added) this.trigger('add', model, this);
  }

  remove(model) {
    const key = idKey(model.id);
    if (this._index.get(key) !== model) return;
    this._index.delete(key);
    this._models = this._models.filter((m) => m !== model);
    model._collections = model._collections.filter((c) => c !== this);
    this.trigger('remove', model, this);
  }

  toJSON() {
    return this._models.map((m) => m.toJSON());
  }
}
