import type { ResourceUsage } from '../deploy/backend.ts';
import type { LoadResult } from '../load/types.ts';
import type { TrialMetrics } from '../domain/records.ts';
import { estimateEnergyJoules, type EnergyModel } from './energy-model.ts';
import { reservationCostUsd, type Prices, type Reservation } from './prices.ts';

/**
 * One trial's figures from its load window and resource use. Energy is the model's estimate unless
 * RAPL joules for the same window are given. Per-request figures divide by successful responses (an
 * error is not a request served); a window that served none costs Infinity per request.
 */
export function trialMetrics(
  load: LoadResult,
  usage: ResourceUsage,
  deployment: Reservation,
  prices: Prices,
  energyModel: EnergyModel,
  raplJoules?: number,
): TrialMetrics {
  const windowS = load.durationS;
  const energyJoules = raplJoules ?? estimateEnergyJoules(usage.cpuSeconds, windowS, deployment, energyModel);
  const costUsd = reservationCostUsd(deployment, windowS, prices);
  const errorsByKind = Object.fromEntries(Object.entries(load.errors).filter(([, count]) => (count ?? 0) > 0)) as Record<string, number>;
  return {
    meanMs: load.latency.mean,
    meanCi95Ms: load.latency.meanCi95,
    p50Ms: load.latency.p50,
    p90Ms: load.latency.p90,
    p95Ms: load.latency.p95,
    p99Ms: load.latency.p99,
    maxMs: load.latency.max,
    throughputRps: load.throughputRps,
    requests: load.completed,
    errors: Object.values(errorsByKind).reduce((sum, count) => sum + count, 0),
    errorsByKind,
    cpuSeconds: usage.cpuSeconds,
    peakMemoryBytes: usage.peakMemoryBytes,
    energyJoules,
    energySource: raplJoules === undefined ? 'estimate' : 'rapl',
    joulesPerRequest: perRequest(energyJoules, load.completed),
    costUsd,
    usdPerMillionRequests: perRequest(costUsd, load.completed) * 1e6,
    windowS,
  };
}

function perRequest(total: number, requests: number): number {
  return requests > 0 ? total / requests : Number.POSITIVE_INFINITY;
}
