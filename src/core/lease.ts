/**
 * The rule by which a run-lock holder decides that it lost its lease. Its background renewal reports
 * each outcome here: a renewal that shows the lock is held by someone else (or gone) loses it at once;
 * a renewal that fails (the store unreachable) loses it only once no renewal has succeeded for the
 * lease's whole time — by then the lease has expired and another process may have taken it. Until
 * then a brief outage costs nothing. The `lost` signal fires once, with a RUN_LOCK_LOST error as its
 * reason, and the pipeline checks it between stages and before it registers or promotes a model.
 */
import { NsError } from './errors.js';

export interface LeaseWatch {
  /** Aborted (reason: NsError RUN_LOCK_LOST) when the lease is lost. */
  readonly lost: AbortSignal;
  /** A renewal succeeded: the lease is ours for another `ttlMs`. */
  confirmed(): void;
  /** A renewal found the lock gone or held by another owner. */
  refused(): void;
  /** A renewal failed without an answer (store unreachable). */
  failed(): void;
  /** Reports a renewal's outcome: its answer shows the lock `ours` or not; a failure is rethrown. */
  renewal<T>(attempt: Promise<T>, ours: (answer: T) => boolean): Promise<void>;
}

export function lockLost(why: string): NsError {
  return new NsError('RUN_LOCK_LOST', `This run lost the registry's run lock (${why}), so it stopped before registering or promoting anything more.`, {
    kind: 'conflict',
    hint: 'Check that the lock\'s store (Redis, MongoDB or the state file) stayed reachable and that no process pauses longer than the lock\'s time; then run `networksecurity train` again to resume the run.',
  });
}

export function watchLease(ttlMs: number, now: () => number = Date.now): LeaseWatch {
  const controller = new AbortController();
  let last = now();
  const lose = (why: string): void => {
    if (!controller.signal.aborted) controller.abort(lockLost(why));
  };
  const watch: LeaseWatch = {
    lost: controller.signal,
    confirmed: () => {
      last = now();
    },
    refused: () => lose('another process holds it, or it was removed'),
    failed: () => {
      if (now() - last >= ttlMs) lose(`no renewal succeeded for ${Math.ceil(ttlMs / 1000)} s, so it expired`);
    },
    renewal: async (attempt, ours) => {
      let answer;
      try {
        answer = await attempt;
      } catch (e) {
        watch.failed();
        throw e;
      }
      if (ours(answer)) watch.confirmed();
      else watch.refused();
    },
  };
  return watch;
}
