/**
 * The trial life cycle both storages enforce, with the same errors: a study is created once, a trial number is
 * started once, only a running trial can be finished, and one live process at a time runs a study.
 */
import { StorageError } from './errors.ts';
import type { HistogramBucket } from '../domain/records.ts';
import type { ClaimResult, StudyRunner } from './storage.ts';

export const lifecycleError = {
  studyExists: (id: string) =>
    new StorageError('study_exists', `study "${id}" already exists: choose another study name or resume it`),
  studyNotFound: (id: string) =>
    new StorageError('study_not_found', `study "${id}" does not exist: create it before starting trials`),
  trialExists: (id: string, n: number) =>
    new StorageError('trial_exists', `trial ${n} of study "${id}" was already started: use the next trial number`),
  trialNotFound: (id: string, n: number) =>
    new StorageError('trial_not_found', `trial ${n} of study "${id}" was never started: start it before finishing it`),
  trialNotRunning: (id: string, n: number, state: string) =>
    new StorageError('trial_not_running', `trial ${n} of study "${id}" is ${state}, not running: it cannot be finished twice`),
};

/** A histogram has one bucket per upper bound and no negative counts; returns why not, or undefined. */
export function histogramProblem(buckets: readonly HistogramBucket[]): StorageError | undefined {
  const bounds = new Set(buckets.map((b) => b.upperMs));
  const valid = bounds.size === buckets.length && buckets.every((b) => Number.isInteger(b.count) && b.count >= 0);
  return valid
    ? undefined
    : new StorageError('invalid_histogram', 'histogram buckets need distinct upper bounds and whole, non-negative counts: fix the caller');
}

/** Why `runner` may not claim a study whose claim is `held`, or undefined when it may. */
export function claimRefusal(
  held: (StudyRunner & { since: string }) | undefined,
  runner: StudyRunner,
  isAlive: (holder: StudyRunner) => boolean,
): ClaimResult | undefined {
  if (held === undefined || (held.host === runner.host && held.pid === runner.pid)) return undefined;
  const holder = { host: held.host, pid: held.pid };
  return isAlive(holder) ? { ok: false, holder, since: held.since } : undefined;
}

/** Drops keys whose value is undefined, so records compare equal whichever storage produced them. */
export function withoutUndefined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;
}
