/**
 * Where a Study keeps its trials: one study's rows in a Storage (what `tune` runs on), or a list in memory
 * (the library's default). Either way the Study proposes from, and writes, the same TrialRecords the study
 * loop, the CLI and the report read.
 */
import type { Confirming, TrialOutcome, TrialRecord } from '../domain/records.ts';
import type { Params } from '../space/params.ts';
import { confirmationFields } from '../domain/trials.ts';
import type { Storage } from '../storage/storage.ts';

export interface TrialStore {
  /** Ordered by trial number. */
  trials(): TrialRecord[];
  /** Records a trial as running: a search trial, or with `confirming` a confirmation trial. */
  start(number: number, params: Params, confirming?: Confirming): void;
  /** Ends a running trial. */
  finish(number: number, outcome: TrialOutcome): void;
}

/** Study `studyId`'s trials in `storage`; the study record must already be stored. */
export function storedTrials(storage: Storage, studyId: string): TrialStore {
  return {
    trials: () => storage.trials(studyId),
    start: (number, params, confirming) => storage.startTrial(studyId, number, params, confirming),
    finish: (number, outcome) => storage.finishTrial(studyId, number, outcome),
  };
}

/** Trials held in memory, for ask/tell use without a database. */
export function memoryTrials(studyId = 'study', now: () => Date = () => new Date()): TrialStore {
  const rows = new Map<number, TrialRecord>();
  return {
    trials: () => [...rows.values()].sort((a, b) => a.number - b.number).map((row) => structuredClone(row)),
    start: (number, params, confirming) =>
      void rows.set(number, { studyId, number, state: 'running', params: structuredClone(params), ...confirmationFields(confirming), startedAt: now().toISOString() }),
    finish: (number, outcome) => {
      const { histogram: _histogram, ...result } = outcome;
      const row = rows.get(number);
      if (row) rows.set(number, { ...row, ...structuredClone(result), finishedAt: now().toISOString() });
    },
  };
}
