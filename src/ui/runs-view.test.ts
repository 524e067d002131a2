import { describe, expect, it } from 'vitest';
import { chosenCandidate, chosenF1, chosenRule, defaultRunFilter, f1IntervalText, filterRuns, leaderboard, paramRows } from './runs-view.js';
import type { Candidate, Run } from './types.js';

const cand = (name: string, cv: number, test: number): Candidate => ({ name, cv: { f1: cv }, test: { f1Phishing: test } });
// The chosen model (highest CV F1) is not the one with the highest test F1.
const cands = [cand('Gradient Boosting', 0.956, 0.962), cand('Voting', 0.959, 0.957), cand('KNN', 0.94, 0.941)];
const run = (id: string, startedAt: string, status: string, best?: string, c = cands): Run =>
  ({ id, status, startedAt, finishedAt: null, lastStage: null, error: null, summary: { candidates: c, ...(best ? { best, chosenBy: 'cv_f1' } : {}) } });

describe('runs view', () => {
  it('takes "best" to be the chosen model, not the highest test F1', () => {
    const s = run('r', '2026-01-01T00:00:00Z', 'succeeded', 'Voting').summary;
    expect(chosenCandidate(s)?.name).toBe('Voting');
    expect(chosenF1(s)).toBe(0.957);
    expect(chosenRule(s)).toMatch(/cross-validation F1/);
    expect(leaderboard(cands).map((c) => c.name)).toEqual(['Voting', 'Gradient Boosting', 'KNN']);
  });

  it('words the test F1 interval when the metrics carry one, and says nothing for older runs', () => {
    expect(f1IntervalText({ name: 'x', test: { f1Phishing: 0.9543, f1PhishingInterval: { low: 0.93817, high: 0.96731, level: 0.95 } } })).toBe(' (95% interval 0.9382–0.9673)');
    expect(f1IntervalText(cands[0])).toBe('');
    expect(f1IntervalText(undefined)).toBe('');
  });

  it('has no chosen model when the summary names none', () => {
    const s = run('r', '2026-01-01T00:00:00Z', 'failed').summary;
    expect(chosenCandidate(s)).toBeUndefined();
    expect(chosenF1(s)).toBeUndefined();
    expect(chosenRule(s)).toMatch(/does not record/);
  });

  it('filters runs by text and status and sorts by start or F1', () => {
    const runs = [
      run('run-a', '2026-01-01T09:00:00Z', 'succeeded', 'Voting'),
      run('run-b', '2026-01-01T10:00:00Z', 'failed'),
      run('run-c', '2026-01-01T11:00:00Z', 'succeeded', 'KNN'),
    ];
    expect(filterRuns(runs, defaultRunFilter).map((r) => r.id)).toEqual(['run-c', 'run-b', 'run-a']);
    expect(filterRuns(runs, { ...defaultRunFilter, status: 'succeeded' }).map((r) => r.id)).toEqual(['run-c', 'run-a']);
    expect(filterRuns(runs, { ...defaultRunFilter, text: 'knn' }).map((r) => r.id)).toEqual(['run-c']);
    expect(filterRuns(runs, { ...defaultRunFilter, sort: 'f1' }).map((r) => r.id)).toEqual(['run-a', 'run-c', 'run-b']);
    expect(filterRuns(runs, { ...defaultRunFilter, sort: 'started', descending: false }).map((r) => r.id)).toEqual(['run-a', 'run-b', 'run-c']);
  });

  it('shows nested hyperparameters as JSON', () => {
    expect(paramRows({ C: 1, members: [{ kind: 'knn' }] })).toEqual([['C', '1'], ['members', '[{"kind":"knn"}]']]);
    expect(paramRows(undefined)).toEqual([]);
  });
});
