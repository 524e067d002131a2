/**
 * The data layer's public entry: schema, CSV reading with row-level errors, validation, drift and the
 * statistics behind it. Pure: callers pass text, bytes or async iterables in; nothing here does I/O.
 *
 * @example
 *   import { parseSchema, readRecordsCsv, validateDataset, driftReport } from '../data/index.js';
 */
export { parseSchema, schemaHash, type ColumnType, type Schema } from './schema.js';
export { CsvTokenizer, type CsvRow } from './csv.js';
export {
  describeRowError, detectBinary, parseRow, planHeader, readRecordsCsv,
  type HeaderPlan, type PlanOptions, type ReadOptions, type ReadResult, type RowError,
} from './records.js';
export { duplicateCensus, validateDataset, type ColumnReport, type DuplicateCensus, type ValidateOptions, type ValidationReport } from './validate.js';
export {
  DEFAULT_DRIFT_RULE, DEFAULT_SHARE_THRESHOLD, MAX_CATEGORIES, driftReport, featureDrift,
  type DriftReport, type DriftRule, type FeatureDrift,
} from './drift.js';
export {
  PSI_EPSILON, chi2Contingency, chi2Sf, homogeneityTest, jensenShannon, ks2samp, ks2sampCounts, psi,
  type ChiSquareResult, type KsResult,
} from './stats.js';
export { kolmogorovSf, smirnovSf } from './kolmogorov.js';
