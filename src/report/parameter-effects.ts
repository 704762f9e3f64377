/**
 * Latency against each parameter: one small chart per parameter, complete trials as points and failed trials
 * marked along the top edge (they have no latency, but where they fell in the space matters).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ParamValue } from '../space/params.ts';
import type { StudyTrials } from '../domain/records.ts';
import { OBJECTIVE_LABEL } from '../domain/vocabulary.ts';
import { wholeNumberAxis } from './chart.ts';
import { isSearchTrial } from '../domain/trials.ts';
import { TRIAL_TOOLTIP, trialTip, type TrialTip } from './trial-tip.ts';

/** One view inside a concatenation, as vega-lite types it. */
type ConcatenatedView = Extract<TopLevelSpec, { concat: unknown }>['concat'][number];

export interface ParameterPoint {
  param: string;
  value: ParamValue;
  latencyMs: number; // measured mean, or the failure row's height for failed trials without a measurement
  outcome: 'complete' | 'failed';
  strategy: string;
  trial: number;
  tip: TrialTip;
}

function measuredMean(meanMs: number | undefined): number | undefined {
  return meanMs !== undefined && Number.isFinite(meanMs) ? meanMs : undefined;
}

export function parameterPoints(studies: readonly StudyTrials[]): ParameterPoint[] {
  // The search's trials: confirmation rounds would repeat the contenders' points several times over.
  const trials = studies.flatMap((e) => e.trials.filter(isSearchTrial).map((trial) => ({ trial, strategy: e.study.strategy, studyId: e.study.id })));
  const means = trials.map(({ trial }) => measuredMean(trial.metrics?.meanMs)).filter((v): v is number => v !== undefined);
  const failureRow = means.length > 0 ? Math.max(...means) * 1.1 : 1;
  return trials.flatMap(({ trial, strategy, studyId }) => {
    if (trial.state !== 'complete' && trial.state !== 'failed') return [];
    const outcome = trial.state;
    const latencyMs = measuredMean(trial.metrics?.meanMs) ?? (outcome === 'failed' ? failureRow : undefined);
    if (latencyMs === undefined) return [];
    const tip = trialTip(trial, studyId);
    return Object.entries(trial.params).map(([param, value]) => ({ param, value, latencyMs, outcome, strategy, trial: trial.number, tip }));
  });
}

function parameterChart(param: string, points: readonly ParameterPoint[], whole: boolean): ConcatenatedView {
  const numeric = points.every((p) => typeof p.value === 'number');
  return {
    title: param,
    width: 200,
    height: 150,
    data: { values: [...points] },
    mark: { type: 'point', filled: true, size: 50, ...TRIAL_TOOLTIP },
    encoding: {
      x: { field: 'value', type: numeric ? 'quantitative' : 'nominal', title: param, ...(numeric ? { scale: { zero: false } } : {}), ...(numeric && whole ? { axis: wholeNumberAxis(points.map((p) => Number(p.value))) } : {}) },
      y: { field: 'latencyMs', type: 'quantitative', title: OBJECTIVE_LABEL.mean },
      color: { field: 'outcome', type: 'nominal', title: 'Outcome', scale: { domain: ['complete', 'failed'], range: ['#4c78a8', '#e45756'] } },
      shape: { field: 'outcome', type: 'nominal', scale: { domain: ['complete', 'failed'], range: ['circle', 'cross'] } },
    },
  };
}

/** One chart per parameter; `wholeNumbers` (whole-numbers.ts) names those whose axis ticks at integers. */
export function parameterEffectsSpec(points: readonly ParameterPoint[], title: string, wholeNumbers: ReadonlySet<string>): TopLevelSpec {
  const params = [...new Set(points.map((p) => p.param))];
  return { title, columns: 3, concat: params.map((param) => parameterChart(param, points.filter((p) => p.param === param), wholeNumbers.has(param))) };
}
