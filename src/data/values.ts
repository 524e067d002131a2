/**
 * The one meaning of a cell value, used by every surface that reads feature values: the ETL and
 * `predict` (CSV files), and the API's JSON, CSV, MLflow and Open Inference routes.
 *
 * - A number is written in plain decimal: a JSON number, or text of digits with an optional leading
 *   minus ("-1", "0", "1"; for float64 columns also a fraction, "0.25"). Nothing else is a number:
 *   not "0x1", "0b1", "1e0", "+1", " 1 " (spaces), "01", nor true/false.
 * - A value is missing when it is an empty cell, exactly `na` or `NaN`, or JSON null. Missing values
 *   are imputed by the model's preprocessing (fitted on the training data) and counted.
 *
 * Whether a number is allowed (-1, 0, 1 for this data set) is the schema's business, checked after.
 *
 * @example
 *   parseValue('-1'); // -1
 *   parseValue('na'); // NaN (missing)
 *   parseValue('1e0'); // undefined (not a value)
 */

/** The spellings of a missing value in text. */
export const MISSING_SPELLINGS: readonly string[] = ['', 'na', 'NaN'];

const INTEGER_TEXT = /^-?(0|[1-9]\d*)$/;
const DECIMAL_TEXT = /^-?(0|[1-9]\d*)(\.\d+)?$/;

/**
 * A cell as a number, NaN when missing, undefined when it is not a value. `integer` (default true)
 * refuses fractions, as int64 columns do.
 */
export function parseValue(v: unknown, integer = true): number | undefined {
  if (typeof v === 'string') {
    // Fast path for the one- and two-character integers that make up almost all of the data.
    const len = v.length;
    if (len === 1) {
      const d = v.charCodeAt(0) - 48;
      if (d >= 0 && d <= 9) return d;
    } else if (len === 2 && v.charCodeAt(0) === 45) {
      const d = v.charCodeAt(1) - 48;
      if (d >= 1 && d <= 9) return -d;
    }
    if (v === '' || v === 'na' || v === 'NaN') return NaN;
    return (integer ? INTEGER_TEXT : DECIMAL_TEXT).test(v) ? Number(v) : undefined;
  }
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return NaN;
    return Number.isFinite(v) && (!integer || Number.isInteger(v)) ? v : undefined;
  }
  return v === null ? NaN : undefined;
}
