/**
 * The constrained objective's pay-off (pure): the cheapest configuration that meets a p99 SLO against the
 * fastest configuration measured, and how much cheaper per million requests the first one is.
 * Trials failed only for missing the SLO still count as measurements (their metrics are kept).
 */
import type { StudyTrials } from '../report/study-trials.ts';
import type { Params } from '../space/params.ts';
import type { TrialMetrics, TrialRecord } from '../storage/storage.ts';

export interface MeasuredConfig {
  studyId: string;
  trial: number;
  params: Params;
  metrics: TrialMetrics;
}

export interface SloSaving {
  sloP99Ms: number;
  fastest: MeasuredConfig; // lowest mean latency, whatever its cost or p99
  cheapestFeasible?: MeasuredConfig; // lowest cost with p99 within the SLO
  /** 1 − cheapest ÷ fastest cost, as a percentage; undefined without a feasible configuration. */
  savingPercent?: number;
  fastestMeetsSlo: boolean;
}

/** A measurement the optimizer could trust: complete, or failed only because it missed the SLO. */
export function measuredConfigs(studies: readonly StudyTrials[]): MeasuredConfig[] {
  return studies.flatMap(({ study, trials }) => trials.filter(isTrustedMeasurement).map((t) => ({ studyId: study.id, trial: t.number, params: t.params, metrics: t.metrics! })));
}

function isTrustedMeasurement(trial: TrialRecord): boolean {
  if (trial.metrics === undefined || !Number.isFinite(trial.metrics.meanMs)) return false;
  return trial.state === 'complete' || (trial.state === 'failed' && trial.failureKind === 'slo_violated');
}

export function sloSaving(configs: readonly MeasuredConfig[], sloP99Ms: number): SloSaving | undefined {
  const fastest = lowest(configs, (c) => c.metrics.meanMs);
  if (fastest === undefined) return undefined;
  const cheapestFeasible = lowest(configs.filter((c) => c.metrics.p99Ms <= sloP99Ms), (c) => c.metrics.usdPerMillionRequests);
  const saving: SloSaving = { sloP99Ms, fastest, fastestMeetsSlo: fastest.metrics.p99Ms <= sloP99Ms };
  if (cheapestFeasible === undefined) return saving;
  const savingPercent = 100 * (1 - cheapestFeasible.metrics.usdPerMillionRequests / fastest.metrics.usdPerMillionRequests);
  return { ...saving, cheapestFeasible, savingPercent };
}

function lowest<T>(items: readonly T[], value: (item: T) => number): T | undefined {
  return items.reduce<T | undefined>((best, item) => (best === undefined || value(item) < value(best) ? item : best), undefined);
}
