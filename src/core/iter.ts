/**
 * Adapts a synchronous iterable (an array, a generator) to the AsyncIterable that streaming readers
 * and stores take, without buffering it.
 *
 * @example
 *   await readRecordsCsv(toAsync([bytes]), schema, opts);
 */
export function toAsync<T>(items: Iterable<T>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const it = items[Symbol.iterator]();
      return { next: () => Promise.resolve(it.next()) };
    },
  };
}
