/**
 * RunStore: the index of pipeline runs (status, stages, summary) that the CLI and UI list. The run's
 * artifacts and manifest live in the ArtifactStore; this is the queryable index next to them.
 */
/**
 * interrupted: the run ended before its last stage without being asked to (its process was killed or
 * the server stopped); stopped: it ended after the stage it was asked to stop at (`train --stage`, the
 * DVC pipeline's stages). Both are continued by the next `train` (or the next `--stage`).
 */
export type PipelineRunStatus = 'running' | 'succeeded' | 'failed' | 'interrupted' | 'stopped';

export interface RunRecord {
  id: string;
  status: PipelineRunStatus;
  startedAt: string;
  finishedAt: string | null;
  /** Last completed stage, for resume. */
  lastStage: string | null;
  /** Stage-by-stage summary and headline metrics; free-form JSON written by the pipeline. */
  summary: Record<string, unknown>;
  error: { code: string; message: string } | null;
}

/** The held one-run-at-a-time lock of a registry. */
export interface RunLease {
  /** Names the run holding the lock (shown to whoever is refused). */
  setRun(runId: string): Promise<void>;
  release(): Promise<void>;
  /**
   * Aborted (reason: NsError RUN_LOCK_LOST) when the holder learns it lost the lock: a renewal found
   * it held by another process or gone, or no renewal succeeded for the lock's whole time
   * (src/core/lease.ts). The pipeline stops at its next check and registers nothing more.
   */
  readonly lost: AbortSignal;
}

export interface RunStore {
  /**
   * Takes the registry's one-run-at-a-time lock, or throws NsError RUN_IN_PROGRESS (kind conflict)
   * while a live process holds it. A dead holder does not keep it, and taking it marks runs left
   * "running" by dead processes as interrupted.
   */
  acquireLock(): Promise<RunLease>;
  create(run: RunRecord): Promise<void>;
  update(id: string, patch: Partial<Omit<RunRecord, 'id'>>): Promise<void>;
  get(id: string): Promise<RunRecord | undefined>;
  /** Newest first. */
  list(limit?: number): Promise<RunRecord[]>;
}
