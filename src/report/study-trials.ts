/** A study with its trials: the unit every report function works on, loaded once from storage. */
import type { Objective, Storage, StudyRecord, TrialRecord } from '../storage/storage.ts';

export interface StudyTrials {
  study: StudyRecord;
  trials: TrialRecord[];
}

export type ReportError = { code: 'study_not_found'; message: string };
export type LoadResult = { ok: true; studies: StudyTrials[] } | { ok: false; error: ReportError };

export function loadStudies(storage: Storage, studyIds: readonly string[]): LoadResult {
  const studies: StudyTrials[] = [];
  for (const id of studyIds) {
    const study = storage.getStudy(id);
    if (study === undefined) {
      return { ok: false, error: { code: 'study_not_found', message: `no study named "${id}" in the database: list the studies with: tune studies` } };
    }
    studies.push({ study, trials: storage.trials(id) });
  }
  return { ok: true, studies };
}

/** The measured value of the study objective for a complete trial (lower is better); undefined otherwise. */
export function measuredObjective(trial: TrialRecord, objective: Objective): number | undefined {
  if (trial.state !== 'complete' || trial.metrics === undefined) return undefined;
  const m = trial.metrics;
  const value = objective === 'mean' ? m.meanMs : objective === 'p99' ? m.p99Ms : m.usdPerMillionRequests;
  return Number.isFinite(value) ? value : undefined;
}

export const OBJECTIVE_NAME: Record<Objective, string> = { mean: 'mean latency', p99: 'p99 latency', cost: 'cost' };

export const OBJECTIVE_LABEL: Record<Objective, string> = {
  mean: 'Mean latency (ms)',
  p99: 'p99 latency (ms)',
  cost: 'Cost (USD per million requests)',
};

/** The best complete trial of a study by its objective, if any trial completed. */
export function bestTrial(entry: StudyTrials): TrialRecord | undefined {
  let best: { trial: TrialRecord; value: number } | undefined;
  for (const trial of entry.trials) {
    const value = measuredObjective(trial, entry.study.objective);
    if (value !== undefined && (best === undefined || value < best.value)) best = { trial, value };
  }
  return best?.trial;
}

/** Groups items by a string key, keeping first-seen order of keys. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}
