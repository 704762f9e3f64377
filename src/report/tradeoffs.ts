/**
 * Latency–cost and latency–energy trade-offs: every complete trial of a model, with its Pareto front
 * (the configurations no other one beats on both axes, src/dse/pareto.ts) drawn as a line.
 */
import type { TopLevelSpec } from 'vega-lite';
import { paretoFront, secondAxisValue, type SecondAxis } from '../dse/pareto.ts';
import type { StudyTrials } from '../domain/records.ts';
import { OBJECTIVE_LABEL } from '../domain/vocabulary.ts';
import { chartSpec, type ChartBody } from './chart.ts';
import { energySources, energyTitle } from './format.ts';
import { TRIAL_TOOLTIP, trialTip, type TrialTip } from './trial-tip.ts';

type ChartLayer = Extract<ChartBody, { layer: unknown }>['layer'][number];

export interface TradeoffPoint {
  latencyMs: number;
  value: number; // USD per million requests, or joules per request
  onFront: boolean;
  strategy: string;
  concurrency: number;
  study: string;
  trial: number;
  energySource: 'estimate' | 'rapl';
  tip: TrialTip;
}

export function tradeoffPoints(studies: readonly StudyTrials[], axis: SecondAxis): TradeoffPoint[] {
  const points = studies.flatMap(({ study, trials }) =>
    trials.flatMap((trial) => {
      if (trial.state !== 'complete' || trial.metrics === undefined) return [];
      const value = secondAxisValue(trial.metrics, axis);
      const point = {
        latencyMs: trial.metrics.meanMs, value, onFront: false, strategy: study.strategy, concurrency: study.concurrency, study: study.id, trial: trial.number,
        energySource: trial.metrics.energySource, tip: trialTip(trial, study.id),
      };
      return Number.isFinite(point.latencyMs) && Number.isFinite(value) ? [point] : [];
    }),
  );
  const front = new Set(paretoFront(points, [(p) => p.latencyMs, (p) => p.value]));
  return points.map((p) => ({ ...p, onFront: front.has(p) }));
}

export function tradeoffSpec(points: readonly TradeoffPoint[], axis: SecondAxis, title: string): TopLevelSpec {
  const yTitle = axis === 'cost' ? OBJECTIVE_LABEL.cost : energyTitle(OBJECTIVE_LABEL.energy, energySources(points));
  return frontSpec(title, points, { field: 'latencyMs', title: OBJECTIVE_LABEL.mean }, { field: 'value', title: yTitle });
}

/** A plotted axis: the points' field and its title. */
export interface FrontAxis {
  field: string;
  title: string;
}

/**
 * Points on two objectives with their Pareto front (`onFront`) drawn as a staircase; with `knee`, the point whose
 * `knee` field is true is ringed and labelled. Each point's `tip` is its tooltip in the live chart.
 */
export function frontSpec(title: string, points: readonly { onFront: boolean; tip: TrialTip }[], xAxis: FrontAxis, yAxis: FrontAxis, knee = false): TopLevelSpec {
  const x = { field: xAxis.field, type: 'quantitative', title: xAxis.title, scale: { zero: false } } as const;
  const y = { field: yAxis.field, type: 'quantitative', title: yAxis.title, scale: { zero: false } } as const;
  const kneeLayers: ChartLayer[] = [
    { transform: [{ filter: 'datum.knee' }], mark: { type: 'point', shape: 'diamond', size: 220, strokeWidth: 2, color: '#111827', ...TRIAL_TOOLTIP }, encoding: { x, y } },
    { transform: [{ filter: 'datum.knee' }], mark: { type: 'text', text: 'knee', dx: 14, dy: -12, fontWeight: 'bold' }, encoding: { x, y } },
  ];
  return chartSpec(title, points, {
    layer: [
      {
        mark: { type: 'point', filled: true, size: 40, opacity: 0.6, ...TRIAL_TOOLTIP },
        encoding: { x, y, color: { field: 'onFront', type: 'nominal', title: 'Pareto front', scale: { domain: [true, false], range: ['#e45756', '#9ca3af'] } } },
      },
      {
        transform: [{ filter: 'datum.onFront' }],
        mark: { type: 'line', color: '#e45756', interpolate: 'step-after' },
        encoding: { x, y, order: { field: xAxis.field } },
      },
      ...(knee ? kneeLayers : []),
    ],
  });
}
