/**
 * Fakes for unit tests of the study loop: a backend that records what was asked of it and can be told to
 * fail in each way a real one can, and a measurement whose latency is a known function of the parameters.
 */
import assert from 'node:assert/strict';
import type {
  Deployment,
  DeploymentBackend,
  DeploymentSpec,
  DeployResult,
  HealthCheck,
  ReconfigureResult,
  ResourceUsage,
} from '../../../src/deploy/backend.ts';
import { moveBetween } from '../../../src/deploy/reconfiguration.ts';
import type { LoadResult } from '../../../src/load/types.ts';
import { parseSearchSpace } from '../../../src/space/parse.ts';
import type { Params } from '../../../src/space/params.ts';
import { unwrapSpace } from '../../../src/space/space-error.ts';
import type { StudyRecord, TrialMetrics } from '../../../src/domain/records.ts';
import type { Storage } from '../../../src/storage/storage.ts';
import type { Measurement } from '../../../src/study/trial-runner.ts';

/** A small space of the knobs the fake latency depends on. */
export const SPACE = unwrapSpace(
  parseSearchSpace(
    {
      parameters: [
        { name: 'replicas', kind: 'int', low: 1, high: 3, default: 1 },
        { name: 'cpus', kind: 'float', low: 0.5, high: 2, step: 0.5, default: 1 },
        { name: 'max_batch_size', kind: 'pow2', low: 1, high: 8, default: 1 },
      ],
    },
    'unit-space.json',
  ),
);

export type Script = {
  deploy?: DeployResult | 'throw' | 'abort';
  /** What reconfiguring into trial n gives (a backend built with reconfigure: true); default: done in place. */
  reconfigure?: 'refuse' | 'throw';
  health?: HealthCheck;
  measure?: 'throw' | 'abort';
  errors?: number;
};

export class FakeBackend implements DeploymentBackend {
  readonly deployed: DeploymentSpec[] = [];
  readonly tornDown: number[] = [];
  readonly reaped: { studyId?: string; trialNumber?: number }[] = [];
  /** What happens to trial n; unscripted trials deploy, measure and stay healthy. */
  readonly scripts = new Map<number, Script>();
  /** Runs inside deploy, to look at storage while a trial is in flight. */
  onDeploy: (spec: DeploymentSpec) => void = () => {};

  /** Trials whose spec was reached by reconfiguring a running deployment, and its replicas' first trial. */
  readonly reconfigured: { trialNumber: number; from: number }[] = [];
  /** Containers up now, by ID: deploy adds, teardown and reconfiguring down remove. */
  readonly live = new Set<string>();
  /** Trials measured with the whole window asked for (no early stop). */
  readonly wholeWindows: number[] = [];

  constructor(
    readonly abort: AbortController,
    options: { reconfigure?: boolean } = {},
  ) {
    if (!options.reconfigure) this.reconfigure = undefined;
  }

  reconfigure?: (deployment: Deployment, spec: DeploymentSpec) => Promise<ReconfigureResult> = async (deployment, spec) => {
    const scripted = this.scripts.get(spec.trialNumber)?.reconfigure;
    if (scripted === 'throw') throw new Error('engine went away mid-update');
    const move = moveBetween(deployment.spec, spec);
    if (scripted === 'refuse' || move.mode === 'fresh') return { ok: false, reason: 'scripted refusal' };
    const kept = deployment.endpoints.slice(0, spec.replicas);
    for (const gone of deployment.endpoints.slice(spec.replicas)) this.live.delete(gone.containerId);
    const added = Array.from({ length: Math.max(0, spec.replicas - kept.length) }, (_, i) => this.endpoint(spec, kept.length + i));
    this.reconfigured.push({ trialNumber: spec.trialNumber, from: Number(deployment.endpoints[0]?.containerId.slice(1).split('-')[0]) });
    return { ok: true, mode: move.mode, deployment: { spec, endpoints: [...kept, ...added], startedAt: 0, readyAt: 1 } };
  };

  private endpoint(spec: DeploymentSpec, replica: number) {
    const containerId = `c${spec.trialNumber}-${replica}`;
    this.live.add(containerId);
    return { replica, url: `http://127.0.0.1:${9000 + replica}`, containerId };
  }

