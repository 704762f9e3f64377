/**
 * Convergence: the best objective found so far after each measured trial, one line per strategy (the median
 * over seeds) with a min–max band over seeds.
 */
import type { TopLevelSpec } from 'vega-lite';
import { median } from 'simple-statistics';
import { groupBy } from './study-trials.ts';
import { byNumber, isMeasuredAttempt, trialValue } from '../domain/trials.ts';
import type { StudyTrials } from '../domain/records.ts';
import { chartSpec, wholeNumberAxis } from './chart.ts';

export interface ConvergencePoint {
  strategy: string;
  trial: number;
  median: number;
  low: number;
  high: number;
  seeds: number;
}

/** Running minimum; entries stay undefined until the first defined value. */
export function bestSoFar(values: readonly (number | undefined)[]): (number | undefined)[] {
  let best: number | undefined;
  return values.map((value) => {
    if (value !== undefined && (best === undefined || value < best)) best = value;
    return best;
  });
}

/**
 * Best-so-far for one study, indexed by measured attempt (0 = the baseline): rows that never measured their
 * configuration (interrupted, stale, the engine down) take no place, so index N − 1 is the best after the N
 * trials the budget counts.
 */
export function studyBestSoFar(entry: StudyTrials): (number | undefined)[] {
  return bestSoFar(byNumber(entry.trials).filter(isMeasuredAttempt).map((trial) => trialValue(trial, entry.study.objective)));
}

export function convergenceSeries(studies: readonly StudyTrials[]): ConvergencePoint[] {
  const points: ConvergencePoint[] = [];
  for (const [strategy, entries] of groupBy(studies, (e) => e.study.strategy)) {
    const curves = entries.map(studyBestSoFar);
    const length = Math.max(0, ...curves.map((c) => c.length));
    for (let trial = 0; trial < length; trial++) {
      const values = curves.map((c) => c[trial]).filter((v): v is number => v !== undefined);
      if (values.length === 0) continue;
      points.push({ strategy, trial, median: median(values), low: Math.min(...values), high: Math.max(...values), seeds: values.length });
    }
  }
  return points;
}

export function convergenceSpec(points: readonly ConvergencePoint[], yTitle: string, title: string): TopLevelSpec {
  const color = { field: 'strategy', type: 'nominal', title: 'Strategy' } as const;
  return chartSpec(title, points, {
    encoding: { x: { field: 'trial', type: 'quantitative', title: 'Measured trial (0 = baseline)', axis: wholeNumberAxis(points.map((p) => p.trial)) }, color },
    layer: [
      {
        mark: { type: 'area', opacity: 0.2, interpolate: 'step-after' },
        // Log scale: the baseline is often 10× the rest, which would flatten every later improvement.
        encoding: { y: { field: 'low', type: 'quantitative', title: `${yTitle}, log scale`, scale: { type: 'log' } }, y2: { field: 'high' } },
      },
      {
        mark: { type: 'line', interpolate: 'step-after', point: true },
        encoding: { y: { field: 'median', type: 'quantitative', title: `${yTitle}, log scale` } },
      },
    ],
  });
}
