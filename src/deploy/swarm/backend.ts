/**
 * DeploymentBackend on a Docker Swarm: one replicated service per trial (service-spec.ts), its tasks placed on
 * nodes claimed for the trial (no other trial in flight holds them while the pool has enough), each replica
 * listening on its node's address at a port given by its task slot.
 * Ready once every task runs and answers its ready route; a task that ends, a node that goes down or a request no
 * node can hold is the trial's typed failure, and the service is removed (and its containers waited out) on every
 * path. Container statistics come from the engine of the task's node (ENGINE_LABEL), else the manager's.
 */
import type Docker from 'dockerode';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DeployFailure, Deployment, DeploymentBackend, DeploymentSpec, DeployResult, Endpoint, HealthCheck, ReconfigureResult, ResourceUsage } from '../backend.ts';
import { moveBetween } from '../reconfiguration.ts';
import { changeServerKnobs } from '../server-knobs.ts';
import { createDockerClient, engineAddress } from '../docker/client.ts';
import { memoryBytes, REPLICA_HOST, specProblem } from '../docker/container-config.ts';
import { classifyCreateError, engineUnreachableFailure, isEngineUnreachable, statusCodeOf } from '../docker/engine-errors.ts';
import { isOurs, labelFilters, type ReapFilter } from '../docker/labels.ts';
import { freePortRange } from '../docker/ports.ts';
import { waitReady } from '../docker/readiness.ts';
import { replicaStopped } from '../docker/replica-state.ts';
import { startReplicaMeters } from '../docker/usage-meter.ts';
import { capacityProblem, ENGINE_LABEL, listNodes, NodeLedger, type SwarmNode } from './nodes.ts';
import { serviceName, serviceSpec } from './service-spec.ts';
import { currentTasks, readTask, unschedulableReason, type TaskInfo } from './tasks.ts';

export interface SwarmBackendOptions {
  /** The image reference every node runs: a registry's (HOST:PORT/tune-server:tag), or the local tag on one node. */
  image: string;
  /** The nodes the study may use (nodes.ts: selectPool), as first read; their state is read again at each deploy. */
  pool: readonly SwarmNode[];
  /** Trials in flight at once: each gets nodes of its own while the pool has enough (nodes.ts: claimNodes). */
  parallel?: number;
  /** What replicas bind: 127.0.0.1 on a one-node swarm, or the subnet of the nodes' addresses. */
  bind?: string;
  /** How long a task may wait for a node that can hold it before the trial is unschedulable. */
  unschedulableAfterMs?: number;
}

const POLL_INTERVAL_MS = 250;
/** The label Swarm puts on every task container, naming its service. */
const SERVICE_ID_LABEL = 'com.docker.swarm.service.id';
const DEFAULT_UNSCHEDULABLE_AFTER_MS = 10_000;
const NODE_CHECK_INTERVAL_MS = 1000;
const GONE_TIMEOUT_MS = 60_000;

type ServiceResult = { ok: true; endpoints: Endpoint[] } | { ok: false; failure: DeployFailure };

export class SwarmBackend implements DeploymentBackend {
  private readonly bind: string;
  private readonly engines = new Map<string, Docker>();
  private readonly ledger: NodeLedger;
  /** Each service's name, by service ID: the ledger knows trials by name. */
  private readonly names = new Map<string, string>();
  /** The swarm's nodes as last read (a node's address, engine and state). */
  private nodes: readonly SwarmNode[];

  constructor(
    private readonly manager: Docker,
    private readonly options: SwarmBackendOptions,
  ) {
    this.bind = options.bind ?? REPLICA_HOST;
    this.nodes = options.pool;
    this.ledger = new NodeLedger(options.parallel ?? 1);
  }

  async deploy(spec: DeploymentSpec, signal?: AbortSignal): Promise<DeployResult> {
    const problem = specProblem(spec);
    if (problem) return { ok: false, failure: { kind: 'invalid_config', message: problem } };
    if (signal?.aborted) return { ok: false, failure: { kind: 'not_ready', message: 'deployment cancelled before it started' } };
    const startedAt = Date.now();
    const name = serviceName(spec);
    const claim = await this.claim(spec, name, signal ?? new AbortController().signal).catch((error: unknown) => ({ ok: false as const, failure: this.unexpected(error) }));
    if (!claim.ok) return claim;
    const tooLarge = capacityProblem(claim.nodes, spec.replicas, spec.cpus, memoryBytes(spec));
    if (tooLarge) {
      this.ledger.release(name);
      return { ok: false, failure: { kind: 'unschedulable', message: `${tooLarge}: shrink the space or add nodes` } };
    }
    const mine = new Set(claim.nodes.map((n) => n.id));
    const excludedNodes = this.nodes.filter((n) => !mine.has(n.id)).map((n) => n.id);
    let service: Docker.Service;
    let basePort: number;
    try {
      basePort = await freePortRange(spec.replicas, this.isLoopback() ? REPLICA_HOST : undefined);
      service = await this.manager.createService({}, serviceSpec(spec, { image: this.options.image, basePort, bind: this.bind, excludedNodes }));
    } catch (error) {
      this.ledger.release(name);
      return { ok: false, failure: classifyCreateError(error, engineAddress(this.manager), this.options.image) };
    }
    this.names.set(service.id, name);
    const started = await this.waitRunning(service.id, spec, basePort, claim.shared, signal ?? new AbortController().signal).catch(
      (error: unknown): ServiceResult => ({ ok: false, failure: this.unexpected(error) }),
    );
    if (!started.ok) {
      await this.removeService(service.id).catch(() => undefined);
      return started;
    }
    return { ok: true, deployment: { spec, endpoints: started.endpoints, startedAt, readyAt: Date.now(), handle: service.id } };
  }

