/** What is stored: the studies of a database, a study's trials, and its summary with the optimizer's posterior pick. */
import type { StudyRecord, TrialRecord } from '../domain/records.ts';
import { summarizeStudy, type PosteriorBest, type StudySummary } from '../domain/summary.ts';
import { studyObjectives } from '../domain/trials.ts';
import { studyTradeoff } from '../dse/tradeoff.ts';
import { spaceContext } from '../host/host.ts';
import { createSampler } from '../samplers/factory.ts';
import type { Storage } from '../storage/storage.ts';
import type { SearchSpace } from '../space/space.ts';
import { Study, type StudyContext } from '../study/study.ts';
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

/** With the posterior pick (one objective) or the trade-off (several) as well. */
export function summaryWithPosterior(storage: Storage, study: StudyRecord): StudySummary {
  const trials = storage.trials(study.id);
  return summarizeStudy(study, trials, posteriorBest(storage, study), studyTradeoff({ study, trials }));
}

/**
 * Undefined when the stored space cannot be read back or too few trials completed to say more than the minimum.
 * `context`: the study shared its model with studies in other contexts (a sweep's levels), which inform it.
 */
export function posteriorBest(storage: Storage, study: StudyRecord, context?: StudyContext): PosteriorBest | undefined {
  const space = storedSpaceOf(study);
  // A trade-off study has no single best to estimate: its result is the front (src/dse/tradeoff.ts).
  if (space === undefined || studyObjectives(study).length > 1) return undefined;
  try {
    const sampler = createSampler(study.strategy, { budget: study.budget, seed: study.seed });
    return new Study({ space, sampler, seed: study.seed, trials: storedTrials(storage, study.id), context }).posteriorBest();
  } catch (error) {
    // Trials stored by an older space may lack a parameter: then there is simply no estimate to show.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

/** The study's search space as stored; undefined when this version cannot read it back. */
export function storedSpaceOf(study: StudyRecord): SearchSpace | undefined {
  if (!isStoredSpace(study.space)) return undefined;
  const space = spaceFromStored(study.space, spaceContext());
  return space.ok ? space.value : undefined;
}
