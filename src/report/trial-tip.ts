/**
 * What a live chart's tooltip shows for a point that stands for a trial (pure): the trial, its whole
 * configuration and its measurements, as ordered `label: value` pairs. Plots put it on each point as `tip`, and
 * their point marks show it (TRIAL_TOOLTIP); the static SVG and PNG ignore it.
 */
import type { TrialRecord } from '../domain/records.ts';
import { energySources, energyTitle, formatValue } from './format.ts';

/** The field every point carries its tooltip in. */
export type TrialTip = Record<string, string | number>;

/** A point mark's tooltip: the point's own `tip` (vega's tooltip handler lists an object's pairs, in order). */
export const TRIAL_TOOLTIP = { tooltip: { expr: 'datum.tip' } } as const;

/**
 * The trial's tooltip: `extra` first (what the point plots, e.g. the best so far), then the trial, its state,
 * every parameter, and what it measured; the energy figure says where it came from.
 */
export function trialTip(trial: TrialRecord, studyId?: string, extra: TrialTip = {}): TrialTip {
  const m = trial.metrics;
  const measured: TrialTip =
    m === undefined
      ? {}
      : {
          'mean latency (ms)': `${formatValue(m.meanMs)} ± ${formatValue(m.meanCi95Ms)}`,
          'p50 latency (ms)': formatValue(m.p50Ms),
          'p99 latency (ms)': formatValue(m.p99Ms),
          'throughput (req/s)': formatValue(m.throughputRps),
          errors: m.errors,
          'cost (USD/M req)': formatValue(m.usdPerMillionRequests),
          [energyTitle('energy (J/req)', energySources([m]))]: formatValue(m.joulesPerRequest),
          'peak memory (MB)': formatValue(m.peakMemoryBytes / 1e6),
        };
  return {
    ...extra,
    trial: studyId === undefined ? `#${trial.number}` : `#${trial.number} of ${studyId}`,
    state: trial.state,
    ...(trial.failureKind !== undefined && { failure: trial.failureKind }),
    ...trial.params,
    ...measured,
  };
}
