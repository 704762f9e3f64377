/**
 * Creates the Docker client and names where it points, so failures can say which engine was unreachable.
 * The backend takes the client injected; this factory is the one place that reads DOCKER_HOST.
 */
import Docker from 'dockerode';

export const DEFAULT_SOCKET = '/var/run/docker.sock';

type Env = Readonly<Record<string, string | undefined>>;

/** A client for DOCKER_HOST (unix:// or tcp://), or the default socket when it is unset. */
export function createDockerClient(env: Env = process.env): Docker {
  const host = env.DOCKER_HOST;
  if (!host) return new Docker({ socketPath: DEFAULT_SOCKET });
  if (host.startsWith('unix://')) return new Docker({ socketPath: host.slice('unix://'.length) || DEFAULT_SOCKET });
  const url = new URL(host.replace(/^tcp:/, 'http:'));
  return new Docker({ host: url.hostname, port: url.port || 2375, protocol: 'http' });
}

/** Where a client points, for messages: the socket path or host:port. */
export function engineAddress(docker: Docker): string {
  const modem = docker.modem as { socketPath?: unknown; host?: unknown; port?: unknown };
  if (typeof modem.socketPath === 'string') return modem.socketPath;
  if (typeof modem.host === 'string') return `${modem.host}:${String(modem.port ?? '')}`;
  return DEFAULT_SOCKET;
}