  async deploy(spec: DeploymentSpec): Promise<DeployResult> {
    this.deployed.push(spec);
    this.onDeploy(spec);
    const scripted = this.scripts.get(spec.trialNumber)?.deploy;
    if (scripted === 'throw') throw new Error('connect ECONNREFUSED /var/run/docker.sock');
    if (scripted === 'abort') {
      this.abort.abort();
      return { ok: false, failure: { kind: 'not_ready', message: 'aborted while waiting for readiness' } };
    }
    if (scripted) return scripted;
    const endpoints = Array.from({ length: spec.replicas }, (_, replica) => this.endpoint(spec, replica));
    return { ok: true, deployment: { spec, endpoints, startedAt: 0, readyAt: 1 } };
  }

  async startUsage(): Promise<() => Promise<ResourceUsage>> {
    return async () => usage;
  }

  async health(deployment: Deployment): Promise<HealthCheck> {
    return this.scripts.get(deployment.spec.trialNumber)?.health ?? { ok: true };
  }

  async teardown(deployment: Deployment): Promise<void> {
    this.tornDown.push(deployment.spec.trialNumber);
    for (const endpoint of deployment.endpoints) this.live.delete(endpoint.containerId);
  }

  async reap(filter?: { studyId?: string; trialNumber?: number }): Promise<number> {
    this.reaped.push(filter ?? {});
    return 1;
  }
}

const usage: ResourceUsage = { cpuSeconds: 2, peakMemoryBytes: 100e6, perReplica: [] };

/** Latency falls with replicas and CPUs, so the best configuration is knowable. */
export function latencyOf(params: Params): number {
  return 100 / (Number(params.replicas) * Number(params.cpus));
}

export function fakeMeasure(backend: FakeBackend) {
  return async (deployment: Deployment, signal: AbortSignal, fullWindow = false): Promise<Measurement> => {
    const script = backend.scripts.get(deployment.spec.trialNumber);
    if (fullWindow) backend.wholeWindows.push(deployment.spec.trialNumber);
    if (script?.measure === 'abort') {
      backend.abort.abort();
      assert.ok(signal.aborted);
      throw new Error('This operation was aborted');
    }
    if (script?.measure === 'throw') throw new Error('socket hang up');
    const mean = 100 / (deployment.spec.replicas * deployment.spec.cpus);
    return { load: loadResult(mean, script?.errors ?? 0), usage };
  };
}

function loadResult(mean: number, errors: number): LoadResult {
  const latency = { count: 1000, mean, meanCi95: 1, min: mean / 2, p50: mean, p90: mean * 1.5, p95: mean * 1.8, p99: mean * 2, max: mean * 3 };
  return {
    latency,
    durationS: 10,
    completed: 1000,
    throughputRps: 100,
    errors: errors > 0 ? { http_503: errors } : {},
    histogram: [{ upperMs: mean * 2, count: 1000 }],
  };
}

export function fakeMetrics({ load, usage: used }: Measurement): TrialMetrics {
  const errors = Object.values(load.errors).reduce((sum, count) => sum + (count ?? 0), 0);
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
    errors,
    errorsByKind: { ...load.errors } as Record<string, number>,
    cpuSeconds: used.cpuSeconds,
    peakMemoryBytes: used.peakMemoryBytes,
    energyJoules: 10,
    energySource: 'estimate',
    joulesPerRequest: 0.01,
    costUsd: 0.001,
    usdPerMillionRequests: load.latency.mean / 10,
    windowS: load.durationS,
  };
}

export function studyRecord(overrides: Partial<StudyRecord> = {}): StudyRecord {
  return {
    id: 'unit-study',
    model: 'gan',
    concurrency: 4,
    strategy: 'random',
    seed: 1,
    budget: 5,
    objective: 'mean',
    space: {},
    durationS: 10,
    warmupS: 2,
    host: { hostname: 'test', cpus: 2, cpuModel: 'test', memoryBytes: 1e9, platform: 'linux', nodeVersion: 'v20' },
    createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** Every trial but `current` must be finished: the previous row was committed before this one started. */
export function assertOnlyRunning(storage: Storage, studyId: string, current: number): void {
  for (const trial of storage.trials(studyId)) {
    if (trial.number === current) assert.equal(trial.state, 'running', `trial ${current} is recorded running before deploy`);
    else assert.notEqual(trial.state, 'running', `trial ${trial.number} was finished before trial ${current} started`);
  }
}
