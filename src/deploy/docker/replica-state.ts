/**
 * Reads what happened to a replica's container: still running, or stopped and why.
 */
import type Docker from 'dockerode';
import type { DeployFailure } from '../backend.ts';
import { statusCodeOf } from './engine-errors.ts';
import { demuxLogs, lastLogLine, stoppedReplicaFailure } from './replica-failure.ts';

const LOG_TAIL_LINES = 20;

export async function replicaStopped(docker: Docker, containerId: string, replica: number, memoryMb: number): Promise<DeployFailure | undefined> {
  const container = docker.getContainer(containerId);
  let info: Docker.ContainerInspectInfo;
  try {
    info = await container.inspect();
  } catch (error) {
    if (statusCodeOf(error) !== 404) throw error;
    return { kind: 'crashed', message: `replica ${replica}'s container ${containerId.slice(0, 12)} was removed outside tune` };
  }
  if (info.State.Running || info.State.Status === 'created') return undefined;
  const logs = await container.logs({ stdout: true, stderr: true, follow: false, tail: LOG_TAIL_LINES });
  return stoppedReplicaFailure(replica, info.State, memoryMb, lastLogLine(demuxLogs(Buffer.from(logs))));
}

/** Force-removes containers (killing them first); already-gone ones are fine. */
export async function removeContainers(docker: Docker, ids: string[]): Promise<void> {
  await Promise.all(
    ids.map((id) =>
      docker
        .getContainer(id)
        .remove({ force: true, v: true })
        .catch((error: unknown) => {
          if (statusCodeOf(error) !== 404 && statusCodeOf(error) !== 409) throw error; // 409: removal already under way
        }),
    ),
  );
}
