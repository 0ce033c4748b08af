// The module system. WhatsApp Web ships its code as named modules that whatsapp-web.js
// reaches through window.require(name); the simulator registers stand-ins under the same
// names. Asking for a module that is not simulated throws, so a whatsapp-web.js release
// that starts using another module fails loudly here instead of half-working.

const moduleFactories = new Map();
const moduleExports = new Map();
// Names that were asked for but are not simulated, kept for snapshot(): whatsapp-web.js
// swallows some of these errors (injectToFunction), and a test can still see them.
const missingModules = new Set();

function defineModule(name, factory) {
  if (moduleFactories.has(name)) throw new Error(`WhatsApp Web simulator: module '${name}' is defined twice`);
  moduleFactories.set(name, factory);
}

function requireModule(name) {
  if (moduleExports.has(name)) return moduleExports.get(name);
  const factory = moduleFactories.get(name);
  if (!factory) {
    missingModules.add(String(name));
    throw new Error(
      `WhatsApp Web simulator: module '${name}' is not simulated. ` +
        'whatsapp-web.js now uses a part of WhatsApp Web that src/whatsapp/simulator/page does not provide; add it there.',
    );
  }
  const exports = factory();
  moduleExports.set(name, exports);
  return exports;
}

window.require = requireModule;
// whatsapp-web.js polls for Debug.VERSION to know that WhatsApp Web has booted.
window.Debug = { VERSION: SIMULATOR_VERSION };