  startUsage(deployment: Deployment): Promise<() => Promise<ResourceUsage>> {
    return startReplicaMeters(deployment.endpoints, (e) => this.engineOf(e.node).getContainer(e.containerId));
  }

  async health(deployment: Deployment): Promise<HealthCheck> {
    try {
      const tasks = currentTasks(await this.tasksOf(serviceIdOf(deployment)));
      for (const endpoint of deployment.endpoints) {
        // The container first: its engine knows at once, the swarm only once the node's agent reports (a dead
        // engine's containers may even go on serving, unmeasured, until the manager's heartbeat gives up on it).
        const stopped = await this.containerStopped(endpoint, deployment.spec);
        if (stopped) return { ok: false, failure: stopped };
        const task = tasks.find((t) => t.Status?.ContainerStatus?.ContainerID === endpoint.containerId);
        const reading = task && readTask(task, endpoint.replica);
        if (reading === undefined) return { ok: false, failure: { kind: 'crashed', message: `replica ${endpoint.replica}'s task was removed outside tune` } };
        if (reading.phase === 'ended') return { ok: false, failure: await this.whyEnded(reading.failure, endpoint.containerId, endpoint.node, endpoint.replica, deployment.spec) };
        const down = await this.nodeDown(endpoint.node);
        if (down) return { ok: false, failure: down };
      }
      return { ok: true };
    } catch (error) {
      return { ok: false, failure: this.unexpected(error) };
    }
  }

  async teardown(deployment: Deployment): Promise<void> {
    await this.removeService(serviceIdOf(deployment));
  }

  /**
   * Only the server's own knobs change in place: a service update of resources or replica count would restart
   * or reschedule tasks, which is a fresh deployment by another name.
   */
  async reconfigure(deployment: Deployment, spec: DeploymentSpec, signal?: AbortSignal): Promise<ReconfigureResult> {
    const move = moveBetween(deployment.spec, spec);
    if (move.mode === 'fresh' || move.resources || move.added > 0 || move.removed > 0) {
      return { ok: false, reason: 'a Swarm service changes only its server knobs in place' };
    }
    const startedAt = Date.now();
    const knobs = await changeServerKnobs(deployment.endpoints, spec.server, move.serverChanges, signal);
    if (!knobs.ok) return knobs;
    return { ok: true, mode: move.mode, deployment: { ...deployment, spec, startedAt, readyAt: Date.now() } };
  }

  async reap(filter: ReapFilter = {}): Promise<number> {
    const services = (await this.manager.listServices({ filters: { label: labelFilters(filter) } })) as { ID: string; Spec?: { Labels?: Record<string, string> } }[];
    const ours = services.filter((s) => isOurs(s.Spec?.Labels, filter));
    await Promise.all(ours.map((s) => this.removeService(s.ID)));
    return ours.length;
  }

  /**
   * Nodes for this trial, read fresh (a node that went down is skipped): waits while trials in flight hold every
   * ready node, up to the ready timeout; none ready at all is node_down at once.
   */
  private async claim(spec: DeploymentSpec, name: string, signal: AbortSignal): Promise<{ ok: true; nodes: SwarmNode[]; shared: boolean } | { ok: false; failure: DeployFailure }> {
    const deadline = Date.now() + spec.readyTimeoutMs;
    const pool = new Set(this.options.pool.map((n) => n.id));
    this.ledger.enqueue(name);
    try {
      for (;;) {
        this.nodes = await listNodes(this.manager);
        const claim = this.ledger.claim(name, this.nodes.filter((n) => pool.has(n.id)));
        if (claim.ok) return claim;
        if (claim.reason === 'none_ready') return { ok: false, failure: { kind: 'node_down', message: `no node of the study's pool is ready (${this.describePool()}): check docker node ls` } };
        if (signal.aborted || Date.now() >= deadline) return { ok: false, failure: { kind: 'not_ready', message: `no node of the pool came free within ${(spec.readyTimeoutMs / 1000).toFixed(0)} s (${this.describePool()})` } };
        await sleep(POLL_INTERVAL_MS, undefined, { signal }).catch(() => undefined);
      }
    } finally {
      this.ledger.leave(name);
    }
  }

