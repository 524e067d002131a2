/** The embedded tracker and registry (SQLite state file): the one entry other code imports. */
export { openLocalTracker, normalizeArtifactPath, paramToString } from './local-tracker.js';
export { openLocalRegistry, type LocalRegistry } from './local-registry.js';
export type * from './types.js';
