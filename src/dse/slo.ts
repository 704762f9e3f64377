/**
 * The constrained objective's pay-off (pure): the cheapest configuration that meets a p99 SLO against the
 * fastest configuration measured, and how much cheaper per million requests the first one is.
 * Trials failed only for missing the SLO still count as measurements (their metrics are kept). With the
 * comparison as text lines for the terminal.
 */
import type { StudyTrials, TrialMetrics, TrialRecord } from '../domain/records.ts';
import { formatParams, formatValue } from '../report/format.ts';
import type { Params } from '../space/params.ts';

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

function configLine(name: string, c: MeasuredConfig): string {
  const m = c.metrics;
  return `${name}: ${c.studyId} #${c.trial}: mean ${formatValue(m.meanMs)} ms, p99 ${formatValue(m.p99Ms)} ms, ${formatValue(m.usdPerMillionRequests)} USD/M req — ${formatParams(c.params)}`;
}

export function sloLines(saving: SloSaving): string[] {
  const lines = [configLine('fastest', saving.fastest) + (saving.fastestMeetsSlo ? '' : ` (misses the SLO of ${saving.sloP99Ms} ms)`)];
  if (saving.cheapestFeasible === undefined) return [...lines, `no measured configuration meets p99 ≤ ${saving.sloP99Ms} ms`];
  return [
    ...lines,
    configLine(`cheapest with p99 ≤ ${saving.sloP99Ms} ms`, saving.cheapestFeasible),
    `saving: ${saving.savingPercent!.toFixed(1)}% cheaper per million requests than the fastest configuration`,
  ];
}
