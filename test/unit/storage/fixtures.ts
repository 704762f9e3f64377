/** Records for storage and report tests. */
import type { Params } from '../../../src/space/params.ts';
import type { HistogramBucket, StudyRecord, TrialMetrics } from '../../../src/domain/records.ts';
import type { FailureKind } from '../../../src/domain/vocabulary.ts';
import type { Storage } from '../../../src/storage/storage.ts';

export function aStudy(overrides: Partial<StudyRecord> = {}): StudyRecord {
  return {
    id: 'resnet-c8-bo-1',
    model: 'resnet50',
    concurrency: 8,
    strategy: 'bo',
    seed: 1,
    budget: 30,
    objective: 'mean',
    sloP99Ms: 250,
    space: { parameters: { replicas: { type: 'int', low: 1, high: 4 } } },
    durationS: 30,
    warmupS: 5,
    host: { hostname: 'lab', cpus: 2, cpuModel: 'Xeon', memoryBytes: 24 * 2 ** 30, platform: 'linux', nodeVersion: 'v20.20.2' },
    createdAt: '2026-11-26T00:00:00.000Z',
    ...overrides,
  };
}

export function someMetrics(overrides: Partial<TrialMetrics> = {}): TrialMetrics {
  return {
    meanMs: 42.5,
    meanCi95Ms: 1.25,
    p50Ms: 40,
    p90Ms: 55,
    p95Ms: 60,
    p99Ms: 80,
    maxMs: 120,
    throughputRps: 188.2,
    requests: 5646,
    errors: 3,
    errorsByKind: { timeout: 2, http_503: 1 },
    cpuSeconds: 51.5,
    peakMemoryBytes: 734003200,
    energyJoules: 610.5,
    energySource: 'estimate',
    joulesPerRequest: 0.108,
    costUsd: 0.00041,
    usdPerMillionRequests: 72.6,
    windowS: 30,
    ...overrides,
  };
}

export const someParams: Params = {
  replicas: 2,
  cpus: 1.5,
  memory_mb: 1024,
  max_batch_size: 8,
  batch_timeout_us: 2000,
  intra_op_threads: 2,
  inter_op_threads: 1,
  execution_mode: 'sequential',
  graph_optimization_level: 'all',
  precision: 'fp32',
};

/** A clock that advances one second per reading, so timestamps are distinct and predictable. */
export function tickingClock(startIso = '2026-11-26T01:00:00.000Z'): () => Date {
  let ms = Date.parse(startIso);
  return () => new Date((ms += 1000));
}

/** A trial to record: measured with this mean latency, or failed for this reason. */
export type TrialSpec =
  | { meanMs: number; params?: Params; overrides?: Partial<TrialMetrics>; histogram?: HistogramBucket[] }
  | { failure: FailureKind; params?: Params };

/** Creates the study and records its trials 0..n-1 in order. */
export function recordStudy(storage: Storage, study: StudyRecord, specs: readonly TrialSpec[]): void {
  storage.createStudy(study);
  specs.forEach((spec, number) => {
    storage.startTrial(study.id, number, spec.params ?? { ...someParams, replicas: number + 1 });
    if ('failure' in spec) {
      const state = spec.failure === 'interrupted' ? 'interrupted' : 'failed';
      storage.finishTrial(study.id, number, { state, failureKind: spec.failure, failureMessage: `${spec.failure} in trial ${number}` });
      return;
    }
    const metrics = someMetrics({ meanMs: spec.meanMs, p99Ms: spec.meanMs * 2, ...spec.overrides });
    const outcome = { state: 'complete' as const, metrics, objectiveValue: spec.meanMs };
    storage.finishTrial(study.id, number, spec.histogram ? { ...outcome, histogram: spec.histogram } : outcome);
  });
}
