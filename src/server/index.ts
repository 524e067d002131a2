/** The HTTP server's public entry: build it from ServerDeps (see deps.ts), then listen. */
export { buildServer } from './app.js';
export { defaultLimits } from './deps.js';
export { allowedHostNames } from './origin.js';
export type { ScoringModel, ServerDeps, ServerLimits, ServerSchema, SnapshotInfo } from './deps.js';
