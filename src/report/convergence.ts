/**
 * Convergence: the best objective found so far after each measured trial, one line per strategy (the median
 * over seeds) with a min–max band over seeds; and the same best-so-far against wall-clock time, one line per
 * study, where cheaper trials (reconfigured, stopped early) show as a steeper curve.
 */
import type { TopLevelSpec } from 'vega-lite';
import { median } from 'simple-statistics';
import { groupBy } from './study-trials.ts';
import { byNumber, isMeasuredAttempt, trialValue } from '../domain/trials.ts';
import type { StudyTrials } from '../domain/records.ts';
import { chartSpec, wholeNumberAxis } from './chart.ts';
import { studySpan } from '../domain/time-spent.ts';

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

const STRATEGY_COLOR = { field: 'strategy', type: 'nominal', title: 'Strategy' } as const;

/** Log scale: the baseline is often 10× the rest, which would flatten every later improvement. */
function logAxis(field: string, yTitle: string) {
  return { field, type: 'quantitative', title: `${yTitle}, log scale`, scale: { type: 'log' } } as const;
}

export function convergenceSpec(points: readonly ConvergencePoint[], yTitle: string, title: string): TopLevelSpec {
  return chartSpec(title, points, {
    encoding: { x: { field: 'trial', type: 'quantitative', title: 'Measured trial (0 = baseline)', axis: wholeNumberAxis(points.map((p) => p.trial)) }, color: STRATEGY_COLOR },
    layer: [
      { mark: { type: 'area', opacity: 0.2, interpolate: 'step-after' }, encoding: { y: logAxis('low', yTitle), y2: { field: 'high' } } },
      { mark: { type: 'line', interpolate: 'step-after', point: true }, encoding: { y: { field: 'median', type: 'quantitative', title: `${yTitle}, log scale` } } },
    ],
  });
}

export interface TimedConvergencePoint {
  strategy: string;
  study: string;
  trial: number; // the trial whose finish this point marks
  minutes: number; // since the study's first trial started
  best: number;
}

/**
 * Best-so-far of each study after each measured trial, placed at the minute the trial finished. Trials are taken
 * in the order they finished, not by number: parallel trials finish out of order, and a best is known only
 * once its trial finished. Seeds are not merged: their clocks differ, so each study is a line of its own.
 */
export function convergenceOverTime(studies: readonly StudyTrials[]): TimedConvergencePoint[] {
  return studies.flatMap(({ study, trials }) => {
    const span = studySpan(trials);
    if (span === undefined) return [];
    const finished = trials
      .flatMap((trial) => (isMeasuredAttempt(trial) && trial.finishedAt !== undefined ? [{ trial, atMs: Date.parse(trial.finishedAt) }] : []))
      .sort((a, b) => a.atMs - b.atMs || a.trial.number - b.trial.number);
    const best = bestSoFar(finished.map(({ trial }) => trialValue(trial, study.objective)));
    return finished.flatMap(({ trial, atMs }, i) => {
      const value = best[i];
      return value === undefined ? [] : [{ strategy: study.strategy, study: study.id, trial: trial.number, minutes: (atMs - span.startMs) / 60_000, best: value }];
    });
  });
}

export function convergenceOverTimeSpec(points: readonly TimedConvergencePoint[], yTitle: string, title: string): TopLevelSpec {
  return chartSpec(title, points, {
    mark: { type: 'line', interpolate: 'step-after', point: true },
    encoding: {
      x: { field: 'minutes', type: 'quantitative', title: 'Minutes since the study started' },
      y: logAxis('best', yTitle),
      color: STRATEGY_COLOR,
      detail: { field: 'study', type: 'nominal' },
    },
  });
}
