/** The ports: interfaces only. Concrete adapters live in src/adapters and are picked in src/main. */
export type * from './record-store.js';
export type * from './artifact-store.js';
export type * from './tracker.js';
export type * from './registry.js';
export type * from './job-queue.js';
export type * from './run-store.js';
export type * from './page-fetcher.js';
export type * from './feature-provider.js';
export type * from './note-store.js';