  private describePool(): string {
    const pool = new Set(this.options.pool.map((n) => n.id));
    return this.nodes.filter((n) => pool.has(n.id)).map((n) => `${n.hostname} ${n.ready ? 'ready' : 'down'}`).join(', ');
  }

  /** Waits until every task runs and answers its ready route; the first task to end, a node going down, or no node to hold one, fails it. */
  private async waitRunning(serviceId: string, spec: DeploymentSpec, basePort: number, shared: boolean, signal: AbortSignal): Promise<ServiceResult> {
    const deadline = Date.now() + spec.readyTimeoutMs;
    const unschedulableAfter = this.options.unschedulableAfterMs ?? DEFAULT_UNSCHEDULABLE_AFTER_MS;
    let waitingSince: number | undefined;
    let nodesCheckedAt = Date.now();
    while (!signal.aborted) {
      const tasks = currentTasks(await this.tasksOf(serviceId));
      const readings = tasks.map((task) => ({ task, reading: readTask(task, (task.Slot ?? 1) - 1) }));
      const ended = readings.find((r) => r.reading.phase === 'ended');
      if (ended?.reading.phase === 'ended') {
        const { failure, containerId } = ended.reading;
        return { ok: false, failure: await this.whyEnded(failure, containerId, this.nodeById(ended.task.NodeID)?.hostname, (ended.task.Slot ?? 1) - 1, spec) };
      }
      // A task assigned to a node whose engine died waits for ever; the manager marks the node down in seconds.
      if (Date.now() - nodesCheckedAt >= NODE_CHECK_INTERVAL_MS) {
        nodesCheckedAt = Date.now();
        for (const { task } of readings) {
          const down = await this.nodeDown(this.nodeById(task.NodeID)?.hostname);
          if (down) return { ok: false, failure: down };
        }
      }
      const reason = readings.map((r) => (r.reading.phase === 'starting' ? unschedulableReason(r.reading.waitingFor) : undefined)).find(Boolean);
      // On shared nodes a task waiting for CPUs waits for the other trial to end, up to the ready timeout.
      waitingSince = reason === undefined || shared ? undefined : (waitingSince ?? Date.now());
      if (reason !== undefined && waitingSince !== undefined && Date.now() - waitingSince >= unschedulableAfter) {
        return { ok: false, failure: unschedulable(spec, reason, unschedulableAfter) };
      }
      const running = readings.filter((r) => r.reading.phase === 'running');
      if (running.length === spec.replicas) return this.waitEndpointsReady(serviceId, running.map((r) => r.task), spec, basePort, deadline, signal);
      if (Date.now() >= deadline) {
        return { ok: false, failure: { kind: 'not_ready', message: `${running.length} of ${spec.replicas} replicas were running after ${(spec.readyTimeoutMs / 1000).toFixed(0)} s: check docker service ps` } };
      }
      await sleep(POLL_INTERVAL_MS, undefined, { signal }).catch(() => undefined);
    }
    return { ok: false, failure: { kind: 'not_ready', message: 'deployment cancelled while its tasks started' } };
  }

  private async waitEndpointsReady(serviceId: string, tasks: TaskInfo[], spec: DeploymentSpec, basePort: number, deadline: number, signal: AbortSignal): Promise<ServiceResult> {
    const endpoints = tasks.map((task): Endpoint => {
      const node = this.nodeById(task.NodeID);
      const slot = task.Slot ?? 1;
      const host = this.isLoopback() ? REPLICA_HOST : (node?.address ?? REPLICA_HOST);
      return { replica: slot - 1, url: `http://${host}:${basePort + slot - 1}`, containerId: task.Status?.ContainerStatus?.ContainerID ?? '', node: node?.hostname ?? task.NodeID ?? '' };
    });
    for (const endpoint of endpoints) {
      const failure = await waitReady({
        replica: endpoint.replica,
        url: endpoint.url,
        timeoutMs: Math.max(1, deadline - Date.now()),
        signal,
        stopped: async () => {
          const task = currentTasks(await this.tasksOf(serviceId)).find((t) => t.Status?.ContainerStatus?.ContainerID === endpoint.containerId);
          const reading = task && readTask(task, endpoint.replica);
          return reading?.phase === 'ended' ? this.whyEnded(reading.failure, endpoint.containerId, endpoint.node, endpoint.replica, spec) : undefined;
        },
      });
      if (failure) return { ok: false, failure };
    }
    return { ok: true, endpoints: endpoints.sort((a, b) => a.replica - b.replica) };
  }

