/**
 * A Swarm stack file (`docker stack deploy -c FILE NAME`): one service of `replicas` tasks on the host network
 * (the external network named `host`), each task listening on TUNE_PORT + its slot - 1 (TUNE_PORT_SLOT is
 * Swarm's {{.Task.Slot}}), with the backend's limits and as much of its hardening as a stack can carry.
 */
import { serverEnv } from '../deploy/docker/container-config.ts';
import { TASK_SLOT } from '../deploy/swarm/service-spec.ts';
import { SERVER_ENV } from '../server/protocol.ts';
import { cpusOf, dockerBytes, dockerHealthcheck, exportLabels, headerLines, replicaSettings, yamlText, escapeInterpolation, type ExportInput } from './shared.ts';

/** pids limits need 3.9 (Docker 20.10's stack format). */
export const STACK_VERSION = '3.9';
export const HOST_NETWORK = 'hostnet';

type Mount =
  | { type: 'bind'; source: string; target: string; read_only: boolean }
  | { type: 'tmpfs'; target: string; tmpfs?: { size: number } };

export interface SwarmService {
  image: string;
  user: string;
  environment: Record<string, string>;
  volumes: Mount[];
  read_only: boolean;
  cap_drop: string[];
  security_opt: string[];
  networks: string[];
  healthcheck: ReturnType<typeof dockerHealthcheck>;
  labels: Record<string, string>;
  deploy: {
    replicas: number;
    resources: {
      limits: { cpus: string; memory: string; pids?: number };
      reservations: { cpus: string; memory: string };
    };
    restart_policy: { condition: 'on-failure'; delay: string; window: string };
    update_config: { parallelism: number; order: 'stop-first' };
    labels: Record<string, string>;
  };
}

export interface SwarmDocument {
  version: string;
  services: Record<string, SwarmService>;
  networks: Record<string, { external: true; name: 'host' }>;
}

export function swarmDocument(input: ExportInput): SwarmDocument {
  const settings = replicaSettings(input, 0, input.port);
  const cpus = String(cpusOf(settings.nanoCpus));
  const memory = dockerBytes(settings.memoryBytes, 'M');
  const service: SwarmService = {
    image: input.image,
    user: settings.user,
    environment: { ...serverEnv(input.spec, input.port, input.bind), [SERVER_ENV.portSlot]: TASK_SLOT },
    volumes: [
      ...settings.mounts.map((mount): Mount => ({ type: 'bind', source: mount.source, target: mount.target, read_only: mount.readOnly })),
      ...settings.tmpfs.map((mount): Mount => ({ type: 'tmpfs', target: mount.path, ...(mount.sizeBytes === undefined ? {} : { tmpfs: { size: mount.sizeBytes } }) })),
    ],
    read_only: settings.readOnlyRoot,
    cap_drop: settings.capDrop,
    security_opt: settings.securityOpt, // accepted by the format, ignored by docker stack deploy (see the header)
    networks: [HOST_NETWORK],
    healthcheck: dockerHealthcheck(input.bind),
    labels: exportLabels(input),
    deploy: {
      replicas: input.spec.replicas,
      resources: {
        limits: { cpus, memory, ...(settings.pidsLimit === undefined ? {} : { pids: settings.pidsLimit }) },
        // Reserved as well, so the scheduler never packs more replicas on a node than it has room for.
        reservations: { cpus, memory },
      },
      // Not `none` (a study's one-shot replicas): a serving task that dies is replaced.
      restart_policy: { condition: 'on-failure', delay: '5s', window: '120s' },
      // Host networking: a task's port is free only once the old task is gone.
      update_config: { parallelism: 1, order: 'stop-first' },
      labels: exportLabels(input),
    },
  };
  return { version: STACK_VERSION, services: { [input.spec.modelName]: service }, networks: { [HOST_NETWORK]: { external: true, name: 'host' } } };
}

export function swarmFile(input: ExportInput): string {
  const { replicas } = input.spec;
  const ports = replicas === 1 ? `port ${input.port}` : `ports ${input.port}-${input.port + replicas - 1}`;
  return yamlText(escapeInterpolation(swarmDocument(input)), [
    ...headerLines(input, 'swarm'),
    'Swarm ignores security_opt (no-new-privileges), cannot turn swap off (the measured replicas had none), mounts /tmp without noexec,nosuid, and before Docker 20.10 also ignores cap_drop',
    `deploy: docker stack deploy -c FILE NAME (add --resolve-image never for an image only this host has); task slot s listens on ${input.bind} port ${input.port} + s - 1 (${ports})`,
    `TUNE_HOST ${input.bind}: ${bindNote(input.bind)}`,
  ]);
}

function bindNote(bind: string): string {
  if (bind.includes('/')) return "each task binds its own node's address in that subnet";
  const scope = bind.startsWith('127.') ? 'reachable from its own node only' : 'the same address on every node';
  return `${scope}; export with --bind SUBNET (e.g. 10.77.0.0/24) for each node's address in that subnet`;
}
