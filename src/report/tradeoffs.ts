/**
 * Latency–cost and latency–energy trade-offs: every complete trial of a model, with its Pareto front
 * (the configurations no other one beats on both axes, src/dse/pareto.ts) drawn as a line.
 */
import type { TopLevelSpec } from 'vega-lite';
import { paretoFront, secondAxisValue, type SecondAxis } from '../dse/pareto.ts';
import type { StudyTrials } from '../domain/records.ts';
import { OBJECTIVE_LABEL } from '../domain/vocabulary.ts';
import { chartSpec } from './chart.ts';

export interface TradeoffPoint {
  latencyMs: number;
  value: number; // USD per million requests, or joules per request
  onFront: boolean;
  strategy: string;
  concurrency: number;
  study: string;
  trial: number;
}

const AXIS_TITLE: Record<SecondAxis, string> = { cost: OBJECTIVE_LABEL.cost, energy: 'Energy (J per request)' };

export function tradeoffPoints(studies: readonly StudyTrials[], axis: SecondAxis): TradeoffPoint[] {
  const points = studies.flatMap(({ study, trials }) =>
    trials.flatMap((trial) => {
      if (trial.state !== 'complete' || trial.metrics === undefined) return [];
      const value = secondAxisValue(trial.metrics, axis);
      const point = { latencyMs: trial.metrics.meanMs, value, onFront: false, strategy: study.strategy, concurrency: study.concurrency, study: study.id, trial: trial.number };
      return Number.isFinite(point.latencyMs) && Number.isFinite(value) ? [point] : [];
    }),
  );
  const front = new Set(paretoFront(points, [(p) => p.latencyMs, (p) => p.value]));
  return points.map((p) => ({ ...p, onFront: front.has(p) }));
}

export function tradeoffSpec(points: readonly TradeoffPoint[], axis: SecondAxis, title: string): TopLevelSpec {
  const x = { field: 'latencyMs', type: 'quantitative', title: OBJECTIVE_LABEL.mean, scale: { zero: false } } as const;
  const y = { field: 'value', type: 'quantitative', title: AXIS_TITLE[axis], scale: { zero: false } } as const;
  return chartSpec(title, points, {
    layer: [
      {
        mark: { type: 'point', filled: true, size: 40, opacity: 0.6 },
        encoding: { x, y, color: { field: 'onFront', type: 'nominal', title: 'Pareto front', scale: { domain: [true, false], range: ['#e45756', '#9ca3af'] } } },
      },
      {
        transform: [{ filter: 'datum.onFront' }],
        mark: { type: 'line', color: '#e45756', interpolate: 'step-after' },
        encoding: { x, y, order: { field: 'latencyMs' } },
      },
    ],
  });
}
