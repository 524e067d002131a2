/** Shapes of the API's answers as the UI reads them (optional where the pipeline may leave parts out). */
export interface Prediction { label: number; verdict: string; probPhishing: number; contributions?: Record<string, number>; base?: number }
export interface PredictResponse { modelVersion: number; modelKind: string; contributionsAvailable?: boolean; contributionSpace?: 'log-odds' | 'probability'; predictions: Prediction[] }

export interface StageInfo { name: string; status: string; startedAt?: string; finishedAt?: string; durationMs?: number }
export interface TestMetrics { f1Phishing?: number; f1Legit?: number; precision?: number; recall?: number; accuracy?: number; rocAuc?: number; confusion?: number[][]; f1PhishingInterval?: { low: number; high: number; level: number } }
export interface Candidate { name: string; kind?: string; params?: Record<string, unknown>; cv?: Record<string, number>; test?: TestMetrics; fitMs?: number; featureImportances?: Record<string, number> }
/** One feature profile's model (a URL check answers with the profile whose features it could compute). */
export interface ProfileSummary { name: string; features: number; kind?: string; cvF1?: number; testF1?: number }
export interface RunSummary {
  stages?: StageInfo[]; candidates?: Candidate[]; champion?: { version: number; kind: string } | null;
  /** The chosen (registered) candidate's name, its test F1, and the rule that chose it ('cv_f1': highest mean CV F1). */
  best?: string; f1?: number | null; chosenBy?: string; profiles?: ProfileSummary[];
  options?: { preset?: string; seed?: number };
  registered?: { version: number; kind: string; promoted: boolean; challenger: boolean; reused: boolean } | null;
  gate?: { accepted: boolean; reason: string }; split?: Record<string, unknown>; validation?: { ok: boolean; badRowCount: number }; drift?: { datasetDrift: boolean; driftedShare: number };
}
export interface Run { id: string; status: string; startedAt: string; finishedAt: string | null; lastStage: string | null; summary: RunSummary; error: { code: string; message: string } | null }
export type Curves = Record<string, { roc?: { fpr: number[]; tpr: number[] }; pr?: { precision: number[]; recall: number[] } }>;

export interface ModelVersion { version: number; runId: string; createdAt: string; bundleKey: string; bundleSha256: string; modelKind: string; metrics: Record<string, number>; snapshotSha256: string; schemaHash: string }
export interface AliasChange { alias: string; from: number | null; to: number | null; at: string; reason: string }
export interface Models { champion: number | null; challenger: number | null; serving: number | null; versions: ModelVersion[]; history: AliasChange[] }
export interface Snapshot { sha256: string; rows: number; createdAt: string; runId: string }
export interface AnalyzedFeature { name: string; group: 'url' | 'page' | 'fetch' | 'external'; value: number | null; used: boolean; push: number | null }
export interface Analysis {
  url: string; prediction: 'phishing' | 'legitimate'; label: number; phishingProbability: number; modelVersion: number; modelKind: string;
  profile: { name: string; features: number; testF1: number; cvF1: number };
  profiles: { name: string; features: number; testF1: number }[];
  fetch: { status: number; finalUrl: string; redirects: number; chain: string[]; truncated: boolean; tls: { trusted: boolean; validFrom: string } | null } | { error: { code: string; message: string } } | null;
  features: AnalyzedFeature[];
}
