/**
 * Round-trip-time distribution per concurrency level, from the stored latency histograms of the best trial at
 * each level, drawn as cumulative fractions so levels with different request counts compare directly.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { HistogramBucket, StudyTrials } from '../domain/records.ts';
import { bestTrial, trialValue } from '../domain/trials.ts';
import { chartSpec } from './chart.ts';

export interface DistributionPoint {
  concurrency: number;
  upperMs: number;
  cumulativeFraction: number;
}

export interface TrialRef {
  studyId: string;
  number: number;
  concurrency: number;
}

/** The trial with the lowest mean latency at each concurrency level, over every study at that level. */
export function bestTrialPerConcurrency(studies: readonly StudyTrials[]): TrialRef[] {
  const best = new Map<number, { ref: TrialRef; meanMs: number }>();
  for (const { study, trials } of studies) {
    const trial = bestTrial(trials, 'mean');
    const meanMs = trial && trialValue(trial, 'mean');
    const current = best.get(study.concurrency);
    if (trial === undefined || meanMs === undefined || (current !== undefined && current.meanMs <= meanMs)) continue;
    best.set(study.concurrency, { ref: { studyId: study.id, number: trial.number, concurrency: study.concurrency }, meanMs });
  }
  return [...best.values()].map((b) => b.ref).sort((a, b) => a.concurrency - b.concurrency);
}

export function cumulativeDistribution(concurrency: number, buckets: readonly HistogramBucket[]): DistributionPoint[] {
  const total = buckets.reduce((sum, b) => sum + b.count, 0);
  if (total === 0) return [];
  let seen = 0;
  return [...buckets]
    .sort((a, b) => a.upperMs - b.upperMs)
    .map((b) => ({ concurrency, upperMs: b.upperMs, cumulativeFraction: (seen += b.count) / total }))
    .filter((p) => Number.isFinite(p.upperMs) && p.upperMs > 0); // an overflow bucket counts but cannot be placed on a log axis
}

export function distributionSpec(points: readonly DistributionPoint[], title: string): TopLevelSpec {
  return chartSpec(title, points, {
    mark: { type: 'line', interpolate: 'step-after' }, // at x, the fraction known to be done is the last bound's
    encoding: {
      x: { field: 'upperMs', type: 'quantitative', title: 'Round-trip time (ms)', scale: { type: 'log', nice: false } },
      y: { field: 'cumulativeFraction', type: 'quantitative', title: 'Fraction of requests', scale: { domain: [0, 1] } },
      color: { field: 'concurrency', type: 'ordinal', title: 'Concurrency' },
    },
  });
}
