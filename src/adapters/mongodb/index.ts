/** The MongoDB record store and its URL helpers: the one entry the composition root imports. */
export { MongoRecordStore, openMongoRecordStore } from './record-store.js';
export { redactMongoUrl } from './url.js';
