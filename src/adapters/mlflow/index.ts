/** MLflow adapters: REST client, write-through tracker with replay, registry mirror. */
export { MlflowClient, mlflowErrorCode, metricValueToWire, metricValueFromWire, proxyPath } from './client.js';
export type { MlflowClientOptions, MlflowRun, MlflowMetric, MlflowModelVersion } from './client.js';
export { createMlflowTracker, LOCAL_RUN_ID_TAG, type MlflowTracker, type MlflowTrackerOptions, type ReplayReport } from './tracker.js';
export {
  createMlflowRegistryMirror, PIPELINE_RUN_ID_TAG, MODEL_ARTIFACT_DIR, type MirroredRegistry, type RegistryMirrorOptions,
} from './registry-mirror.js';
export { getOrCreateExperiment } from './experiment.js';
