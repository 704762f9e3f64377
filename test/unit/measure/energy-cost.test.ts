import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ResourceUsage } from '../../../src/deploy/backend.ts';
import type { LoadResult } from '../../../src/load/types.ts';
import { CLOUD_CARBON_FOOTPRINT_AWS, estimateEnergyJoules, type EnergyModel } from '../../../src/measure/energy-model.ts';
import { FARGATE_US_EAST_1, reservationCostUsd } from '../../../src/measure/prices.ts';
import { trialMetrics } from '../../../src/measure/trial-metrics.ts';

const close = (actual: number, expected: number): void =>
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${actual} ≠ ${expected}`);

const SIMPLE: EnergyModel = { minWattsPerVcpu: 1, maxWattsPerVcpu: 3, wattsPerGb: 0.5, pue: 1 };
const TWO_BY_TWO = { replicas: 2, cpus: 1.5, memoryMb: 2048 }; // 3 vCPUs, 4 GB

function load(completed: number, durationS: number): LoadResult {
  return {
    latency: { count: completed, mean: 20, meanCi95: 1, min: 10, p50: 19, p90: 25, p95: 28, p99: 35, max: 40 },
    durationS,
    completed,
    throughputRps: completed / durationS,
    errors: { http_503: 4, timeout: 0 },
    histogram: [{ upperMs: 25.12, count: completed }],
  };
}

const usage: ResourceUsage = { cpuSeconds: 60, peakMemoryBytes: 3e9, perReplica: [] };

describe('energy estimate', () => {
  test('idle power for every reserved vCPU, the difference for CPU-seconds used, memory as reserved', () => {
    // 3 vCPU × 100 s × 1 W + 60 s × (3 − 1) W + 4 GB × 0.5 W × 100 s = 300 + 120 + 200
    close(estimateEnergyJoules(60, 100, TWO_BY_TWO, SIMPLE), 620);
    close(estimateEnergyJoules(60, 100, TWO_BY_TWO, { ...SIMPLE, pue: 1.5 }), 930);
  });

  test('CPU use beyond the reservation is capped at full load', () => {
    close(estimateEnergyJoules(1000, 100, TWO_BY_TWO, SIMPLE), 300 + 300 * 2 + 200);
  });

  test('defaults are Cloud Carbon Footprint AWS averages', () => {
    assert.deepEqual(CLOUD_CARBON_FOOTPRINT_AWS, { minWattsPerVcpu: 0.74, maxWattsPerVcpu: 3.5, wattsPerGb: 0.392, pue: 1.135 });
  });
});

describe('cost', () => {
  test('reserved vCPU-hours and GB-hours at Fargate prices', () => {
    // One hour of 3 vCPU and 4 GB: 3 × 0.04048 + 4 × 0.004445
    close(reservationCostUsd(TWO_BY_TWO, 3600, FARGATE_US_EAST_1), 0.13922);
  });
});

describe('trial metrics', () => {
  test('per-request energy and cost per million from the window', () => {
    const metrics = trialMetrics(load(1000, 100), usage, TWO_BY_TWO, FARGATE_US_EAST_1, SIMPLE);
    close(metrics.energyJoules, 620);
    assert.equal(metrics.energySource, 'estimate');
    close(metrics.joulesPerRequest, 0.62);
    close(metrics.costUsd, 0.13922 / 36);
    close(metrics.usdPerMillionRequests, (0.13922 / 36 / 1000) * 1e6);
    assert.equal(metrics.requests, 1000);
    assert.equal(metrics.errors, 4);
    assert.deepEqual(metrics.errorsByKind, { http_503: 4 });
    assert.equal(metrics.p99Ms, 35);
    assert.equal(metrics.windowS, 100);
    assert.equal(metrics.cpuSeconds, 60);
  });

  test('RAPL joules replace the estimate and say so', () => {
    const metrics = trialMetrics(load(500, 10), usage, TWO_BY_TWO, FARGATE_US_EAST_1, SIMPLE, 250);
    assert.equal(metrics.energySource, 'rapl');
    close(metrics.joulesPerRequest, 0.5);
  });

  test('a window that served nothing costs infinitely much per request', () => {
    const metrics = trialMetrics(load(0, 10), usage, TWO_BY_TWO, FARGATE_US_EAST_1, SIMPLE);
    assert.equal(metrics.joulesPerRequest, Number.POSITIVE_INFINITY);
    assert.equal(metrics.usdPerMillionRequests, Number.POSITIVE_INFINITY);
  });
});
