/**
 * A Compose file for one Docker host (`docker compose up -d`): one service per replica, each on its own port,
 * with exactly the limits, environment, mount and hardening the Docker backend gave the measured replicas
 * (src/deploy/docker/container-config.ts): host networking, no NAT, the server bound to the --bind address.
 */
import { serverEnv } from '../deploy/docker/container-config.ts';
import { SERVER_ENV } from '../server/protocol.ts';
import { cpusOf, dockerBytes, dockerHealthcheck, exportLabels, headerLines, replicaSettings, yamlText, escapeInterpolation, type ExportInput } from './shared.ts';

export interface ComposeService {
  image: string;
  user: string;
  network_mode: 'host';
  environment: Record<string, string>;
  volumes: { type: 'bind'; source: string; target: string; read_only: boolean }[];
  read_only: boolean;
  tmpfs: string[];
  cap_drop: string[];
  security_opt: string[];
  pids_limit?: number;
  cpus: number;
  mem_limit: string;
  memswap_limit: string;
  restart: string;
  healthcheck: ReturnType<typeof dockerHealthcheck>;
  labels: Record<string, string>;
}

export interface ComposeDocument {
  services: Record<string, ComposeService>;
}

/** Replica i (from 1) is service <model>-<i> on port + i - 1. */
export function composeServiceName(input: ExportInput, replica: number): string {
  return `${input.spec.modelName}-${replica + 1}`;
}

export function composeDocument(input: ExportInput): ComposeDocument {
  const services: Record<string, ComposeService> = {};
  for (let replica = 0; replica < input.spec.replicas; replica++) {
    const port = input.port + replica;
    const settings = replicaSettings(input, replica, port);
    services[composeServiceName(input, replica)] = {
      image: input.image,
      user: settings.user,
      network_mode: 'host',
      environment: serverEnv(input.spec, port, input.bind),
      volumes: settings.mounts.map((mount) => ({ type: 'bind', source: mount.source, target: mount.target, read_only: mount.readOnly })),
      read_only: settings.readOnlyRoot,
      tmpfs: settings.tmpfs.map((mount) => `${mount.path}:${mount.options}`),
      cap_drop: settings.capDrop,
      security_opt: settings.securityOpt,
      ...(settings.pidsLimit === undefined ? {} : { pids_limit: settings.pidsLimit }),
      cpus: cpusOf(settings.nanoCpus),
      mem_limit: dockerBytes(settings.memoryBytes),
      memswap_limit: dockerBytes(settings.memorySwapBytes), // equal to mem_limit: swap off, as measured
      restart: 'unless-stopped',
      healthcheck: dockerHealthcheck(input.bind),
      labels: exportLabels(input),
    };
  }
  return { services };
}

export function composeFile(input: ExportInput): string {
  const document = composeDocument(input);
  const endpoints = Object.entries(document.services).map(([name, service]) => `${name} on ${input.bind}:${service.environment[SERVER_ENV.port]}`);
  return yamlText(escapeInterpolation(document), [
    ...headerLines(input, 'compose'),
    `one Docker host: docker compose -f FILE up -d (or docker-compose); replicas (host networking, no NAT): ${endpoints.join(', ')}`,
    'docker stack deploy refuses this file (mem_limit, memswap_limit, cpus, pids_limit are not stack keys): export --format swarm for a Swarm stack',
  ]);
}
