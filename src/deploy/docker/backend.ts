/**
 * DeploymentBackend on a Docker engine: N hardened replicas of the server image on host networking, each on
 * its own loopback port. Every failure comes back as a typed result and leaves no container behind.
 */
import type Docker from 'dockerode';
import { availableParallelism } from 'node:os';
import type {
  DeployFailure,
  Deployment,
  DeploymentBackend,
  DeploymentSpec,
  DeployResult,
  Endpoint,
  HealthCheck,
  ReconfigureResult,
  ResourceUsage,
} from '../backend.ts';
import { moveBetween } from '../reconfiguration.ts';
import { changeServerKnobs } from '../server-knobs.ts';
import { LATEST_IMAGE } from '../image.ts';
import { engineAddress } from './client.ts';
import { laneCpuset, memoryBytes, nanoCpus, REPLICA_HOST, replicaConfig, specProblem } from './container-config.ts';
import { classifyCreateError, engineUnreachableFailure, isEngineUnreachable } from './engine-errors.ts';
import { isOurs, labelFilters, type ReapFilter } from './labels.ts';
import { freePorts } from './ports.ts';
import { waitReady } from './readiness.ts';
import { removeContainers, replicaStopped } from './replica-state.ts';
import { startReplicaMeters } from './usage-meter.ts';

export interface DockerBackendOptions {
  image?: string; // default tune-server:latest
  /** Parallel lanes sharing the host's cores (default 1): each lane's replicas are pinned to its own CPUs. */
  lanes?: number;
  hostCores?: number; // default: the cores this process may use
}

/** How the server reports that another process took its port between our pick and its bind. */
const PORT_TAKEN = /EADDRINUSE/;

type ReplicaResult = { ok: true; endpoint: Endpoint } | { ok: false; failure: DeployFailure };
type LaunchResult = { ok: true; endpoints: Endpoint[] } | { ok: false; failure: DeployFailure };

export class DockerBackend implements DeploymentBackend {
  private readonly image: string;
  private readonly lanes: number;
  private readonly hostCores: number;

  constructor(
    private readonly docker: Docker,
    options: DockerBackendOptions = {},
  ) {
    this.image = options.image ?? LATEST_IMAGE;
    this.lanes = options.lanes ?? 1;
    this.hostCores = options.hostCores ?? availableParallelism();
  }

  async deploy(spec: DeploymentSpec, signal?: AbortSignal): Promise<DeployResult> {
    const problem = specProblem(spec);
    if (problem) return { ok: false, failure: { kind: 'invalid_config', message: problem } };
    if (signal?.aborted) return { ok: false, failure: { kind: 'not_ready', message: 'deployment cancelled before it started' } };
    const startedAt = Date.now();
    const created: string[] = [];
    const launched = await this.launchAll(spec, replicaRange(0, spec.replicas), created, signal).catch(
      (error: unknown): LaunchResult => ({ ok: false, failure: this.unexpected(error) }),
    );
    if (!launched.ok) return this.abandon(created, launched.failure);
    return { ok: true, deployment: { spec, endpoints: launched.endpoints, startedAt, readyAt: Date.now() } };
  }

  startUsage(deployment: Deployment): Promise<() => Promise<ResourceUsage>> {
    return startReplicaMeters(deployment.endpoints, (e) => this.docker.getContainer(e.containerId));
  }

  async health(deployment: Deployment): Promise<HealthCheck> {
    try {
      for (const endpoint of deployment.endpoints) {
        const failure = await replicaStopped(this.docker, endpoint.containerId, endpoint.replica, deployment.spec.memoryMb);
        if (failure) return { ok: false, failure };
      }
      return { ok: true };
    } catch (error) {
      return { ok: false, failure: this.unexpected(error) };
    }
  }

  async teardown(deployment: Deployment): Promise<void> {
    await removeContainers(this.docker, deployment.endpoints.map((e) => e.containerId));
  }

