/** Latency against client concurrency: the best configuration found at each level, one line per strategy. */
import type { TopLevelSpec } from 'vega-lite';
import { baselineTrial, trialValue } from '../domain/trials.ts';
import type { StudyTrials } from '../domain/records.ts';
import { chartSpec, wholeNumberAxis } from './chart.ts';
import { TRIAL_TOOLTIP, trialTip, type TrialTip } from './trial-tip.ts';

export interface ConcurrencyPoint {
  strategy: string;
  concurrency: number;
  bestMs: number; // best mean latency over every seed's trials at this level
  baselineMs?: number; // the baseline (the default configuration), for scale: the lowest over seeds
  tip: TrialTip; // the best trial's
}

export function concurrencyPoints(studies: readonly StudyTrials[]): ConcurrencyPoint[] {
  const byKey = new Map<string, ConcurrencyPoint>();
  for (const { study, trials } of studies) {
    const key = JSON.stringify([study.strategy, study.concurrency]);
    const baseline = baselineTrial(trials);
    for (const trial of trials) {
      const meanMs = trialValue(trial, 'mean');
      if (meanMs === undefined) continue;
      const point = byKey.get(key) ?? { strategy: study.strategy, concurrency: study.concurrency, bestMs: meanMs, tip: trialTip(trial, study.id) };
      if (meanMs < point.bestMs) Object.assign(point, { bestMs: meanMs, tip: trialTip(trial, study.id) });
      if (trial === baseline) point.baselineMs = Math.min(point.baselineMs ?? meanMs, meanMs);
      byKey.set(key, point);
    }
  }
  return [...byKey.values()].sort((a, b) => a.strategy.localeCompare(b.strategy) || a.concurrency - b.concurrency);
}

export function concurrencySpec(points: readonly ConcurrencyPoint[], title: string): TopLevelSpec {
  return chartSpec(title, points, {
    mark: { type: 'line', point: TRIAL_TOOLTIP },
    encoding: {
      x: { field: 'concurrency', type: 'quantitative', title: 'Client concurrency', scale: { type: 'log', base: 2 }, axis: wholeNumberAxis(points.map((p) => p.concurrency)) },
      y: { field: 'bestMs', type: 'quantitative', title: 'Best mean latency (ms)' },
      color: { field: 'strategy', type: 'nominal', title: 'Strategy' },
    },
  });
}
