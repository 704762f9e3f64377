/**
 * Storage of studies and trials. Two implementations (SQLite and in-memory) pass one shared contract suite.
 * Every write is durable when the call returns: a trial recorded is never lost.
 *
 * Operations throw a StorageError (./errors.ts) with a stable code when the trial life cycle is broken
 * (study_exists, study_not_found, trial_exists, trial_not_found, trial_not_running, invalid_histogram) and, for
 * SQLite, when the file cannot be written (db_locked, db_readonly). Opening a database returns a result union.
 */
import type { Params } from '../space/params.ts';
import type { Confirming, HistogramBucket, StudyRecord, TrialOutcome, TrialRecord } from '../domain/records.ts';

/** The process running a study: a claim names it so a second process can tell whether it is still there. */
export interface StudyRunner {
  host: string;
  pid: number;
}

export type ClaimResult = { ok: true } | { ok: false; holder: StudyRunner; since: string };

export interface Storage {
  createStudy(study: StudyRecord): void;
  getStudy(id: string): StudyRecord | undefined;
  /** By createdAt, then creation order. */
  listStudies(): StudyRecord[];
  /**
   * Records a trial as running before any container starts, so a crash leaves a trace to reap. Stamps startedAt.
   * `confirming`: a confirmation trial, re-measuring a search trial's configuration after the budget.
   */
  startTrial(studyId: string, number: number, params: Params, confirming?: Confirming): void;
  /** Ends a running trial; metrics and histogram are written in the same transaction. Stamps finishedAt. */
  finishTrial(studyId: string, number: number, outcome: TrialOutcome): void;
  /** Ordered by trial number. */
  trials(studyId: string): TrialRecord[];
  /** Ordered by upper bound; empty when none was stored. */
  histogram(studyId: string, number: number): HistogramBucket[];
  /**
   * Claims a stored study for `runner`, so two processes never run it at once (the second would take the first's
   * running trial for stale and remove its containers). Another runner's claim holds while `isAlive` says that
   * runner is there; a claim left by a process that died is taken over. Claiming again as the holder is a no-op.
   */
  claimStudy(studyId: string, runner: StudyRunner, isAlive: (holder: StudyRunner) => boolean): ClaimResult;
  /** Ends `runner`'s claim; a claim held by another runner is left alone. */
  releaseStudy(studyId: string, runner: StudyRunner): void;
  close(): void;
}
