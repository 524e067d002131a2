/** Model selection (public entry): splits, folds, feature-vector groups and hyper-parameter search. */
export * from './groups.js';
export * from './kfold.js';
export * from './search.js';
export * from './sklearn-split.js';
export * from './split.js';
export { stagedParam, truncateState } from './staged.js';
export type { Scoring } from './trial.js';
export * from './presets.js';
export * from './soft-vote.js';
