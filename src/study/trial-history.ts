/**
 * Reading a study's trials: which ones are measurements of a configuration (and so count toward the
 * budget and teach the optimizer), which is the baseline, which is best. Pure functions over records.
 */
import type { StudyTrial } from './study.ts';
import type { TrialRecord } from '../storage/storage.ts';

/**
 * Failures that say nothing about the configuration: the trial never got a fair run. They are kept as rows
 * (numbering stays contiguous) but neither count toward the budget nor reach the optimizer.
 */
const NOT_THE_CONFIGURATION = new Set(['interrupted', 'stale', 'engine_unreachable', 'image_missing', 'internal']);

export function isInfrastructureFailure(failureKind: string | undefined): boolean {
  return failureKind !== undefined && NOT_THE_CONFIGURATION.has(failureKind);
}

/** A finished trial that measured (or tried and failed to run) its configuration. */
export function isMeasuredAttempt(trial: TrialRecord): boolean {
  if (trial.state === 'complete') return true;
  return trial.state === 'failed' && !isInfrastructureFailure(trial.failureKind);
}

export function attemptsSoFar(trials: readonly TrialRecord[]): number {
  return trials.filter(isMeasuredAttempt).length;
}

export function nextTrialNumber(trials: readonly TrialRecord[]): number {
  return trials.reduce((next, trial) => Math.max(next, trial.number + 1), 0);
}

/** The loop runs the baseline before anything else, so the first attempt is always the baseline. */
export function baselineTrial(trials: readonly TrialRecord[]): TrialRecord | undefined {
  return byNumber(trials).find(isMeasuredAttempt);
}

/** The complete trial with the lowest objective value (ties: the earlier trial). */
export function bestTrial(trials: readonly TrialRecord[]): TrialRecord | undefined {
  let best: TrialRecord | undefined;
  for (const trial of byNumber(trials)) {
    if (trial.state !== 'complete' || trial.objectiveValue === undefined) continue;
    if (best === undefined || trial.objectiveValue < (best.objectiveValue as number)) best = trial;
  }
  return best;
}

/**
 * A stored trial as the optimizer's Study sees it: a value, a failure, or (for trials that never got a fair
 * run) pending — not proposed again, not learned from. Every row is passed, so Study numbering matches storage.
 */
export function toStudyTrial(trial: TrialRecord): StudyTrial {
  const base = { number: trial.number, params: trial.params };
  if (!isMeasuredAttempt(trial)) return base;
  if (trial.state === 'complete' && trial.objectiveValue !== undefined) return { ...base, value: trial.objectiveValue };
  return { ...base, failed: trial.failureKind ?? 'failed' };
}

export function toStudyTrials(trials: readonly TrialRecord[]): StudyTrial[] {
  return byNumber(trials).map(toStudyTrial);
}

function byNumber(trials: readonly TrialRecord[]): TrialRecord[] {
  return [...trials].sort((a, b) => a.number - b.number);
}
