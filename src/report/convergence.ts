/**
 * Convergence: the best objective found so far after each measured trial, one line per strategy (the median
 * over seeds) with a min–max band over seeds; and the same best-so-far against wall-clock time, one line per
 * study, where cheaper trials (reconfigured, stopped early) show as a steeper curve.
 */
import type { TopLevelSpec } from 'vega-lite';
import { median } from 'simple-statistics';
import { groupBy } from './study-trials.ts';
import { byNumber, isMeasuredAttempt, trialValue } from '../domain/trials.ts';
import type { StudyTrials, TrialRecord } from '../domain/records.ts';
import { chartSpec, wholeNumberAxis } from './chart.ts';
import { formatValue } from './format.ts';
import { TRIAL_TOOLTIP, trialTip, type TrialTip } from './trial-tip.ts';
import { studySpan } from '../domain/time-spent.ts';

export interface ConvergencePoint {
  strategy: string;
  trial: number;
  median: number;
  low: number;
  high: number;
  seeds: number;
  tip: TrialTip; // the best configuration any seed had found by then
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

/** The trial holding each best-so-far value of studyBestSoFar (the first to reach it). */
function studyIncumbents(entry: StudyTrials): (TrialRecord | undefined)[] {
  let best: { trial: TrialRecord; value: number } | undefined;
  return byNumber(entry.trials).filter(isMeasuredAttempt).map((trial) => {
    const value = trialValue(trial, entry.study.objective);
    if (value !== undefined && (best === undefined || value < best.value)) best = { trial, value };
    return best?.trial;
  });
}

export function convergenceSeries(studies: readonly StudyTrials[]): ConvergencePoint[] {
  const points: ConvergencePoint[] = [];
  for (const [strategy, entries] of groupBy(studies, (e) => e.study.strategy)) {
    const curves = entries.map(studyBestSoFar);
    const incumbents = entries.map(studyIncumbents);
    const length = Math.max(0, ...curves.map((c) => c.length));
    for (let trial = 0; trial < length; trial++) {
      const values = curves.map((c) => c[trial]).filter((v): v is number => v !== undefined);
      if (values.length === 0) continue;
      const [low, high] = [Math.min(...values), Math.max(...values)];
      const leader = curves.findIndex((c) => c[trial] === low);
      const point = { strategy, trial, median: median(values), low, high, seeds: values.length };
      const summary = {
        strategy, 'measured trials': trial + 1, [`best so far, median over ${values.length} seed(s)`]: formatValue(point.median),
        ...(values.length > 1 && { 'min–max over seeds': `${formatValue(low)}–${formatValue(high)}` }),
      };
      points.push({ ...point, tip: trialTip(incumbents[leader]![trial]!, entries[leader]!.study.id, summary) });
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
      {
        // Drag to pan, wheel to zoom: a long study's late improvements are small against the baseline.
        params: [{ name: 'zoom', select: 'interval', bind: 'scales' }],
        mark: { type: 'line', interpolate: 'step-after', point: TRIAL_TOOLTIP },
        encoding: { y: { field: 'median', type: 'quantitative', title: `${yTitle}, log scale` } },
      },
    ],
  });
}

export interface TimedConvergencePoint {
  strategy: string;
  study: string;
  trial: number; // the trial whose finish this point marks
  minutes: number; // since the study's first trial started
  best: number;
  tip: TrialTip; // the trial that finished
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
      if (value === undefined) return [];
      const minutes = (atMs - span.startMs) / 60_000;
      const tip = trialTip(trial, study.id, { 'best so far': formatValue(value), 'minutes since the start': formatValue(minutes) });
      return [{ strategy: study.strategy, study: study.id, trial: trial.number, minutes, best: value, tip }];
    });
  });
}

export function convergenceOverTimeSpec(points: readonly TimedConvergencePoint[], yTitle: string, title: string): TopLevelSpec {
  return chartSpec(title, points, {
    mark: { type: 'line', interpolate: 'step-after', point: TRIAL_TOOLTIP },
    encoding: {
      x: { field: 'minutes', type: 'quantitative', title: 'Minutes since the study started' },
      y: logAxis('best', yTitle),
      color: STRATEGY_COLOR,
      detail: { field: 'study', type: 'nominal' },
    },
  });
}
