/**
 * The Pareto-optimal configurations themselves, as a table (pure): per model and concurrency level, the
 * complete trials no other trial beats on both latency (mean or p99) and cost, or latency and energy.
 * Levels are kept apart because latencies under different loads are not comparable.
 */
import { paretoFront } from '../report/pareto.ts';
import { groupBy, type StudyTrials } from '../report/study-trials.ts';
import type { Params } from '../space/params.ts';

export type LatencyMetric = 'mean' | 'p99';
export type SecondAxis = 'cost' | 'energy';

export interface ParetoEntry {
  model: string;
  concurrency: number;
  axis: SecondAxis;
  studyId: string;
  trial: number;
  latencyMs: number;
  value: number; // USD per million requests, or joules per request
  params: Params;
}

export interface ParetoListing {
  model: string;
  concurrency: number;
  axis: SecondAxis;
  latency: LatencyMetric;
  front: ParetoEntry[]; // by latency, fastest first
}

export const AXIS_UNIT: Record<SecondAxis, string> = { cost: 'USD/M req', energy: 'J/req' };

export function paretoListings(studies: readonly StudyTrials[], latency: LatencyMetric = 'mean', axes: readonly SecondAxis[] = ['cost', 'energy']): ParetoListing[] {
  const groups = groupBy(studies, (e) => JSON.stringify([e.study.model, e.study.concurrency]));
  return [...groups.values()].flatMap((group) => {
    const { model, concurrency } = group[0]!.study;
    return axes.map((axis) => ({ model, concurrency, axis, latency, front: frontOf(group, latency, axis) }));
  });
}

function frontOf(studies: readonly StudyTrials[], latency: LatencyMetric, axis: SecondAxis): ParetoEntry[] {
  const points = studies.flatMap(({ study, trials }) =>
    trials.flatMap((trial) => {
      const m = trial.metrics;
      if (trial.state !== 'complete' || m === undefined) return [];
      const entry: ParetoEntry = {
        model: study.model, concurrency: study.concurrency, axis, studyId: study.id, trial: trial.number,
        latencyMs: latency === 'mean' ? m.meanMs : m.p99Ms, value: axis === 'cost' ? m.usdPerMillionRequests : m.joulesPerRequest, params: trial.params,
      };
      return [entry];
    }),
  );
  return paretoFront(points, [(p) => p.latencyMs, (p) => p.value]).sort((a, b) => a.latencyMs - b.latencyMs || a.value - b.value);
}
