/**
 * A RecordStore that connects on first use, so commands that never touch the records (runs, models,
 * predict, serve) work while the database is down, and start without waiting for a connection.
 */
import type { RecordInput, RecordStore, ScanOptions, StoredRecord, WriteResult } from '../ports/index.js';

export function lazyRecordStore(open: () => Promise<RecordStore>, description: string): RecordStore {
  let store: Promise<RecordStore> | undefined;
  const get = (): Promise<RecordStore> => (store ??= open().catch((e: unknown) => {
    store = undefined; // a later call may find the database back
    throw e;
  }));
  return {
    describe: () => description,
    count: async () => (await get()).count(),
    insertBatch: async (records: readonly RecordInput[]): Promise<WriteResult> => (await get()).insertBatch(records),
    scan: (options?: ScanOptions): AsyncIterable<StoredRecord[]> => ({
      async *[Symbol.asyncIterator]() {
        yield* (await get()).scan(options);
      },
    }),
    replaceAll: async (batches) => (await get()).replaceAll(batches),
    maxUpdatedAt: async () => (await get()).maxUpdatedAt(),
    close: async () => {
      if (store) await (await store.catch(() => undefined))?.close();
    },
  };
}
