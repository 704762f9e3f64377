/** What is stored: the studies of a database, a study's trials, and its summary with the optimizer's posterior pick. */
import type { StudyRecord, TrialRecord } from '../domain/records.ts';
import { summarizeStudy, type PosteriorBest, type StudySummary } from '../domain/summary.ts';
import { spaceContext } from '../host/host.ts';
import { createSampler } from '../samplers/factory.ts';
import type { Storage } from '../storage/storage.ts';
import { Study } from '../study/study.ts';
import { isStoredSpace, spaceFromStored } from '../study/study-space.ts';
import { storedTrials } from '../study/trial-store.ts';
import { openExistingStorage, requireStudy, withStorage } from './storage.ts';

export interface StudyListing {
  study: StudyRecord;
  summary: StudySummary;
}

export function listStudies(db: string): Promise<StudyListing[]> {
  return withStorage(openExistingStorage(db), (storage) =>
    storage.listStudies().map((study) => ({ study, summary: summarizeStudy(study, storage.trials(study.id)) })),
  );
}

export function studyTrials(db: string, id: string): Promise<TrialRecord[]> {
  return withStorage(openExistingStorage(db), (storage) => storage.trials(requireStudy(storage, id, db).id));
}

export function studySummary(db: string, id: string): Promise<StudySummary> {
  return withStorage(openExistingStorage(db), (storage) => summaryWithPosterior(storage, requireStudy(storage, id, db)));
}

export function summaryWithPosterior(storage: Storage, study: StudyRecord): StudySummary {
  return summarizeStudy(study, storage.trials(study.id), posteriorBest(storage, study));
}

/** Undefined when the stored space cannot be read back or too few trials completed to say more than the minimum. */
function posteriorBest(storage: Storage, study: StudyRecord): PosteriorBest | undefined {
  if (!isStoredSpace(study.space)) return undefined;
  const space = spaceFromStored(study.space, spaceContext());
  if (!space.ok) return undefined;
  try {
    const sampler = createSampler(study.strategy, { budget: study.budget, seed: study.seed });
    return new Study({ space: space.value, sampler, seed: study.seed, trials: storedTrials(storage, study.id) }).posteriorBest();
  } catch (error) {
    // Trials stored by an older space may lack a parameter: then there is simply no estimate to show.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}