  /**
   * Keeps the running replicas: removes those beyond the new count, updates the others' CPU quota and memory limit
   * in the engine, sends them the server knobs that changed, and starts any new replicas as a deploy would.
   */
  async reconfigure(deployment: Deployment, spec: DeploymentSpec, signal?: AbortSignal): Promise<ReconfigureResult> {
    const problem = specProblem(spec);
    if (problem) return { ok: false, reason: problem };
    const move = moveBetween(deployment.spec, spec);
    if (move.mode === 'fresh') return { ok: false, reason: 'another model, precision or lane needs new replicas' };
    const startedAt = Date.now();
    const kept = deployment.endpoints.slice(0, spec.replicas);
    const created: string[] = [];
    try {
      await removeContainers(this.docker, deployment.endpoints.slice(spec.replicas).map((e) => e.containerId));
      if (move.resources) {
        const limits = { NanoCpus: nanoCpus(spec), Memory: memoryBytes(spec), MemorySwap: memoryBytes(spec) };
        await Promise.all(kept.map((e) => this.docker.getContainer(e.containerId).update(limits)));
      }
      const knobs = await changeServerKnobs(kept, spec.server, move.serverChanges, signal);
      if (!knobs.ok) return knobs;
      // A lower memory limit than a running process holds kills it at once: that is no verdict on the configuration,
      // which a fresh replica (starting under the limit) may well fit.
      for (const endpoint of kept) {
        const stopped = await replicaStopped(this.docker, endpoint.containerId, endpoint.replica, spec.memoryMb);
        if (stopped) return { ok: false, reason: `replica ${endpoint.replica} did not survive the change: ${stopped.message}` };
      }
      const launched = await this.launchAll(spec, replicaRange(kept.length, spec.replicas), created, signal);
      if (!launched.ok) {
        await removeContainers(this.docker, created).catch(() => undefined);
        return { ok: false, reason: launched.failure.message };
      }
      const endpoints = [...kept, ...launched.endpoints];
      return { ok: true, mode: move.mode, deployment: { spec, endpoints, startedAt, readyAt: Date.now() } };
    } catch (error) {
      await removeContainers(this.docker, created).catch(() => undefined);
      return { ok: false, reason: this.unexpected(error).message };
    }
  }

  async reap(filter: ReapFilter = {}): Promise<number> {
    const listed = await this.docker.listContainers({ all: true, filters: { label: labelFilters(filter) } });
    const ours = listed.filter((c) => isOurs(c.Labels, filter)).map((c) => c.Id);
    await removeContainers(this.docker, ours);
    return ours.length;
  }

  /** Launches the given replicas at once; the first failure cancels the others' waits and decides the outcome. */
  private async launchAll(spec: DeploymentSpec, replicas: number[], created: string[], signal?: AbortSignal): Promise<LaunchResult> {
    if (replicas.length === 0) return { ok: true, endpoints: [] };
    const cancel = new AbortController();
    const linked = signal ? AbortSignal.any([signal, cancel.signal]) : cancel.signal;
    const ports = await freePorts(replicas.length, REPLICA_HOST);
    let firstFailure: DeployFailure | undefined;
    const endpoints = await Promise.all(
      ports.map(async (port, i) => {
        const replica = replicas[i] as number;
        // Never rejects, so Promise.all waits for every replica and none is created after the teardown.
        const result = await this.launchReplica(spec, replica, port, created, linked).catch(
          (error: unknown): ReplicaResult => ({ ok: false, failure: this.unexpected(error) }),
        );
        if (result.ok) return result.endpoint;
        firstFailure ??= result.failure;
        cancel.abort();
        return undefined;
      }),
    );
    if (firstFailure) return { ok: false, failure: firstFailure };
    return { ok: true, endpoints: endpoints.filter((e): e is Endpoint => e !== undefined) };
  }

  /** Creates, starts and waits for one replica; retried once on a new port if another process took its port. */
  private async launchReplica(spec: DeploymentSpec, replica: number, port: number, created: string[], signal: AbortSignal): Promise<ReplicaResult> {
    const first = await this.startReplica(spec, replica, port, created, signal);
    if (first.ok || !PORT_TAKEN.test(first.failure.message) || signal.aborted) return first;
    const [retryPort] = await freePorts(1, REPLICA_HOST);
    return this.startReplica(spec, replica, retryPort ?? port, created, signal);
  }

  private async startReplica(spec: DeploymentSpec, replica: number, port: number, created: string[], signal: AbortSignal): Promise<ReplicaResult> {
    let container: Docker.Container;
    try {
      const cpuset = laneCpuset(spec.lane ?? 0, this.lanes, this.hostCores);
      container = await this.docker.createContainer(replicaConfig(spec, { image: this.image, replica, port, ...(cpuset !== undefined && { cpuset }) }));
      created.push(container.id);
      await container.start();
    } catch (error) {
      return { ok: false, failure: classifyCreateError(error, engineAddress(this.docker), this.image) };
    }
    const url = `http://${REPLICA_HOST}:${port}`;
    const failure = await waitReady({
      replica,
      url,
      timeoutMs: spec.readyTimeoutMs,
      signal,
      stopped: () => replicaStopped(this.docker, container.id, replica, spec.memoryMb),
    });
    if (!failure) return { ok: true, endpoint: { replica, url, containerId: container.id } };
    if (PORT_TAKEN.test(failure.message)) await removeContainers(this.docker, [container.id]);
    return { ok: false, failure };
  }

  /** Tears down a partial deployment before reporting why it failed. */
  private async abandon(created: string[], failure: DeployFailure): Promise<DeployResult> {
    await removeContainers(this.docker, created).catch(() => undefined);
    return { ok: false, failure };
  }

  private unexpected(error: unknown): DeployFailure {
    if (isEngineUnreachable(error)) return engineUnreachableFailure(engineAddress(this.docker));
    return classifyCreateError(error, engineAddress(this.docker), this.image);
  }
}

/** Replica indices from `from` up to, not including, `to`. */
function replicaRange(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}
