/**
 * The rules for reading a study's trials, defined once for the loop, the CLI, the report and the campaigns:
 * which trials measured their configuration (and so count toward the budget and teach the optimizer), which
 * is the baseline, what a trial's value is on an objective, which is best, and the speed-up. Pure.
 */
import type { BackendName, Confirming, StudyRecord, TrialMetrics, TrialRecord } from './records.ts';
import { INFRASTRUCTURE_FAILURES, type Objective } from './vocabulary.ts';

const NOT_THE_CONFIGURATION: ReadonlySet<string> = new Set(INFRASTRUCTURE_FAILURES);

export function isInfrastructureFailure(failureKind: string | undefined): boolean {
  return failureKind !== undefined && NOT_THE_CONFIGURATION.has(failureKind);
}

/** A trial the search proposed, not one confirming a winner after the budget. */
export function isSearchTrial(trial: TrialRecord): boolean {
  return trial.kind !== 'confirmation';
}

/** The fields that make a new trial record a confirmation trial (none for a search trial). */
export function confirmationFields(confirming: Confirming | undefined): Pick<TrialRecord, 'kind' | 'confirms' | 'round'> {
  return confirming === undefined ? {} : { kind: 'confirmation', confirms: confirming.confirms, round: confirming.round };
}

/** A finished trial that measured its configuration, or tried to run it and failed because of it (not of the machine). */
export function judgedItsConfiguration(trial: TrialRecord): boolean {
  if (trial.state === 'complete') return true;
  return trial.state === 'failed' && !isInfrastructureFailure(trial.failureKind);
}

/** Such a search trial: what the budget counts and the sampler learns from. Confirmation trials are neither. */
export function isMeasuredAttempt(trial: TrialRecord): boolean {
  return isSearchTrial(trial) && judgedItsConfiguration(trial);
}

export function attemptsSoFar(trials: readonly TrialRecord[]): number {
  return trials.filter(isMeasuredAttempt).length;
}

export function nextTrialNumber(trials: readonly TrialRecord[]): number {
  return trials.reduce((next, trial) => Math.max(next, trial.number + 1), 0);
}

/**
 * The baseline is the first measured attempt: the loop runs the defaults until one is measured, so a baseline
 * interrupted at trial 0 and measured at trial 1 is trial 1.
 */
export function baselineTrial(trials: readonly TrialRecord[]): TrialRecord | undefined {
  return byNumber(trials).find(isMeasuredAttempt);
}

/** A measurement's value on an objective; lower is better for every objective. */
export function metricValue(metrics: TrialMetrics, objective: Objective): number {
  switch (objective) {
    case 'mean':
      return metrics.meanMs;
    case 'p99':
      return metrics.p99Ms;
    case 'cost':
      return metrics.usdPerMillionRequests;
    case 'energy':
      return metrics.joulesPerRequest;
  }
}

/** The objectives a study minimises, its primary one first: one, or the list of a trade-off study. */
export function studyObjectives(study: Pick<StudyRecord, 'objective' | 'objectives'>): Objective[] {
  return study.objectives !== undefined && study.objectives.length > 0 ? [...study.objectives] : [study.objective];
}

/** Where a study's trials are deployed: a record leaves the default (one Docker engine) out. */
export function backendOf(study: Pick<StudyRecord, 'backend'>): BackendName {
  return study.backend ?? 'docker';
}

/** How many trials a study keeps in flight: a record leaves the default (one at a time) out. */
export function parallelOf(study: Pick<StudyRecord, 'parallel'>): number {
  return study.parallel ?? 1;
}

/**
 * A complete trial's value on each of `objectives`, from its metrics; undefined for any other trial, one
 * without metrics, or one whose values are not all finite (it cannot be placed against the others).
 */
export function trialValues(trial: TrialRecord, objectives: readonly Objective[]): number[] | undefined {
  if (trial.state !== 'complete' || trial.metrics === undefined) return undefined;
  const metrics = trial.metrics;
  const values = objectives.map((objective) => metricValue(metrics, objective));
  return values.every(Number.isFinite) ? values : undefined;
}

/**
 * The value of a complete trial: on `objective` from its metrics when it has them, else the value it was
 * told (a library study has no metrics). Undefined for any other trial, or a value that is not finite.
 */
export function trialValue(trial: TrialRecord, objective?: Objective): number | undefined {
  if (trial.state !== 'complete') return undefined;
  const value = objective !== undefined && trial.metrics !== undefined ? metricValue(trial.metrics, objective) : trial.objectiveValue;
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}

/**
 * The variance of a complete trial's told value, where its measurement knows it: a study minimising mean
 * latency is told metrics.meanMs, whose batch-means 95% interval gives the standard error. Other objectives
 * (a tail percentile, a cost) carry no interval, so the model learns their noise instead.
 */
export function measurementVariance(trial: TrialRecord): number | undefined {
  const metrics = trial.metrics;
  if (trial.state !== 'complete' || metrics === undefined || trial.objectiveValue !== metrics.meanMs || !(metrics.meanCi95Ms > 0)) return undefined;
  return (metrics.meanCi95Ms / 1.96) ** 2;
}

/** The complete search trial with the lowest value (ties: the earlier trial). */
export function bestTrial(trials: readonly TrialRecord[], objective?: Objective): TrialRecord | undefined {
  let best: { trial: TrialRecord; value: number } | undefined;
  for (const trial of byNumber(trials).filter(isSearchTrial)) {
    const value = trialValue(trial, objective);
    if (value !== undefined && (best === undefined || value < best.value)) best = { trial, value };
  }
  return best?.trial;
}

/** Baseline value ÷ best value: how many times lower the best is. Needs a complete baseline and a positive best. */
export function speedup(trials: readonly TrialRecord[], objective?: Objective): number | undefined {
  const baseline = baselineTrial(trials);
  const best = bestTrial(trials, objective);
  const [from, to] = [baseline && trialValue(baseline, objective), best && trialValue(best, objective)];
  return from !== undefined && to !== undefined && to > 0 ? from / to : undefined;
}

export function byNumber(trials: readonly TrialRecord[]): TrialRecord[] {
  return [...trials].sort((a, b) => a.number - b.number);
}
