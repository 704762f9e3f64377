/**
 * Storage held in memory, with the same rules and results as SqliteStorage (both pass one contract suite).
 * Records are copied in and out, as a database would, so callers cannot alter stored state by mutation.
 */
import type { Params } from '../space/params.ts';
import { claimRefusal, histogramProblem, lifecycleError, withoutUndefined } from './lifecycle.ts';
import type { Confirming, HistogramBucket, StudyRecord, TrialOutcome, TrialRecord } from '../domain/records.ts';
import { confirmationFields } from '../domain/trials.ts';
import type { ClaimResult, Storage, StudyRunner } from './storage.ts';

const trialKey = (studyId: string, number: number) => JSON.stringify([studyId, number]);

export class MemoryStorage implements Storage {
  private readonly studies = new Map<string, StudyRecord>();
  private readonly trialsByKey = new Map<string, TrialRecord>();
  private readonly histograms = new Map<string, HistogramBucket[]>();
  private readonly claims = new Map<string, StudyRunner & { since: string }>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  createStudy(study: StudyRecord): void {
    if (this.studies.has(study.id)) throw lifecycleError.studyExists(study.id);
    this.studies.set(study.id, normalizedStudy(study));
  }

  getStudy(id: string): StudyRecord | undefined {
    const study = this.studies.get(id);
    return study && structuredClone(study);
  }

  listStudies(): StudyRecord[] {
    // A stable sort keeps creation order among studies created in the same millisecond, like SQLite's rowid.
    return [...this.studies.values()]
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))
      .map((study) => structuredClone(study));
  }

  startTrial(studyId: string, number: number, params: Params, confirming?: Confirming): void {
    if (!this.studies.has(studyId)) throw lifecycleError.studyNotFound(studyId);
    const key = trialKey(studyId, number);
    if (this.trialsByKey.has(key)) throw lifecycleError.trialExists(studyId, number);
    const startedAt = this.now().toISOString();
    this.trialsByKey.set(key, { studyId, number, state: 'running', params: structuredClone(params), ...confirmationFields(confirming), startedAt });
  }

  finishTrial(studyId: string, number: number, outcome: TrialOutcome): void {
    const key = trialKey(studyId, number);
    const trial = this.trialsByKey.get(key);
    if (trial === undefined) throw lifecycleError.trialNotFound(studyId, number);
    if (trial.state !== 'running') throw lifecycleError.trialNotRunning(studyId, number, trial.state);
    const problem = histogramProblem(outcome.histogram ?? []);
    if (problem) throw problem;
    const { histogram, ...result } = structuredClone(outcome);
    this.trialsByKey.set(key, withoutUndefined({ ...trial, ...result, finishedAt: this.now().toISOString() }));
    this.histograms.set(key, [...(histogram ?? [])].sort((a, b) => a.upperMs - b.upperMs));
  }

  trials(studyId: string): TrialRecord[] {
    return [...this.trialsByKey.values()]
      .filter((trial) => trial.studyId === studyId)
      .sort((a, b) => a.number - b.number)
      .map((trial) => structuredClone(trial));
  }

  histogram(studyId: string, number: number): HistogramBucket[] {
    return structuredClone(this.histograms.get(trialKey(studyId, number)) ?? []);
  }

  claimStudy(studyId: string, runner: StudyRunner, isAlive: (holder: StudyRunner) => boolean): ClaimResult {
    if (!this.studies.has(studyId)) throw lifecycleError.studyNotFound(studyId);
    const refusal = claimRefusal(this.claims.get(studyId), runner, isAlive);
    if (refusal) return refusal;
    this.claims.set(studyId, { host: runner.host, pid: runner.pid, since: this.now().toISOString() });
    return { ok: true };
  }

  releaseStudy(studyId: string, runner: StudyRunner): void {
    const held = this.claims.get(studyId);
    if (held?.host === runner.host && held.pid === runner.pid) this.claims.delete(studyId);
  }

  close(): void {}
}

function normalizedStudy(study: StudyRecord): StudyRecord {
  return withoutUndefined({ ...structuredClone(study), host: withoutUndefined(study.host) });
}
