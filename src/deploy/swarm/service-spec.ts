/**
 * The Swarm service of one trial: its replicas as tasks of one replicated service, with the same limits, server
 * environment, labels and hardening as a Docker replica (container-config.ts), on host networking with a port per
 * task slot, never restarted (a crash or an OOM is the trial's result), placed on its lane's nodes. Pure, so
 * the exact request sent to the engine is unit-tested.
 */
import type Docker from 'dockerode';
import { SERVER_ENV } from '../../server/protocol.ts';
import type { DeploymentSpec } from '../backend.ts';
import { MODEL_MOUNT, PIDS_LIMIT, SERVER_USER, memoryBytes, nanoCpus, serverEnv } from '../docker/container-config.ts';
import { LABEL, TOOL_VALUE } from '../docker/labels.ts';

/** Swarm expands this in environment values, once per task: slots count from 1. */
export const TASK_SLOT = '{{.Task.Slot}}';
const TMP_BYTES = 64 * 1024 * 1024;

export interface ServicePlacement {
  image: string;
  /** The first replica's port; replica (slot) k listens on basePort + k - 1. */
  basePort: number;
  /** What the server binds: 127.0.0.1 on one node, or the nodes' subnet (each task binds its node's address in it). */
  bind: string;
  /** Node IDs the trial may not use (the other lanes' nodes, nodes outside the study's pool). */
  excludedNodes: readonly string[];
}

export function serviceName(spec: DeploymentSpec): string {
  // Service names allow [a-zA-Z0-9-] and 63 characters: the study id is reduced to that and kept unique by the trial.
  const study = spec.studyId.replace(/[^a-zA-Z0-9-]+/g, '-').slice(0, 40).replace(/-+$/, '');
  return `tune-${study}-t${spec.trialNumber}`;
}

export function serviceLabels(spec: DeploymentSpec): Record<string, string> {
  return { [LABEL.tool]: TOOL_VALUE, [LABEL.study]: spec.studyId, [LABEL.trial]: String(spec.trialNumber) };
}

export function serviceSpec(spec: DeploymentSpec, placement: ServicePlacement): Docker.ServiceSpec {
  const env = { ...serverEnv(spec, placement.basePort, placement.bind), [SERVER_ENV.portSlot]: TASK_SLOT };
  const labels = serviceLabels(spec);
  const limits = { NanoCPUs: nanoCpus(spec), MemoryBytes: memoryBytes(spec) };
  return {
    Name: serviceName(spec),
    Labels: labels,
    TaskTemplate: {
      ContainerSpec: {
        Image: placement.image,
        User: SERVER_USER,
        Env: Object.entries(env).map(([name, value]) => `${name}=${value}`),
        Labels: labels,
        ReadOnly: true,
        CapabilityDrop: ['ALL'],
        Mounts: [
          { Type: 'bind', Source: spec.modelDir, Target: MODEL_MOUNT, ReadOnly: true },
          { Type: 'tmpfs', Source: '', Target: '/tmp', TmpfsOptions: { SizeBytes: TMP_BYTES, Mode: 0o1777 } } as Docker.MountSettings,
        ],
      },
      // Reservations equal to the limits make the scheduler account for them: a trial no node can hold stays
      // pending with the reason, which the backend turns into `unschedulable` instead of oversubscribing a node.
      Resources: { Limits: { ...limits, Pids: PIDS_LIMIT }, Reservations: limits },
      RestartPolicy: { Condition: 'none' },
      Placement: { Constraints: placement.excludedNodes.map((id) => `node.id!=${id}`) },
      // Host networking: no routing mesh (it does not work without IPVS) and no NAT in the measured path.
      Networks: [{ Target: 'host' }],
    },
    Mode: { Replicated: { Replicas: spec.replicas } },
  };
}
