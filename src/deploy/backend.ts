/**
 * A deployment backend puts one serving configuration into running replicas and takes it down again.
 * Failures are results, not exceptions: a configuration that cannot run is data for the optimizer.
 */
import type { FailureKind } from '../domain/vocabulary.ts';
import type { ServerKnobs } from '../server/config.ts';
import type { Precision } from '../server/protocol.ts';

/** Everything a replica needs, already decoded from the search-space parameters. */
export interface DeploymentSpec {
  studyId: string;
  trialNumber: number;
  modelName: string; // URL name served, e.g. "marian"
  modelDir: string; // host directory mounted read-only into every replica
  replicas: number;
  cpus: number; // CPU quota per replica (NanoCpus = cpus * 1e9)
  memoryMb: number; // memory limit per replica, swap off
  /** The server's knobs, and the precision whose model directory is mounted. */
  server: ServerKnobs & { precision: Precision };
  readyTimeoutMs: number;
  /**
   * Which of the study's parallel lanes runs it (0 when trials run one at a time): the Docker backend gives each
   * lane CPUs of its own, so trials in flight together never share a core.
   */
  lane?: number;
}

export interface Endpoint {
  replica: number;
  url: string; // http://127.0.0.1:<port>, or the node's address on a cluster
  containerId: string;
  /** The cluster node it runs on (Swarm); absent on a single Docker host. */
  node?: string;
}

export interface Deployment {
  spec: DeploymentSpec;
  endpoints: Endpoint[];
  startedAt: number; // epoch ms
  readyAt: number;
  /** The backend's own name for the deployment as a whole (a Swarm service ID), where it has one. */
  handle?: string;
}

export type DeployFailureKind = Extract<
  FailureKind,
  'oom_killed' | 'crashed' | 'not_ready' | 'image_missing' | 'engine_unreachable' | 'invalid_config' | 'unschedulable' | 'node_down'
>;

export interface DeployFailure {
  kind: DeployFailureKind;
  message: string; // one line, names what happened and, where it can, what to do
}

export type DeployResult = { ok: true; deployment: Deployment } | { ok: false; failure: DeployFailure };

/** Resource use of a deployment over a window, summed over replicas. */
export interface ResourceUsage {
  cpuSeconds: number;
  peakMemoryBytes: number;
  perReplica: { replica: number; cpuSeconds: number; peakMemoryBytes: number }[];
}

/**
 * A running deployment turned into the next spec in place (reconfiguration.ts says which kind), or why it could
 * not be: then it may be half-changed, and the caller tears it down and deploys the spec fresh.
 */
export type ReconfigureResult =
  | { ok: true; deployment: Deployment; mode: 'reconfigured' | 'reloaded' }
  | { ok: false; reason: string };

/** What went wrong with a running deployment, if anything (checked after a measurement). */
export type HealthCheck = { ok: true } | { ok: false; failure: DeployFailure };

export interface DeploymentBackend {
  deploy(spec: DeploymentSpec, signal?: AbortSignal): Promise<DeployResult>;
  /** Starts counting resources from now; the returned function reads the totals since. */
  startUsage(deployment: Deployment): Promise<() => Promise<ResourceUsage>>;
  /** Did any replica die (OOM, crash) since deploy? */
  health(deployment: Deployment): Promise<HealthCheck>;
  teardown(deployment: Deployment): Promise<void>;
  /**
   * Turns a running deployment into `spec` without starting it anew, where the backend can (absent: it never can).
   * The replicas keep the labels of the trial that started them; a resumed study reaps them with the study's.
   */
  reconfigure?(deployment: Deployment, spec: DeploymentSpec, signal?: AbortSignal): Promise<ReconfigureResult>;
  /** Removes our containers left behind (by a study, or all of ours). Never touches unlabelled ones. */
  reap(filter?: { studyId?: string; trialNumber?: number }): Promise<number>;
}
