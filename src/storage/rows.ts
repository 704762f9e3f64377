/** Conversions between storage records and SQLite rows (pure). */
import type { Params } from '../space/params.ts';
import { withoutUndefined } from './lifecycle.ts';
import type { ApiVersion, DeployMode, InputShapes, StudyRecord, TrialMetrics, TrialOutcome, TrialRecord, TrialState } from '../domain/records.ts';
import { backendOf, confirmationFields, parallelOf } from '../domain/trials.ts';
import type { FailureKind, Objective } from '../domain/vocabulary.ts';

export interface StudyRow {
  id: string;
  model: string;
  concurrency: number;
  strategy: string;
  seed: number;
  budget: number;
  objective: string;
  objectives: string | null; // comma-joined, only for a study minimising several
  slo_p99_ms: number | null;
  space_json: string;
  duration_s: number;
  warmup_s: number;
  host_json: string;
  created_at: string;
  backend: string;
  parallel: number;
  early_stop: number;
  reconfigure: number;
  cost_aware: number;
  confirm: number;
  workload_file: string | null;
  workload_sha256: string | null;
  api: string;
  input_shapes: string | null; // JSON: input name → item dims
}

export interface TrialRow {
  study_id: string;
  number: number;
  state: string;
  params_json: string;
  failure_kind: string | null;
  failure_message: string | null;
  mean_ms: number | null;
  mean_ci95_ms: number | null;
  p50_ms: number | null;
  p90_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  max_ms: number | null;
  throughput_rps: number | null;
  requests: number | null;
  errors: number | null;
  errors_json: string | null;
  cpu_seconds: number | null;
  peak_memory_bytes: number | null;
  energy_j: number | null;
  energy_source: string | null;
  joules_per_request: number | null;
  cost_usd: number | null;
  usd_per_million: number | null;
  window_s: number | null;
  objective_value: number | null;
  deploy_seconds: number | null;
  nodes: string | null;
  ready_at: string | null;
  deploy_mode: string | null;
  stopped_early: number;
  kind: string;
  confirms: number | null;
  round: number | null;
  started_at: string;
  finished_at: string | null;
}

export type OutcomeRow = Omit<TrialRow, 'study_id' | 'number' | 'params_json' | 'kind' | 'confirms' | 'round' | 'started_at'>;

const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);
// SQLite stores NaN as NULL; a metric that was measured reads back as NaN rather than vanishing.
const metric = (value: number | null): number => (value === null ? Number.NaN : value);

export function studyToRow(study: StudyRecord): StudyRow {
  return {
    id: study.id,
    model: study.model,
    concurrency: study.concurrency,
    strategy: study.strategy,
    seed: study.seed,
    budget: study.budget,
    objective: study.objective,
    objectives: study.objectives === undefined ? null : study.objectives.join(','),
    slo_p99_ms: study.sloP99Ms ?? null,
    space_json: JSON.stringify(study.space),
    duration_s: study.durationS,
    warmup_s: study.warmupS,
    host_json: JSON.stringify(withoutUndefined(study.host)),
    created_at: study.createdAt,
    backend: backendOf(study),
    parallel: parallelOf(study),
    early_stop: study.earlyStop === true ? 1 : 0,
    reconfigure: study.reconfigure === true ? 1 : 0,
    cost_aware: study.costAware === true ? 1 : 0,
    confirm: study.confirm ?? 0,
    workload_file: study.workload?.file ?? null,
    workload_sha256: study.workload?.sha256 ?? null,
    api: study.api ?? 'v1',
    input_shapes: study.inputShapes === undefined ? null : JSON.stringify(study.inputShapes),
  };
}

export function rowToStudy(row: StudyRow): StudyRecord {
  return withoutUndefined<StudyRecord>({
    id: row.id,
    model: row.model,
    concurrency: row.concurrency,
    strategy: row.strategy,
    seed: row.seed,
    budget: row.budget,
    objective: row.objective as Objective,
    objectives: row.objectives === null ? undefined : (row.objectives.split(',') as Objective[]),
    sloP99Ms: orUndefined(row.slo_p99_ms),
    space: JSON.parse(row.space_json) as unknown,
    durationS: row.duration_s,
    warmupS: row.warmup_s,
    host: JSON.parse(row.host_json) as StudyRecord['host'],
    createdAt: row.created_at,
    // The defaults are left implicit, so a record reads back as it was written.
    backend: row.backend === 'docker' ? undefined : (row.backend as StudyRecord['backend']),
    parallel: row.parallel === 1 ? undefined : row.parallel,
    earlyStop: row.early_stop === 1 ? true : undefined,
    reconfigure: row.reconfigure === 1 ? true : undefined,
    costAware: row.cost_aware === 1 ? true : undefined,
    confirm: row.confirm === 0 ? undefined : row.confirm,
    workload: row.workload_file === null || row.workload_sha256 === null ? undefined : { file: row.workload_file, sha256: row.workload_sha256 },
    api: row.api === 'v1' ? undefined : (row.api as ApiVersion),
    inputShapes: row.input_shapes === null ? undefined : (JSON.parse(row.input_shapes) as InputShapes),
  });
}

