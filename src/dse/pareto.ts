/**
 * Pareto fronts (pure; every objective is minimised) and the Pareto-optimal configurations themselves: per
 * model and concurrency level, the complete trials no other trial beats on both latency (mean or p99) and
 * cost, or latency and energy, as text lines for the terminal and an HTML fragment for the report. Levels are
 * kept apart because latencies under different loads are not comparable. The report's trade-off plots draw
 * the same fronts (src/report/tradeoffs.ts).
 */
import type { StudyTrials, TrialMetrics } from '../domain/records.ts';
import { energySources, energyTitle, formatEnergy, formatParams, formatValue, type EnergySource } from '../report/format.ts';
import { groupBy } from '../report/study-trials.ts';
import { escapeHtml, htmlTable, textTable } from '../report/table.ts';
import type { Params } from '../space/params.ts';

export type ObjectiveOf<T> = (point: T) => number;

/** True when `a` is no worse than `b` on every objective and strictly better on at least one. */
export function dominates<T>(a: T, b: T, objectives: readonly ObjectiveOf<T>[]): boolean {
  let strictlyBetter = false;
  for (const objective of objectives) {
    const [va, vb] = [objective(a), objective(b)];
    if (va > vb) return false;
    if (va < vb) strictlyBetter = true;
  }
  return strictlyBetter;
}

/** The points no other point dominates, in input order. Points with a non-finite objective are never on it. */
export function paretoFront<T>(points: readonly T[], objectives: readonly ObjectiveOf<T>[]): T[] {
  const finite = points.filter((p) => objectives.every((objective) => Number.isFinite(objective(p))));
  return finite.filter((candidate) => !finite.some((other) => dominates(other, candidate, objectives)));
}

export type LatencyMetric = 'mean' | 'p99';
/** What latency is traded against. */
export type SecondAxis = 'cost' | 'energy';

export const AXIS_UNIT: Record<SecondAxis, string> = { cost: 'USD/M req', energy: 'J/req' };

/** USD per million requests, or joules per request. */
export function secondAxisValue(metrics: TrialMetrics, axis: SecondAxis): number {
  return axis === 'cost' ? metrics.usdPerMillionRequests : metrics.joulesPerRequest;
}

export interface ParetoEntry {
  model: string;
  concurrency: number;
  axis: SecondAxis;
  studyId: string;
  trial: number;
  latencyMs: number;
  value: number; // on the second axis
  energySource: EnergySource; // where an energy value came from
  params: Params;
}

export interface ParetoListing {
  model: string;
  concurrency: number;
  axis: SecondAxis;
  latency: LatencyMetric;
  front: ParetoEntry[]; // by latency, fastest first
}

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
        latencyMs: latency === 'mean' ? m.meanMs : m.p99Ms, value: secondAxisValue(m, axis), energySource: m.energySource, params: trial.params,
      };
      return [entry];
    }),
  );
  return paretoFront(points, [(p) => p.latencyMs, (p) => p.value]).sort((a, b) => a.latencyMs - b.latencyMs || a.value - b.value);
}

function title(listing: ParetoListing): string {
  return `Pareto front, ${listing.latency} latency against ${listing.axis}: ${listing.model} at concurrency ${listing.concurrency}`;
}

/** The front's energy sources; none on the cost axis, whose figures are computed from prices, not estimated. */
function frontEnergy(listing: ParetoListing): EnergySource[] {
  return listing.axis === 'energy' ? energySources(listing.front) : [];
}

function header(listing: ParetoListing): string[] {
  return ['study', 'trial', `${listing.latency} ms`, energyTitle(AXIS_UNIT[listing.axis], frontEnergy(listing)), 'configuration'];
}

function cells(listing: ParetoListing): string[][] {
  const energy = frontEnergy(listing);
  const value = (e: ParetoEntry) => (listing.axis === 'energy' ? formatEnergy(e.value, e.energySource, energy) : formatValue(e.value));
  return listing.front.map((e) => [e.studyId, `#${e.trial}`, formatValue(e.latencyMs), value(e), formatParams(e.params)]);
}

export function paretoTableLines(listings: readonly ParetoListing[]): string[] {
  return listings.flatMap((listing) => [
    title(listing),
    ...(listing.front.length === 0 ? ['  no complete trial'] : textTable(header(listing), cells(listing))),
    '',
  ]);
}

/** Drop into the HTML report's body; uses the report's table styles. */
export function paretoHtml(listings: readonly ParetoListing[]): string {
  return listings.map((listing) => `<h3>${escapeHtml(title(listing))}</h3>${htmlTable(header(listing), cells(listing))}`).join('\n');
}
