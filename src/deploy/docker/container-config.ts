/**
 * The container settings of one replica: limits, server knobs as environment, the read-only model mount and
 * the hardening every replica gets. Pure, so the exact request sent to the engine is unit-tested.
 */
import type Docker from 'dockerode';
import { SERVER_ENV } from '../../server/protocol.ts';
import type { DeploymentSpec } from '../backend.ts';
import { knobEnv } from '../../server/config.ts';
import { replicaLabels } from './labels.ts';

export const MODEL_MOUNT = '/models';
export const SERVER_USER = '10001:10001';
export const PIDS_LIMIT = 256;
export const REPLICA_HOST = '127.0.0.1';
const MIB = 1024 * 1024;

export interface ReplicaPlacement {
  image: string;
  replica: number;
  port: number;
  /** The CPUs its trial's lane owns (e.g. "0" or "2-3") when trials run in parallel on one host. */
  cpuset?: string;
}

/** `host`: the address the server binds, or a subnet meaning each node's own address in it (see the server's config). */
export function serverEnv(spec: DeploymentSpec, port: number, host = REPLICA_HOST): Record<string, string> {
  return {
    [SERVER_ENV.modelDir]: MODEL_MOUNT,
    [SERVER_ENV.modelName]: spec.modelName,
    [SERVER_ENV.host]: host,
    [SERVER_ENV.port]: String(port),
    ...knobEnv(spec.server),
  };
}

export const memoryBytes = (spec: DeploymentSpec): number => Math.round(spec.memoryMb * MIB);
export const nanoCpus = (spec: DeploymentSpec): number => Math.round(spec.cpus * 1e9);

export function replicaConfig(spec: DeploymentSpec, placement: ReplicaPlacement): Docker.ContainerCreateOptions {
  const env = serverEnv(spec, placement.port);
  return {
    Image: placement.image,
    User: SERVER_USER,
    Env: Object.entries(env).map(([name, value]) => `${name}=${value}`),
    Labels: replicaLabels(spec.studyId, spec.trialNumber, placement.replica),
    HostConfig: {
      // Host networking: no NAT in the measured path; the server binds 127.0.0.1 only.
      NetworkMode: 'host',
      NanoCpus: nanoCpus(spec),
      ...(placement.cpuset !== undefined && { CpusetCpus: placement.cpuset }),
      Memory: memoryBytes(spec),
      MemorySwap: memoryBytes(spec), // equal to Memory: no swap, so a tight limit kills instead of thrashing
      // A mount, not Binds: Binds would silently create a missing host directory instead of failing.
      Mounts: [{ Type: 'bind', Source: spec.modelDir, Target: MODEL_MOUNT, ReadOnly: true }],
      ReadonlyRootfs: true,
      Tmpfs: { '/tmp': 'rw,noexec,nosuid,size=64m' },
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      PidsLimit: PIDS_LIMIT,
      Privileged: false,
    },
  };
}

/**
 * Lane `lane`'s CPUs among `lanes` sharing `hostCores`: each lane its own contiguous block, so trials in flight
 * together never compete for a core. One lane is left unpinned (the whole host, as without parallel trials).
 */
export function laneCpuset(lane: number, lanes: number, hostCores: number): string | undefined {
  if (lanes <= 1) return undefined;
  const per = Math.floor(hostCores / lanes);
  if (per < 1) throw new Error(`${lanes} lanes cannot each have a core of ${hostCores}`);
  const first = lane * per;
  return per === 1 ? String(first) : `${first}-${first + per - 1}`;
}

/** Settings the engine would reject or that cannot run; checked before touching Docker. */
export function specProblem(spec: DeploymentSpec): string | undefined {
  if (!Number.isInteger(spec.replicas) || spec.replicas < 1) return `replicas must be a whole number ≥ 1, got ${spec.replicas}`;
  if (!(spec.cpus > 0)) return `cpus must be > 0, got ${spec.cpus}`;
  if (!(spec.memoryMb >= 6)) return `memoryMb must be ≥ 6 (Docker's minimum), got ${spec.memoryMb}`;
  if (!(spec.readyTimeoutMs > 0)) return `readyTimeoutMs must be > 0, got ${spec.readyTimeoutMs}`;
  if (!spec.modelDir.startsWith('/')) return `modelDir must be an absolute host path, got ${spec.modelDir}`;
  return undefined;
}
