/**
 * What the Runs page shows about a run, in one place: the chosen candidate (the one the run
 * registered), the rule that chose it, the leaderboard order, and the runs table's filter and sort.
 * "Best" means the chosen model everywhere (UI, `networksecurity runs`, the API's `summary.best`),
 * never the candidate with the highest test F1.
 */
import type { Candidate, Run, RunSummary } from './types.js';

/** Words for the selection rules a run summary names in `chosenBy`. */
const ruleText: Record<string, string> = {
  cv_f1: 'the highest mean cross-validation F1 (phishing) on the training folds; test rows play no part in the choice',
};

/** The sentence saying how the chosen model was chosen. */
export function chosenRule(s: RunSummary): string {
  return s.chosenBy ? `Chosen by ${ruleText[s.chosenBy] ?? s.chosenBy}.` : 'Chosen by the pipeline (this run does not record the rule).';
}

/** The candidate the run chose and registered: `summary.best` by name. */
export function chosenCandidate(s: RunSummary): Candidate | undefined {
  return s.best === undefined ? undefined : s.candidates?.find((c) => c.name === s.best);
}

/** The chosen model's test F1 (phishing): the one "best F1" of a run. */
export function chosenF1(s: RunSummary): number | undefined {
  return chosenCandidate(s)?.test?.f1Phishing ?? (typeof s.f1 === 'number' ? s.f1 : undefined);
}

/** " (95% interval 0.9382–0.9673)" when the run's metrics carry the test F1's bootstrap interval (runs since 2026-12-05), else "". */
export function f1IntervalText(c: Candidate | undefined): string {
  const ci = c?.test?.f1PhishingInterval;
  return ci ? ` (${Math.round(ci.level * 100)}% interval ${ci.low.toFixed(4)}–${ci.high.toFixed(4)})` : '';
}

/** Candidates in the order of the selection rule (CV F1, highest first), so row 1 is the chosen one when the rule is CV F1. */
export function leaderboard(cands: readonly Candidate[] = []): Candidate[] {
  return [...cands].sort((a, b) => (b.cv?.f1 ?? -1) - (a.cv?.f1 ?? -1));
}

export type RunSortKey = 'started' | 'f1';
export interface RunFilter { text: string; status: string; sort: RunSortKey; descending: boolean }
export const defaultRunFilter: RunFilter = { text: '', status: 'all', sort: 'started', descending: true };

/** The runs matching the filter (text in the id or the chosen model's name, status), sorted. */
export function filterRuns(runs: readonly Run[], f: RunFilter): Run[] {
  const text = f.text.trim().toLowerCase();
  const kept = runs.filter((r) => (f.status === 'all' || r.status === f.status) && (!text || r.id.toLowerCase().includes(text) || (r.summary.best ?? '').toLowerCase().includes(text)));
  const key = (r: Run): number => (f.sort === 'f1' ? chosenF1(r.summary) ?? -1 : Date.parse(r.startedAt));
  return kept.sort((a, b) => (f.descending ? key(b) - key(a) : key(a) - key(b)));
}

/** A candidate's hyperparameters as name/value text pairs (nested values, e.g. a vote's members, as JSON). */
export function paramRows(params: Record<string, unknown> | undefined): [string, string][] {
  return Object.entries(params ?? {}).map(([k, v]) => [k, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)]);
}