  /** The container's own account (OOM kill, last log line) where its engine answers; the task's otherwise. */
  private async whyEnded(fromTask: DeployFailure, containerId: string | undefined, node: string | undefined, replica: number, spec: DeploymentSpec): Promise<DeployFailure> {
    if (fromTask.kind === 'node_down' || !containerId) return fromTask;
    const down = await this.nodeDown(node);
    if (down) return down;
    try {
      return (await replicaStopped(this.engineOf(node), containerId, replica, spec.memoryMb)) ?? fromTask;
    } catch {
      return fromTask;
    }
  }

  private async containerStopped(endpoint: Endpoint, spec: DeploymentSpec): Promise<DeployFailure | undefined> {
    const engine = this.engineOf(endpoint.node);
    try {
      return await replicaStopped(engine, endpoint.containerId, endpoint.replica, spec.memoryMb);
    } catch (error) {
      if (!isEngineUnreachable(error)) throw error;
      if (engine === this.manager) return engineUnreachableFailure(engineAddress(this.manager));
      return { kind: 'node_down', message: `the engine of node ${endpoint.node} (${engineAddress(engine)}) stopped answering: replica ${endpoint.replica} could not be measured; check the node` };
    }
  }

  private async nodeDown(hostname: string | undefined): Promise<DeployFailure | undefined> {
    if (hostname === undefined) return undefined;
    const nodes = (await this.manager.listNodes()) as { Description?: { Hostname?: string }; Status?: { State?: string } }[];
    const state = nodes.find((n) => n.Description?.Hostname === hostname)?.Status?.State;
    if (state === undefined || state === 'ready') return undefined;
    return { kind: 'node_down', message: `node ${hostname} is ${state}: the trial's replicas on it stopped being measurable; check docker node ls` };
  }

  /**
   * Removes the service and waits until its containers are gone from every engine tune can ask, a container
   * created while it was being removed included (an engine that is down is not waited for).
   */
  private async removeService(serviceId: string): Promise<void> {
    try {
      await this.manager.getService(serviceId).remove();
    } catch (error) {
      if (statusCodeOf(error) !== 404) throw error;
    }
    const engines = [this.manager, ...this.nodes.map((n) => this.engineOf(n.hostname))].filter((e, i, all) => all.indexOf(e) === i);
    const deadline = Date.now() + GONE_TIMEOUT_MS;
    for (const engine of engines) {
      while (Date.now() < deadline && (await this.hasContainers(engine, serviceId))) await sleep(POLL_INTERVAL_MS);
    }
    // Only once its containers are gone: the next trial on these nodes must not meet them (their ports, their CPUs).
    const name = this.names.get(serviceId);
    if (name !== undefined) this.ledger.release(name);
    this.names.delete(serviceId);
  }

  private async hasContainers(engine: Docker, serviceId: string): Promise<boolean> {
    try {
      const listed = await engine.listContainers({ all: true, filters: { label: [`${SERVICE_ID_LABEL}=${serviceId}`] } });
      return listed.length > 0;
    } catch {
      return false; // its engine is down: nothing more can be done from here
    }
  }

  private tasksOf(serviceId: string): Promise<TaskInfo[]> {
    return this.manager.listTasks({ filters: { service: [serviceId] } }) as Promise<TaskInfo[]>;
  }

  private nodeById(id: string | undefined): SwarmNode | undefined {
    return this.nodes.find((n) => n.id === id);
  }

  /** The engine holding a node's containers: its ENGINE_LABEL, else the manager (the node tune talks to). */
  private engineOf(hostname: string | undefined): Docker {
    const address = this.nodes.find((n) => n.hostname === hostname)?.labels[ENGINE_LABEL];
    if (address === undefined) return this.manager;
    let engine = this.engines.get(address);
    if (engine === undefined) {
      engine = createDockerClient({ DOCKER_HOST: address });
      this.engines.set(address, engine);
    }
    return engine;
  }

  private isLoopback(): boolean {
    return !this.bind.includes('/');
  }

  private unexpected(error: unknown): DeployFailure {
    if (isEngineUnreachable(error)) return engineUnreachableFailure(engineAddress(this.manager));
    return classifyCreateError(error, engineAddress(this.manager), this.options.image);
  }
}

function serviceIdOf(deployment: Deployment): string {
  if (deployment.handle === undefined) throw new Error(`trial ${deployment.spec.trialNumber}'s deployment has no service ID`);
  return deployment.handle;
}

function unschedulable(spec: DeploymentSpec, reason: string, afterMs: number): DeployFailure {
  return {
    kind: 'unschedulable',
    message: `no node can hold a replica of ${spec.cpus} CPUs and ${spec.memoryMb} MB (swarm: ${reason}, for ${(afterMs / 1000).toFixed(0)} s): shrink the space or add nodes`,
  };
}
