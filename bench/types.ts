/** What the benchmark driver (run.ts) hands every section. */
export interface BenchOptions {
  /** Repetitions per timed measurement (medians are reported). */
  reps: number;
  /** Smaller workloads, for a smoke run. */
  quick: boolean;
  /** Repository root (absolute path). */
  root: string;
  /** Progress line to stderr (stdout carries only the JSON document). */
  log: (message: string) => void;
}

/** A section module: bench/<name>/index.ts exporting `run`. */
export interface BenchSection {
  run(opts: BenchOptions): Promise<Record<string, unknown>>;
}
