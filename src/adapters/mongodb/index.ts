/** The MongoDB record store, the shared state (run index, registry) and their URL helpers: the one entry the composition root imports. */
export { MongoRecordStore, openMongoRecordStore, parseRecordFormat } from './record-store.js';
export type { MongoRecordFormat, MongoRecordStoreOptions } from './record-store.js';
export { openMongoState, type MongoState, type MongoStateOptions } from './state.js';
