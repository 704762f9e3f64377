/** A complete trial of a gan study and the ExportInput made of it, as src/app/export.ts makes one. */
import type { StudyRecord, TrialMetrics, TrialRecord } from '../../../src/domain/records.ts';
import type { ExportableTrial, ExportInput } from '../../../src/export/shared.ts';
import { paramsToSpec } from '../../../src/study/params-to-spec.ts';
import { studyRecord } from '../loop/fakes.ts';

export const MODEL_DIR = '/cache/models/gan/int8';

export const PARAMS = {
  replicas: 3,
  cpus: 0.75,
  memory_mb: 1536,
  max_batch_size: 8,
  batch_timeout_us: 2000,
  intra_op_threads: 1,
  inter_op_threads: 1,
  execution_mode: 'parallel',
  graph_optimization_level: 'extended',
  precision: 'int8',
};

export function metrics(meanMs: number, overrides: Partial<TrialMetrics> = {}): TrialMetrics {
  return {
    meanMs,
    meanCi95Ms: 1,
    p50Ms: meanMs,
    p90Ms: meanMs * 1.5,
    p95Ms: meanMs * 1.8,
    p99Ms: meanMs * 2.5,
    maxMs: meanMs * 4,
    throughputRps: 1000 / meanMs,
    requests: 500,
    errors: 0,
    errorsByKind: {},
    cpuSeconds: 3,
    peakMemoryBytes: 2e8,
    energyJoules: 10,
    energySource: 'estimate',
    joulesPerRequest: 0.02,
    costUsd: 0.001,
    usdPerMillionRequests: 0.5,
    windowS: 10,
    ...overrides,
  };
}

export function exportStudyRecord(overrides: Partial<StudyRecord> = {}): StudyRecord {
  return studyRecord({ id: 'gan-bo-c16-b20-s1', concurrency: 16, strategy: 'bo', ...overrides });
}

export function completeTrial(number: number, params: Record<string, string | number>, meanMs: number): ExportableTrial {
  return { studyId: 'gan-bo-c16-b20-s1', number, state: 'complete', params, metrics: metrics(meanMs), objectiveValue: meanMs, startedAt: '2026-01-01T00:00:00.000Z' };
}

export function failedTrial(number: number, failureKind: TrialRecord['failureKind'] = 'oom_killed'): TrialRecord {
  return { studyId: 'gan-bo-c16-b20-s1', number, state: 'failed', params: PARAMS, failureKind, failureMessage: 'killed', startedAt: '2026-01-01T00:00:00.000Z' };
}

export function exportInput(overrides: Partial<Pick<ExportInput, 'port' | 'bind' | 'image'>> & { params?: Record<string, string | number> } = {}): ExportInput {
  const study = exportStudyRecord();
  const trial = completeTrial(4, overrides.params ?? PARAMS, 12.5);
  const spec = paramsToSpec(trial.params, trial.number, { studyId: study.id, modelName: 'gan', modelDirFor: () => MODEL_DIR, concurrency: study.concurrency, readyTimeoutMs: 1000 });
  return { study, trial, chosen: 'best', spec, image: overrides.image ?? 'tune-server:0123abcd4567', port: overrides.port ?? 8501, bind: overrides.bind ?? '127.0.0.1' };
}
