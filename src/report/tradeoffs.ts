/**
 * Latency–cost and latency–energy trade-offs: every complete trial of a model, with its Pareto front
 * (the configurations no other one beats on both axes) drawn as a line.
 */
import type { TopLevelSpec } from 'vega-lite';
import { paretoFront } from './pareto.ts';
import type { StudyTrials } from './study-trials.ts';

export type TradeoffAxis = 'cost' | 'energy';

export interface TradeoffPoint {
  latencyMs: number;
  value: number; // USD per million requests, or joules per request
  onFront: boolean;
  strategy: string;
  concurrency: number;
  study: string;
  trial: number;
}

const AXIS_TITLE: Record<TradeoffAxis, string> = {
  cost: 'Cost (USD per million requests)',
  energy: 'Energy (J per request)',
};

export function tradeoffPoints(studies: readonly StudyTrials[], axis: TradeoffAxis): TradeoffPoint[] {
  const points = studies.flatMap(({ study, trials }) =>
    trials.flatMap((trial) => {
      if (trial.state !== 'complete' || trial.metrics === undefined) return [];
      const value = axis === 'cost' ? trial.metrics.usdPerMillionRequests : trial.metrics.joulesPerRequest;
      const point = { latencyMs: trial.metrics.meanMs, value, onFront: false, strategy: study.strategy, concurrency: study.concurrency, study: study.id, trial: trial.number };
      return Number.isFinite(point.latencyMs) && Number.isFinite(value) ? [point] : [];
    }),
  );
  const front = new Set(paretoFront(points, [(p) => p.latencyMs, (p) => p.value]));
  return points.map((p) => ({ ...p, onFront: front.has(p) }));
}

export function tradeoffSpec(points: readonly TradeoffPoint[], axis: TradeoffAxis, title: string): TopLevelSpec {
  const x = { field: 'latencyMs', type: 'quantitative', title: 'Mean latency (ms)', scale: { zero: false } } as const;
  const y = { field: 'value', type: 'quantitative', title: AXIS_TITLE[axis], scale: { zero: false } } as const;
  return {
    title,
    width: 480,
    height: 280,
    data: { values: [...points] },
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
  };
}
