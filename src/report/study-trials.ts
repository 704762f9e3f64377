/** Loading the studies a report or campaign works on, each with its trials, in one pass over storage. */
import type { StudyTrials } from '../domain/records.ts';
import type { Storage } from '../storage/storage.ts';

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

/** Groups items by a string key, keeping first-seen order of keys. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}
