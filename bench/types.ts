/** What the benchmark driver (run.ts) hands every section. */
export interface BenchOptions {
  /** Repetitions per timed measurement (medians are reported). */
  reps: number;
  /** Smaller workloads, for a smoke run. */
  quick: boolean;
  /** Record count for the data-plane section (default 1,000,000; 50,000 with quick). */
  records?: number;
  /** Training sizes of the scale section (default 100,000 and 400,000; 20,000 and 50,000 with quick). */
  sizes?: number[];
  /** `--only <row>`: a section may run just that row (search: `product`). */
  only?: string;
  /** Repository root (absolute path). */
  root: string;
  /** Progress line to stderr (stdout carries only the JSON document). */
  log: (message: string) => void;
}

/** A section module: bench/<name>/index.ts exporting `run`. */
export interface BenchSection {
  run(opts: BenchOptions): Promise<Record<string, unknown>>;
}
