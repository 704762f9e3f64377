/**
 * The deployment backend a study runs on, checked before any trial: one Docker engine (parallel trials only when
 * the host has a core block for each), or a Swarm whose manager tune talks to (its node pool split among the
 * parallel trials, the image in a registry when other nodes must pull it, replicas bound to the nodes' subnet).
 * Every refusal is one line naming what to change.
 */
import type Docker from 'dockerode';
import type { DeploymentBackend } from '../deploy/backend.ts';
import { DockerBackend } from '../deploy/docker/backend.ts';
import { engineAddress } from '../deploy/docker/client.ts';
import { SwarmBackend } from '../deploy/swarm/backend.ts';
import { listNodes, selectPool, type SwarmNode } from '../deploy/swarm/nodes.ts';
import type { BackendName } from '../domain/records.ts';
import { availableParallelism } from 'node:os';
import { inSubnet, parseSubnet } from '../server/address.ts';
import type { SearchSpace } from '../space/space.ts';
import { checkRegistry, pushToRegistry } from './engine.ts';
import { TuneError, usageError } from './errors.ts';

/** Where a run deploys, beyond what the study stores (its backend and parallelism). */
export interface PlacementArgs {
  /** Swarm nodes to use: hostnames, IDs or label=value; default every ready, active node. */
  nodes?: readonly string[];
  /** HOST:PORT of a registry every node pulls from; the image is pushed there first. */
  registry?: string;
  /** What replicas bind on a multi-node swarm: the subnet of the nodes' addresses (e.g. 10.77.0.0/24). */
  bind?: string;
}

export interface BackendChoice {
  backend: BackendName;
  parallel: number;
  /** The local image tag just prepared (tune-server:<hash>). */
  image: string;
  space: SearchSpace;
  placement: PlacementArgs;
  note: (line: string) => void;
  hostCores?: number;
}

export async function studyBackend(docker: Docker, choice: BackendChoice): Promise<DeploymentBackend> {
  if (choice.backend === 'docker') {
    if (choice.placement.nodes || choice.placement.registry || choice.placement.bind) throw usageError('--nodes, --registry and --bind are for --backend swarm');
    const hostCores = choice.hostCores ?? availableParallelism();
    checkHostCores(choice.space, choice.parallel, hostCores);
    return new DockerBackend(docker, { image: choice.image, lanes: choice.parallel, hostCores });
  }
  return swarmBackend(docker, choice);
}

/** With K trials on one host each gets floor(cores / K) cores of its own, which its largest configuration must fit. */
export function checkHostCores(space: SearchSpace, parallel: number, hostCores: number): void {
  if (parallel <= 1) return;
  const perLane = Math.floor(hostCores / parallel);
  const { replicas, cpus } = largestTrial(space);
  if (perLane >= 1 && replicas * cpus <= perLane) return;
  throw usageError(
    `--parallel ${parallel} gives each trial ${perLane} of this host's ${hostCores} cores, but the space lets one take ${replicas * cpus} CPUs (replicas up to ${replicas} × cpus up to ${cpus}): lower --parallel, bound replicas and cpus in the space, or use --backend swarm`,
  );
}

/** The most CPUs a trial of the space can ask for: the largest replica count times the largest quota. */
export function largestTrial(space: SearchSpace): { replicas: number; cpus: number } {
  const largest = (name: string): number => {
    const parameter = space.parameters.find((p) => p.name === name);
    if (parameter && 'high' in parameter) return parameter.high;
    const pinned = space.pinned[name];
    return typeof pinned === 'number' ? pinned : 1;
  };
  return { replicas: largest('replicas'), cpus: largest('cpus') };
}

async function swarmBackend(docker: Docker, choice: BackendChoice): Promise<SwarmBackend> {
  const { placement } = choice;
  const info = (await docker.info()) as { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } };
  if (info.Swarm?.LocalNodeState !== 'active' || info.Swarm.ControlAvailable !== true) {
    throw new TuneError(
      'not_a_swarm_manager',
      `the engine at ${engineAddress(docker)} is not a swarm manager: on one node run docker swarm init --advertise-addr 127.0.0.1, or set DOCKER_HOST to a manager`,
    );
  }
  const nodes = await listNodes(docker);
  const selected = selectPool(nodes, placement.nodes);
  if (!selected.ok) throw usageError(`--nodes: ${selected.message}`);
  if (selected.pool.length < choice.parallel) {
    choice.note(`${choice.parallel} trials in parallel on ${selected.pool.length} node(s): trials share nodes, each reserving the CPUs it is limited to`);
  }
  const bind = bindAddress(selected.pool, placement.bind);
  const image = await clusterImage(docker, choice.image, selected.pool, placement.registry, choice.note);
  return new SwarmBackend(docker, { image, pool: selected.pool, parallel: choice.parallel, bind });
}

/** 127.0.0.1 when every node is this machine (a one-node swarm advertises loopback); else the subnet given. */
function bindAddress(pool: readonly SwarmNode[], bind: string | undefined): string {
  const loopbackOnly = pool.every((n) => n.address.startsWith('127.'));
  if (bind === undefined) {
    if (loopbackOnly) return '127.0.0.1';
    throw usageError(`the nodes advertise ${pool.map((n) => n.address).join(', ')}: pass --bind with their subnet (e.g. --bind 10.77.0.0/24) so each replica binds its own node's address`);
  }
  const subnet = parseSubnet(bind);
  if (subnet === undefined || subnet === 'invalid') throw usageError(`--bind ${bind}: expected an IPv4 subnet such as 10.77.0.0/24`);
  const outside = pool.filter((n) => !inSubnet(n.address, subnet));
  if (outside.length > 0) throw usageError(`--bind ${bind}: node ${outside[0]?.hostname} advertises ${outside[0]?.address}, outside that subnet`);
  return bind;
}

/** The local tag on a one-node swarm; otherwise the registry's copy, pushed now (a no-op for layers it has). */
async function clusterImage(docker: Docker, tag: string, pool: readonly SwarmNode[], registry: string | undefined, note: (line: string) => void): Promise<string> {
  if (registry === undefined) {
    if (pool.length > 1) throw usageError(`${pool.length} swarm nodes cannot all use this engine's image: pass --registry HOST:PORT (tune image push --registry pushes it)`);
    return tag;
  }
  checkRegistry(registry);
  const reference = await pushToRegistry(docker, tag, registry);
  note(`pushed ${reference}`);
  return reference;
}
