/**
 * Swarm mode for end-to-end tests: joined when the engine is not in it already, and left afterwards only by
 * the test that joined it, so a machine's own swarm (and its services) is never disturbed. Tests in one file
 * share one join through `useSwarm`; the engine is left when the last user releases it.
 */
import type Docker from 'dockerode';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createDockerClient } from '../../src/deploy/docker/client.ts';

const run = promisify(execFile);

let users = 0;
let joinedByUs = false;

async function swarmState(docker: Docker): Promise<string> {
  const info = (await docker.info()) as { Swarm?: { LocalNodeState?: string } };
  return info.Swarm?.LocalNodeState ?? 'inactive';
}

/** Puts the engine in single-node swarm mode if it is not; returns the release to call when done. */
export async function useSwarm(docker: Docker = createDockerClient()): Promise<() => Promise<void>> {
  users++;
  if ((await swarmState(docker)) !== 'active') {
    await docker.swarmInit({ AdvertiseAddr: '127.0.0.1', ListenAddr: '127.0.0.1:2377' });
    joinedByUs = true;
  }
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    users--;
    if (users > 0 || !joinedByUs) return;
    joinedByUs = false;
    await docker.swarmLeave({ force: true });
    // Leaving keeps the gateway bridge swarm created; it is ours to remove too.
    await run('docker', ['network', 'rm', 'docker_gwbridge']).catch(() => undefined);
  };
}