export function outcomeToRow(outcome: TrialOutcome, finishedAt: string): OutcomeRow {
  const m = outcome.metrics;
  return {
    state: outcome.state,
    failure_kind: outcome.failureKind ?? null,
    failure_message: outcome.failureMessage ?? null,
    mean_ms: m?.meanMs ?? null,
    mean_ci95_ms: m?.meanCi95Ms ?? null,
    p50_ms: m?.p50Ms ?? null,
    p90_ms: m?.p90Ms ?? null,
    p95_ms: m?.p95Ms ?? null,
    p99_ms: m?.p99Ms ?? null,
    max_ms: m?.maxMs ?? null,
    throughput_rps: m?.throughputRps ?? null,
    requests: m?.requests ?? null,
    errors: m?.errors ?? null,
    errors_json: m ? JSON.stringify(m.errorsByKind) : null,
    cpu_seconds: m?.cpuSeconds ?? null,
    peak_memory_bytes: m?.peakMemoryBytes ?? null,
    energy_j: m?.energyJoules ?? null,
    energy_source: m?.energySource ?? null,
    joules_per_request: m?.joulesPerRequest ?? null,
    cost_usd: m?.costUsd ?? null,
    usd_per_million: m?.usdPerMillionRequests ?? null,
    window_s: m?.windowS ?? null,
    objective_value: outcome.objectiveValue ?? null,
    deploy_seconds: outcome.deploySeconds ?? null,
    nodes: outcome.nodes === undefined ? null : outcome.nodes.join(','),
    ready_at: outcome.readyAt ?? null,
    deploy_mode: outcome.deployMode ?? null,
    stopped_early: outcome.stoppedEarly === true ? 1 : 0,
    finished_at: finishedAt,
  };
}

function rowToMetrics(row: TrialRow): TrialMetrics | undefined {
  if (row.requests === null) return undefined; // requests is set whenever a trial was measured
  return {
    meanMs: metric(row.mean_ms),
    meanCi95Ms: metric(row.mean_ci95_ms),
    p50Ms: metric(row.p50_ms),
    p90Ms: metric(row.p90_ms),
    p95Ms: metric(row.p95_ms),
    p99Ms: metric(row.p99_ms),
    maxMs: metric(row.max_ms),
    throughputRps: metric(row.throughput_rps),
    requests: row.requests,
    errors: metric(row.errors),
    errorsByKind: JSON.parse(row.errors_json ?? '{}') as Record<string, number>,
    cpuSeconds: metric(row.cpu_seconds),
    peakMemoryBytes: metric(row.peak_memory_bytes),
    energyJoules: metric(row.energy_j),
    energySource: (row.energy_source ?? 'estimate') as TrialMetrics['energySource'],
    joulesPerRequest: metric(row.joules_per_request),
    costUsd: metric(row.cost_usd),
    usdPerMillionRequests: metric(row.usd_per_million),
    windowS: metric(row.window_s),
  };
}

export function rowToTrial(row: TrialRow): TrialRecord {
  return withoutUndefined<TrialRecord>({
    studyId: row.study_id,
    number: row.number,
    state: row.state as TrialState,
    params: JSON.parse(row.params_json) as Params,
    ...confirmationFields(row.kind === 'confirmation' ? { confirms: row.confirms as number, round: row.round as number } : undefined),
    failureKind: orUndefined(row.failure_kind) as FailureKind | undefined,
    failureMessage: orUndefined(row.failure_message),
    metrics: rowToMetrics(row),
    objectiveValue: orUndefined(row.objective_value),
    deploySeconds: orUndefined(row.deploy_seconds),
    nodes: row.nodes === null ? undefined : row.nodes.split(','),
    readyAt: orUndefined(row.ready_at),
    deployMode: orUndefined(row.deploy_mode) as DeployMode | undefined,
    stoppedEarly: row.stopped_early === 1 ? true : undefined,
    startedAt: row.started_at,
    finishedAt: orUndefined(row.finished_at),
  });
}
