// ui/states.js is generated from src/shared/states.ts when it is served (statesModule()):
// the renderer reads the same table as the tray and the /qr page.
export { ACTIONS, API_HINT, PHASES, UNLINK_CONFIRM } from '../src/shared/states.js';
