/**
 * Storage of studies and trials. Two implementations (SQLite and in-memory) pass one shared contract suite.
 * Every write is durable when the call returns: a trial recorded is never lost.
 */
import type { Params } from '../space/params.ts';

export type TrialState = 'running' | 'complete' | 'failed' | 'interrupted';
export type Objective = 'mean' | 'p99' | 'cost';

export interface HostFacts {
  hostname: string;
  cpus: number;
  cpuModel: string;
  memoryBytes: number;
  platform: string;
  nodeVersion: string;
  dockerVersion?: string;
}

export interface StudyRecord {
  id: string; // the study name, unique
  model: string; // built-in name or a user's path
  concurrency: number;
  strategy: string; // bo | random | grid | lhs
  seed: number;
  budget: number;
  objective: Objective;
  sloP99Ms?: number;
  space: unknown; // the parsed search-space document, stored as JSON
  durationS: number;
  warmupS: number;
  host: HostFacts;
  createdAt: string; // ISO 8601
}

export interface TrialMetrics {
  meanMs: number;
  meanCi95Ms: number;
  p50Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  throughputRps: number;
  requests: number;
  errors: number;
  errorsByKind: Record<string, number>;
  cpuSeconds: number;
  peakMemoryBytes: number;
  energyJoules: number; // an estimate unless energySource says rapl
  energySource: 'estimate' | 'rapl';
  joulesPerRequest: number;
  costUsd: number;
  usdPerMillionRequests: number;
  windowS: number;
}

export interface TrialRecord {
  studyId: string;
  number: number; // 0 = the baseline
  state: TrialState;
  params: Params;
  failureKind?: string; // oom_killed, crashed, not_ready, slo_violated, interrupted, stale, ...
  failureMessage?: string;
  metrics?: TrialMetrics; // present on complete trials, and on failed ones that were measured
  objectiveValue?: number; // what the optimizer was told (lower is better)
  deploySeconds?: number;
  startedAt: string;
  finishedAt?: string;
}

export interface HistogramBucket {
  upperMs: number;
  count: number;
}

export interface TrialOutcome {
  state: Exclude<TrialState, 'running'>;
  failureKind?: string;
  failureMessage?: string;
  metrics?: TrialMetrics;
  objectiveValue?: number;
  deploySeconds?: number;
  histogram?: HistogramBucket[];
}

export interface Storage {
  createStudy(study: StudyRecord): void;
  getStudy(id: string): StudyRecord | undefined;
  listStudies(): StudyRecord[];
  /** Records a trial as running before any container starts, so a crash leaves a trace to reap. */
  startTrial(studyId: string, number: number, params: Params): void;
  /** Ends a running trial; metrics and histogram are written in the same transaction. */
  finishTrial(studyId: string, number: number, outcome: TrialOutcome): void;
  trials(studyId: string): TrialRecord[];
  histogram(studyId: string, number: number): HistogramBucket[];
  close(): void;
}
