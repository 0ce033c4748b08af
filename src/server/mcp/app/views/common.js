// Shared by the MCP App views. The server inlines, in this order: the extension's bundle
// (`const ExtApps = { App, applyDocumentTheme, … }`), this file, then the view's own script,
// all in one module script of a page that loads nothing else. Text from tool results goes
// into the page as text only (textContent), never as markup.

/** What the server put in the page: the state table for the link view. */
const VIEW_DATA = JSON.parse(document.getElementById('view-data').textContent || '{}');

/** How often a view asks again while something is under way, and for how long at most. */
const POLL_MS = 3000;
const POLL_FOR_MS = 10 * 60 * 1000;

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @param {string} id @param {string | null | undefined} text */
function setText(id, text) {
  const el = $(id);
  el.textContent = text ?? '';
  return el;
}

/** @param {string} id @param {boolean} visible */
function show(id, visible) {
  $(id).hidden = !visible;
}

/** The client's theme and style variables, as it sends them (none: the system's light or dark). */
function applyHostContext(ctx) {
  if (!ctx) return;
  if (ctx.theme === 'light' || ctx.theme === 'dark') ExtApps.applyDocumentTheme(ctx.theme);
  if (ctx.styles && ctx.styles.variables) ExtApps.applyHostStyleVariables(ctx.styles.variables);
}

/**
 * The view's connection to the client. Handlers are set before the handshake, so the tool
 * result the view was opened for is not missed; `ready` settles when the handshake is done.
 */
function connectView(name, { onResult, onTeardown }) {
  const app = new ExtApps.App({ name, version: '1.0.0' }, {}, { autoResize: true });
  app.ontoolresult = (result) => onResult(result);
  app.onhostcontextchanged = (ctx) => applyHostContext(ctx);
  app.onteardown = async () => {
    if (onTeardown) onTeardown();
    return {};
  };
  const ready = app.connect().then(() => applyHostContext(app.getHostContext()));
  return { app, ready };
}

/** Says that the view could not reach the client (it was opened outside one, or the handshake failed). */
function connectFailed(err) {
  setText('error', `Could not connect to the chat client: ${errorWords(err)}`);
  show('error', true);
}

/** The first text block of a tool result (the JSON every client gets, or "CODE: what to do"). */
function resultText(result) {
  const first = (result.content || []).find((c) => c && c.type === 'text');
  return first ? String(first.text) : '';
}

/** The structured answer of a tool result (the text's JSON for a server that sends none). */
function resultData(result) {
  if (result.structuredContent) return result.structuredContent;
  try {
    return JSON.parse(resultText(result));
  } catch {
    return null;
  }
}

/** Calls one of the server's tools through the client; a failed call throws with the tool's own words. */
async function callTool(app, name, args) {
  const result = await app.callServerTool({ name, arguments: args || {} });
  if (result.isError) throw new Error(resultText(result) || `${name} failed`);
  return result;
}

/** An error as a person reads it: the product's message without its code prefix. */
function errorWords(err) {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/^[A-Z][A-Z0-9_]+:\s*/, '');
}

/**
 * Calls `tick` every POLL_MS while `tick` answers true, for at most POLL_FOR_MS (then
 * `onGiveUp`); a view that nobody looks at must not keep calling tools for ever.
 */
function poller(tick, onGiveUp) {
  let timer = 0;
  let until = 0;
  let running = false;
  /** Bumped by stop(): a tick that was under way then does not schedule the next. */
  let generation = 0;
  const schedule = (gen) => {
    timer = window.setTimeout(async () => {
      timer = 0;
      if (gen !== generation) return;
      if (Date.now() > until) {
        running = false;
        onGiveUp();
        return;
      }
      let again = true;
      try {
        again = await tick();
      } catch {
        // A failed call (the client busy, WhatsApp restarting) is tried again.
      }
      if (gen !== generation) return;
      if (again) schedule(gen);
      else running = false;
    }, POLL_MS);
  };
  return {
    /** Polls from now on (the first call after one interval), for another POLL_FOR_MS. */
    start() {
      until = Date.now() + POLL_FOR_MS;
      if (running) return;
      running = true;
      schedule(generation);
    },
    stop() {
      generation++;
      running = false;
      if (timer) window.clearTimeout(timer);
      timer = 0;
    },
  };
}
