export * from './common.js';
export * from './linking.js';
export * from './reading.js';
export * from './sending.js';
export * from './outbox.js';
export * from './search.js';
export * from './webhooks.js';
export * from './agents.js';
