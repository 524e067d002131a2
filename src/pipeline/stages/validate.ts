/**
 * Stage 2, validate: check the split data against the schema (types, allowed values, missing cells),
 * quarantine bad rows into their own artifact (never dropped silently), and measure drift against the
 * baseline — the training data of the model in production, once there is one. Too many bad rows stop
 * the run with a report naming the columns and a sample of bad rows.
 */
import { NsError } from '../../core/errors.js';
import { takeDataset, type Dataset } from '../../core/matrix.js';
import { driftReport } from '../../data/drift.js';
import { validateDataset } from '../../data/validate.js';
import { concatDatasets, datasetToCsv, decodeDataset, encodeDataset } from '../dataset-io.js';
import { trainingDataOf } from '../champion-data.js';
import type { StageContext, ValidateOutput } from '../types.js';

async function loadSplit(ctx: StageContext, key: string): Promise<Dataset> {
  return decodeDataset(await ctx.artifacts.get(key), key);
}

/** The champion's training data, or null before the first accepted model (or when it is gone: drift not measured). */
async function baseline(ctx: StageContext): Promise<{ version: number; data: Dataset } | null> {
  const champion = await ctx.registry.getAlias('champion');
  const data = champion ? await trainingDataOf(ctx, champion) : null;
  return champion && data ? { version: champion.version, data } : null;
}

export async function validate(ctx: StageContext): Promise<ValidateOutput> {
  const ing = ctx.outputs.ingest;
  if (!ing) throw new NsError('STAGE_ORDER', 'validate needs the output of ingest.', { kind: 'state', hint: 'Run the pipeline from ingest.' });
  const train = await loadSplit(ctx, ing.trainKey);
  const test = await loadSplit(ctx, ing.testKey);
  const all = concatDatasets(train, test);
  const { report, goodRows, badRows } = validateDataset(all, ctx.schema, { sampleSize: 20 });
  const reportArt = await ctx.run.write('validate', 'validation_report.json', JSON.stringify(report, null, 2));
  ctx.progress(0.4, `${report.badRowCount} bad rows of ${report.rows}`);

  let quarantineKey: string | null = null;
  if (badRows.length > 0) {
    quarantineKey = (await ctx.run.write('validate', 'quarantine.csv', datasetToCsv(takeDataset(all, badRows), ctx.schema))).key;
  }
  const badShare = report.rows === 0 ? 1 : report.badRowCount / report.rows;
  if (report.missingColumns.length > 0 || badShare > ctx.options.maxBadRowShare) {
    const columns = report.columns.filter((c) => c.invalid > 0 || c.missing > 0).map((c) => c.name);
    const sample = report.badRows.slice(0, 3).map((r) => `row ${r.line}: ${r.reason}`).join('; ');
    throw new NsError('VALIDATION_FAILED', `Validation failed: ${report.badRowCount} of ${report.rows} rows are bad${
      report.missingColumns.length ? `, missing columns ${report.missingColumns.join(', ')}` : ''}${columns.length ? ` (columns ${columns.join(', ')})` : ''}${sample ? `; e.g. ${sample}` : ''}.`, {
      hint: `See ${reportArt.key}${quarantineKey ? ` and ${quarantineKey}` : ''}; fix the data or raise --max-bad-row-share.`,
      details: { report: reportArt.key, quarantine: quarantineKey, badRowCount: report.badRowCount, columns },
    });
  }

  // Keep only good rows on each side of the split.
  const goodTrain: number[] = [];
  const goodTest: number[] = [];
  for (const i of goodRows) (i < train.X.rows ? goodTrain : goodTest).push(i < train.X.rows ? i : i - train.X.rows);
  let trainKey = ing.trainKey;
  let testKey = ing.testKey;
  if (badRows.length > 0) {
    trainKey = (await ctx.run.write('validate', 'train.valid.nsds', encodeDataset(takeDataset(train, goodTrain)))).key;
    testKey = (await ctx.run.write('validate', 'test.valid.nsds', encodeDataset(takeDataset(test, goodTest)))).key;
  }

  let drift: ValidateOutput['drift'] = null;
  let driftReportKey: string | null = null;
  const base = await baseline(ctx);
  if (base) {
    const current = takeDataset(all, goodRows);
    const dr = driftReport(base.data.X, current.X, ctx.schema.features, { shareThreshold: ctx.options.driftShareThreshold });
    driftReportKey = (await ctx.run.write('validate', 'drift_report.json', JSON.stringify({ baselineVersion: base.version, ...dr }, null, 2))).key;
    drift = { datasetDrift: dr.datasetDrift, driftedShare: dr.driftedShare, driftedFeatures: dr.features.filter((f) => f.drifted).map((f) => f.feature), baselineVersion: base.version };
  }
  ctx.progress(1, drift ? `drift: ${drift.driftedFeatures.length} features drifted${drift.datasetDrift ? ' (data set drift)' : ''}` : 'no baseline yet for drift');
  return {
    ok: true, reportKey: reportArt.key, driftReportKey, quarantineKey, badRowCount: report.badRowCount,
    trainKey, testKey, trainRows: goodTrain.length, testRows: goodTest.length, drift,
  };
}
