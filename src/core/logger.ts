/**
 * Logging and progress as interfaces, so pure code can report without knowing where it goes.
 * The CLI renders progress on a terminal, the server forwards it as server-sent events.
 */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** A progress event of long work: a stage or a sub-task (a candidate model, a fold, a batch). */
export interface ProgressEvent {
  type: 'stage_started' | 'stage_progress' | 'stage_finished' | 'stage_skipped' | 'stage_failed' | 'run_finished' | 'run_failed' | 'message';
  runId?: string;
  stage?: string;
  /** 0..1 where known. */
  fraction?: number;
  message?: string;
  data?: Record<string, unknown>;
  at: string;
}

export type ProgressListener = (event: ProgressEvent) => void;
