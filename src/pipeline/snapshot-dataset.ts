/**
 * A run's data snapshot (the ingest stage's feature_store.csv) described as an MLflow dataset input, so
 * MLflow's run list shows it in its "Dataset" column: name, digest, where the snapshot lives, the
 * schema as MLflow column specs and a profile. MLflow keeps at most 36 characters of a digest, so the
 * digest is the first 36 hex digits of the snapshot's sha256; the full sha256 is in the profile (and in
 * the run's `snapshot_sha256` param).
 *
 * @example
 *   await tracking.logDataset(snapshotDataset(outputs.ingest, schema, artifacts.describe()));
 */
import type { Schema } from '../data/schema.js';
import type { DatasetInput } from '../ports/tracker.js';
import type { IngestOutput } from './types.js';

/** MLflow's limit on a dataset digest. */
const MLFLOW_DIGEST_CHARS = 36;

export function snapshotDataset(ing: Pick<IngestOutput, 'snapshotKey' | 'snapshotSha256' | 'rows'>, schema: Pick<Schema, 'features' | 'target' | 'types'>, artifactsUri: string): DatasetInput {
  const uri = `${artifactsUri.replace(/\/+$/, '')}/${ing.snapshotKey}`;
  const scheme = /^([a-z0-9]+):/i.exec(uri)?.[1]?.toLowerCase();
  const colspec = [...schema.features, schema.target].map((name) => ({ type: schema.types[name] === 'float64' ? 'double' : 'long', name, required: false }));
  return {
    name: `feature_store@${ing.snapshotSha256.slice(0, 12)}`,
    digest: ing.snapshotSha256.slice(0, MLFLOW_DIGEST_CHARS),
    sourceType: scheme === 'file' || scheme === undefined ? 'local' : scheme,
    source: JSON.stringify({ uri }),
    schema: JSON.stringify({ mlflow_colspec: colspec }),
    profile: JSON.stringify({ num_rows: ing.rows, num_elements: ing.rows * colspec.length, sha256: ing.snapshotSha256 }),
    context: 'training',
  };
}
