/** The MongoDB record store and its URL helpers: the one entry the composition root imports. */
export { MongoRecordStore, openMongoRecordStore, parseRecordFormat } from './record-store.js';
export type { MongoRecordFormat, MongoRecordStoreOptions } from './record-store.js';
