/**
 * The swarm's nodes as a study sees them: which ones it may use (its pool), how the pool is shared out among
 * parallel lanes so that two trials in flight never share a node, and which engine to ask for a task's container
 * statistics. The selection and partition are pure; reading the nodes is one call.
 */
import type Docker from 'dockerode';

export interface SwarmNode {
  id: string;
  hostname: string;
  /** The address the node advertises to the swarm (Status.Addr). */
  address: string;
  ready: boolean;
  active: boolean; // availability: not drained or paused
  labels: Record<string, string>;
  /** What the node offers the scheduler. */
  cpus: number;
  memoryBytes: number;
}

/** A node label naming the node's own engine (unix:// or tcp://), where container statistics are read. */
export const ENGINE_LABEL = 'tune.engine';

interface NodeInfo {
  ID: string;
  Description?: { Hostname?: string; Resources?: { NanoCPUs?: number; MemoryBytes?: number } };
  Status?: { State?: string; Addr?: string };
  Spec?: { Availability?: string; Labels?: Record<string, string> };
}

export async function listNodes(docker: Docker): Promise<SwarmNode[]> {
  const nodes = (await docker.listNodes()) as NodeInfo[];
  return nodes.map((node) => ({
    id: node.ID,
    hostname: node.Description?.Hostname ?? node.ID,
    address: node.Status?.Addr ?? '',
    ready: node.Status?.State === 'ready',
    active: (node.Spec?.Availability ?? 'active') === 'active',
    labels: node.Spec?.Labels ?? {},
    cpus: (node.Description?.Resources?.NanoCPUs ?? 0) / 1e9,
    memoryBytes: node.Description?.Resources?.MemoryBytes ?? 0,
  }));
}

export type PoolResult = { ok: true; pool: SwarmNode[] } | { ok: false; message: string };

/**
 * The nodes a study may use: those named in `wanted` (hostnames, IDs or label=value selectors), else every ready,
 * active node. Each name must match a ready node; a selector must match at least one.
 */
export function selectPool(nodes: readonly SwarmNode[], wanted: readonly string[] | undefined): PoolResult {
  const usable = nodes.filter((n) => n.ready && n.active);
  if (wanted === undefined || wanted.length === 0) {
    return usable.length > 0 ? { ok: true, pool: [...usable] } : { ok: false, message: 'the swarm has no ready, active node: check docker node ls' };
  }
  const pool: SwarmNode[] = [];
  for (const name of wanted) {
    const [key, value] = name.includes('=') ? name.split('=', 2) : [undefined, undefined];
    const matched = key !== undefined ? usable.filter((n) => n.labels[key] === value) : usable.filter((n) => n.hostname === name || n.id === name);
    if (matched.length === 0) {
      const known = nodes.map((n) => `${n.hostname}${n.ready && n.active ? '' : ' (not ready)'}`).join(', ');
      return { ok: false, message: `no ready node matches "${name}" (nodes: ${known}): name nodes by hostname, ID or label=value` };
    }
    for (const node of matched) if (!pool.includes(node)) pool.push(node);
  }
  return { ok: true, pool };
}

export type NodeClaim = { ok: true; nodes: SwarmNode[]; shared: boolean } | { ok: false; reason: 'none_ready' | 'all_busy' };

/**
 * The nodes the next trial may use, given the pool's current state and the nodes trials in flight hold. With at
 * least as many nodes as parallel trials, each trial gets ready nodes of its own (its share of the pool, fewer if
 * fewer are free; a lone trial gets them all, its replicas free to spread) and must wait while none is free.
 * With fewer nodes than parallel trials, trials share the ready nodes: every task reserves the CPUs it is
 * limited to, so the scheduler still never puts two trials on the same CPUs. A node that went down is never
 * handed out, so the study goes on on the others.
 */
export function claimNodes(pool: readonly SwarmNode[], busy: ReadonlySet<string>, parallel: number): NodeClaim {
  const ready = pool.filter((n) => n.ready && n.active);
  if (ready.length === 0) return { ok: false, reason: 'none_ready' };
  if (pool.length < parallel) return { ok: true, nodes: ready, shared: true };
  const free = ready.filter((n) => !busy.has(n.id));
  if (free.length === 0) return { ok: false, reason: 'all_busy' };
  return { ok: true, nodes: free.slice(0, Math.max(1, Math.floor(pool.length / parallel))), shared: false };
}

/**
 * Which nodes each trial in flight holds (by its service name, known before the service exists) and which trials
 * wait for nodes, first come first served: a trial that waited is not overtaken by one that just arrived.
 */
export class NodeLedger {
  private readonly held = new Map<string, string[]>();
  private readonly waiting: string[] = [];

  constructor(private readonly parallel: number) {}

  /** Queues `name`; until it leaves, only the trial at the head of the queue is granted nodes. */
  enqueue(name: string): void {
    this.waiting.push(name);
  }

  leave(name: string): void {
    const at = this.waiting.indexOf(name);
    if (at >= 0) this.waiting.splice(at, 1);
  }

  /** `name`'s claim on the pool as it is now; granted nodes are held at once, before any other trial can ask. */
  claim(name: string, pool: readonly SwarmNode[]): NodeClaim {
    const claim = claimNodes(pool, new Set([...this.held.values()].flat()), this.parallel);
    if (claim.ok && this.waiting[0] !== name) return { ok: false, reason: 'all_busy' };
    if (claim.ok && !claim.shared) this.held.set(name, claim.nodes.map((n) => n.id));
    return claim;
  }

  release(name: string): void {
    this.held.delete(name);
  }
}

/**
 * Why a trial's replicas cannot all be placed on `nodes` whatever else runs there, if they cannot: a replica larger
 * than every node, or more CPUs or memory in all than the nodes have.
 */
export function capacityProblem(nodes: readonly SwarmNode[], replicas: number, cpus: number, memoryBytes: number): string | undefined {
  const fits = (n: SwarmNode) => n.cpus >= cpus && n.memoryBytes >= memoryBytes;
  if (!nodes.some(fits)) {
    const largest = nodes.map((n) => `${n.hostname}: ${n.cpus} CPUs, ${Math.round(n.memoryBytes / 2 ** 20)} MB`).join('; ');
    return `a replica of ${cpus} CPUs and ${Math.round(memoryBytes / 2 ** 20)} MB fits on no node (${largest})`;
  }
  const slots = nodes.filter(fits).reduce((sum, n) => sum + Math.min(Math.floor(n.cpus / cpus + 1e-9), Math.floor(n.memoryBytes / memoryBytes)), 0);
  if (slots < replicas) return `${replicas} replicas of ${cpus} CPUs and ${Math.round(memoryBytes / 2 ** 20)} MB need more than the ${slots} that fit on the trial's nodes (${nodes.map((n) => n.hostname).join(', ')})`;
  return undefined;
}
