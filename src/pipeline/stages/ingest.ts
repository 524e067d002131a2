/**
 * Stage 1, ingest: read the records (only those newer than the last run's watermark, appended to that
 * run's snapshot, unless --full or a reproduced snapshot), write the feature-store snapshot (CSV, with
 * its sha256), count duplicate feature vectors, and split train/test leakage-aware, class-balanced and
 * stable (stableGroupSplit): the vectors of the last successful run with the same seed and test share
 * keep their side, new vectors are placed in the order of a seeded hash of the vector so that each
 * class keeps its share; reported with each side's share of phishing rows.
 */
import { NsError } from '../../core/errors.js';
import { takeDataset, type Dataset } from '../../core/matrix.js';
import { concatDatasets, DatasetBuilder, datasetFromCsv, datasetToCsv, decodeDataset, encodeDataset } from '../dataset-io.js';
import { duplicateCensus } from '../../data/validate.js';
import { classShare, featureVectorGroups, stableGroupSplit } from '../../ml/model-selection/index.js';
import { PHISHING } from '../predictor.js';
import type { IngestOutput, StageContext } from '../types.js';

export interface IngestSource {
  /** The last successful run's ingest output, for incremental reads. */
  previous: IngestOutput | null;
  /** A recorded snapshot to reproduce (`train --snapshot`). */
  snapshot: { key: string; sha256: string } | null;
  /** The split to carry forward (the last successful run with the same seed and test share), or null. */
  carry: { runId: string; trainKey: string; testKey: string } | null;
}

export async function ingest(ctx: StageContext, source: IngestSource): Promise<IngestOutput> {
  const { schema } = ctx;
  let dataset: Dataset;
  let watermark = 0;
  let newRecords = 0;
  let baseSnapshot: string | null = null;

  if (source.snapshot) {
    const bytes = await ctx.artifacts.get(source.snapshot.key);
    dataset = (await datasetFromCsv(bytes, schema)).dataset;
    baseSnapshot = source.snapshot.sha256;
    ctx.progress(0.5, `reproducing snapshot ${source.snapshot.sha256.slice(0, 12)} (${dataset.X.rows} rows)`);
  } else {
    const previous = ctx.options.full ? null : source.previous;
    const builder = new DatasetBuilder(schema);
    const total = await ctx.records.count();
    const scan = ctx.records.scan({ batchSize: 5000, ...(previous ? { since: previous.watermark } : {}), ...(ctx.signal ? { signal: ctx.signal } : {}) });
    for await (const batch of scan) {
      builder.add(batch);
      ctx.progress(Math.min(0.9, (0.9 * builder.rows) / Math.max(1, total)), `read ${builder.rows} records`);
    }
    newRecords = builder.rows;
    const fresh = builder.build();
    watermark = Math.max(builder.maxUpdatedAt, previous?.watermark ?? 0);
    if (previous && previous.rows + fresh.X.rows === total) {
      const base = await datasetFromCsv(await ctx.artifacts.get(previous.snapshotKey), schema);
      dataset = concatDatasets(base.dataset, fresh);
      baseSnapshot = previous.snapshotSha256;
    } else if (previous) {
      // The store no longer matches previous snapshot + new records (e.g. an ETL in replace mode): read it all.
      ctx.logger.info('record store changed beyond appends; reading every record', { previousRows: previous.rows, total });
      return ingest({ ...ctx, options: { ...ctx.options, full: true } }, { previous: null, snapshot: null, carry: source.carry });
    } else {
      dataset = fresh;
    }
  }
  if (dataset.X.rows === 0) {
    throw new NsError('NO_RECORDS', `The record store ${ctx.records.describe()} holds no records.`, {
      hint: 'Load data first: networksecurity etl --source data/phisingData.csv',
    });
  }

  const snapshot = await ctx.run.write('ingest', 'feature_store.csv', datasetToCsv(dataset, schema));
  // Identical feature vectors form one group, so they never straddle train and test; the groups of the
  // carried split keep their side, so they stay put as the data grows.
  const groups = featureVectorGroups(dataset.X);
  const sides = await carriedSides(ctx, source.carry);
  const split = stableGroupSplit(dataset.y, groups, { testSize: ctx.options.testSize, seed: ctx.options.seed, ...(sides ? { sides } : {}) });
  const train = takeDataset(dataset, split.train);
  const test = takeDataset(dataset, split.test);
  const trainArt = await ctx.run.write('ingest', 'train.nsds', encodeDataset(train));
  const testArt = await ctx.run.write('ingest', 'test.nsds', encodeDataset(test));
  const phishingShare = {
    whole: classShare(dataset.y, Int32Array.from(dataset.y.keys()), PHISHING),
    train: classShare(dataset.y, split.train, PHISHING),
    test: classShare(dataset.y, split.test, PHISHING),
  };
  const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;
  ctx.progress(1, `${dataset.X.rows} rows; train ${train.X.rows}, test ${test.X.rows}; phishing share ${pct(phishingShare.whole)} (train ${pct(phishingShare.train)}, test ${pct(phishingShare.test)})`);
  return {
    snapshotKey: snapshot.key,
    snapshotSha256: snapshot.sha256,
    rows: dataset.X.rows,
    watermark,
    newRecords,
    baseSnapshot,
    trainKey: trainArt.key,
    testKey: testArt.key,
    trainRows: train.X.rows,
    testRows: test.X.rows,
    duplicates: duplicateCensusOf(dataset),
    split: {
      strategy: 'stable-balanced', testSize: ctx.options.testSize, seed: ctx.options.seed, carriedFrom: sides ? source.carry!.runId : null, testSha256: testArt.sha256,
      groupsOnBothSides: groupsOnBothSides(groups, split.test, split.train), phishingShare,
    },
  };
}

/** Group id → side of the carried split's rows, or null (logged) when its split files are gone. */
async function carriedSides(ctx: StageContext, carry: IngestSource['carry']): Promise<Map<number, 0 | 1> | null> {
  if (!carry) return null;
  if (!(await ctx.artifacts.exists(carry.trainKey)) || !(await ctx.artifacts.exists(carry.testKey))) {
    ctx.logger.warn(`the split of run ${carry.runId} is not in the artifact store; splitting afresh`, { trainKey: carry.trainKey, testKey: carry.testKey });
    return null;
  }
  const sides = new Map<number, 0 | 1>();
  for (const [key, side] of [[carry.trainKey, 0], [carry.testKey, 1]] as const) {
    for (const g of featureVectorGroups(decodeDataset(await ctx.artifacts.get(key), key).X)) sides.set(g, side);
  }
  return sides;
}

function duplicateCensusOf(ds: Dataset): IngestOutput['duplicates'] {
  const { distinctVectors, duplicateRows, conflictingLabels } = duplicateCensus(ds);
  return { distinctVectors, duplicateRows, conflictingLabels };
}

/** Measured, not assumed: groups with rows on both sides of the split (0 for a leakage-free split). */
function groupsOnBothSides(groups: Int32Array, test: Int32Array, train: Int32Array): number {
  const inTest = new Set(Array.from(test, (i) => groups[i]));
  return new Set(Array.from(train, (i) => groups[i]).filter((g) => inTest.has(g))).size;
}
